import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findEmbeddedSecrets, isHighEntropyToken, isSecretLikeName, nameWords, redact, redactedPair, secretValueKind, shannonEntropy } from './index.js';
import { SECRET_FORMATS, matchSecretFormats } from './catalogue.js';
import type { SecretFormatKind } from './catalogue.js';

describe('shannonEntropy', () => {
  // H = -Σ p log2 p: closed-form values.
  it('computes bits per character', () => {
    assert.equal(shannonEntropy(''), 0);
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('aabb'), 1);
    assert.equal(shannonEntropy('abcd'), 2);
    assert.equal(shannonEntropy('0123456789abcdef'), 4);
  });
});

describe('isSecretLikeName', () => {
  it('matches the names Polaris treats as sensitive (sensitiveContainerEnvVar/sensitiveConfigmapContent)', () => {
    for (const n of ['password', 'my_password', 'AWS_SECRET_ACCESS_KEY', 'AZURE_BATCH_KEY', 'AZURE_STORAGE_KEY', 'OCI_CLI_KEY_CONTENT', 'GITHUB_TOKEN', 'BEARER', 'client_secret', 'db_password']) {
      assert.equal(isSecretLikeName(n), true, n);
    }
  });
  it('matches the names Docker build check SecretsUsedInArgOrEnv documents', () => {
    // https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/ examples
    for (const n of ['AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'apiKey', 'API_KEY', 'PASSWD', 'credentials']) assert.equal(isSecretLikeName(n), true, n);
  });
  it('does not match names Polaris passes or that only refer to a secret', () => {
    for (const n of ['user_name', 'greeting', 'db_user', 'message', 'a_key', 'PASSWORD_FILE', 'SECRET_NAME', 'TOKEN_URL', 'AWS_ACCESS_KEY_ID', 'PUBLIC_KEY', 'cache_key', 'GPG_KEY', 'TOKEN_TTL', 'PASSWORD_MIN_LENGTH', 'KEY', 'TOKEN_REFRESH_SECONDS', 'PASSWORD_HASH_ROUNDS', 'SECRET_MANAGER_PORT']) {
      assert.equal(isSecretLikeName(n), false, n);
    }
  });
  it('splits camelCase, snake, kebab and dotted names', () => {
    assert.deepEqual(nameWords('dbPassword'), ['db', 'password']);
    assert.deepEqual(nameWords('spring.datasource.password'), ['spring', 'datasource', 'password']);
    assert.deepEqual(nameWords('HTTPProxyAuth'), ['http', 'proxy', 'auth']);
    assert.equal(isSecretLikeName('HTTPProxyAuth'), true);
  });
});

describe('secretValueKind', () => {
  it('recognises vendor formats from their documentation', () => {
    // AWS documentation's example keys (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html).
    assert.equal(secretValueKind('AKIAIOSFODNN7EXAMPLE'), 'AWS access key id');
    assert.equal(secretValueKind('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'), 'high-entropy string');
    // jwt.io's example token.
    assert.equal(secretValueKind('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'), 'JSON web token');
    assert.equal(secretValueKind('ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'), 'GitHub token');
    assert.equal(secretValueKind('xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'), 'Slack token');
  });
  it('recognises private keys the way Polaris does, including the 3-dash variant of its fixture', () => {
    assert.equal(secretValueKind('-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----'), 'private key');
    assert.equal(secretValueKind('---BEGIN OPENSSH PRIVATE KEY---\nxxxxx\n---END  OPENSSH PRIVATE KEY---\n'), 'private key');
  });
  it('finds Authorization header values (RFC 6750 bearer, RFC 7617 basic) in any case', () => {
    assert.equal(secretValueKind('Bearer mF_9.B5f-4.1JqM'), 'authorization header value');
    assert.equal(secretValueKind('bearer abc123def'), 'authorization header value');
    assert.equal(secretValueKind('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='), 'authorization header value');
    assert.equal(secretValueKind('basic auth is enabled'), undefined);
    assert.equal(secretValueKind('Basic authentication is enabled'), undefined);
    assert.equal(secretValueKind('Bearer'), undefined);
  });
  it('finds passwords in URLs but not placeholders', () => {
    assert.equal(secretValueKind('postgres://app:hunter2@db:5432/app'), 'credential in URL');
    assert.equal(secretValueKind('redis://:hunter2@cache:6379/0'), 'credential in URL');
    assert.equal(secretValueKind('https://examplePublicKey@o0.ingest.sentry.io/0'), undefined);
    assert.equal(secretValueKind('postgres://app:${DB_PASSWORD}@db:5432/app'), undefined);
    assert.equal(secretValueKind('https://api.example.com/v1?user=me'), undefined);
  });
  it('leaves ordinary values alone', () => {
    for (const v of ['info', 'abc123', 'this-is-not-a-secret-value', 'nginx:1.25.3-alpine', 'registry.example.com/team/app', '/usr/local/bin:/usr/bin:/bin', '1000m', 'v1.2.3-alpha.4+build.567890', 'en_US.UTF-8', '123e4567-e89b-12d3-a456-426614174000', 'kube-system.svc.cluster.local', '-Xmx512m -XX:+UseG1GC']) {
      assert.equal(secretValueKind(v), undefined, v);
    }
  });
  it('does not call digests, certificates, SSH public keys or named checksums secrets', () => {
    assert.equal(secretValueKind('nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31'), undefined);
    assert.equal(secretValueKind('-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUZ3N0YXJ0ZXJrZXlzZXhhbXBsZTAKBggqhkjOPQQDAjA\n-----END CERTIFICATE-----'), undefined);
    assert.equal(secretValueKind('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE user@host'), undefined);
    assert.equal(secretValueKind('6f1ed002ab5595859014ebf0951522d9c4a1b7e0', { name: 'GIT_COMMIT' }), undefined);
    assert.equal(secretValueKind('6f1ed002ab5595859014ebf0951522d9c4a1b7e0', { name: 'UPLOAD_SECRET_VALUE' }), 'high-entropy string');
  });
  it('takes hex for an identifier or a hash unless the name it is assigned to says secret', () => {
    // a Grafana dashboard uid, a bare 40-hex commit, a UUID: identifiers
    assert.equal(secretValueKind('09ec8aa1e996d6ffcd6817bbaff4db1b'), undefined);
    assert.equal(secretValueKind('09ec8aa1e996d6ffcd6817bbaff4db1b', { name: 'uid' }), undefined);
    assert.equal(secretValueKind('6f1ed002ab5595859014ebf0951522d9c4a1b7e0', { name: 'datasource' }), undefined);
    assert.equal(secretValueKind('09ec8aa1e996d6ffcd6817bbaff4db1b', { name: 'DD_API_KEY' }), 'high-entropy string');
    assert.equal(secretValueKind('09ec8aa1e996d6ffcd6817bbaff4db1b', { name: 'PASSWORD_SHA256' }), undefined);
    // Subresource Integrity values are digests
    assert.equal(secretValueKind('sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=='), undefined);
    // mixed-case base64 key material is still found without a name
    assert.equal(secretValueKind('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'), 'high-entropy string');
  });
  it('treats URL and path segments as identifiers but checks query-string values', () => {
    assert.equal(secretValueKind('https://github.com/pypa/get-pip/raw/66d8a0f637083e2c3ddffc0cb1e65ce126afb856/public/get-pip.py'), undefined);
    assert.equal(secretValueKind('/var/lib/app/3f2a1c0b9e8d7f6a5b4c3d2e1f0a9b8c'), undefined);
    assert.equal(secretValueKind('https://store.example.com/blob?sv=2022-11-02&sig=Zm9vYmFyUGxhbnRlZFNlY3JldFZhbHVlMDAwNw%3D%3D'), 'high-entropy string');
    assert.equal(secretValueKind('https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'), 'Slack webhook URL');
  });
  it('high entropy needs length and a mix of letters and digits', () => {
    assert.equal(isHighEntropyToken('Zm9vYmFyYmF6cXV4MTIzNDU2'), true);
    assert.equal(isHighEntropyToken('abcdefghijklmnopqrstuvwxyz'), false);
    assert.equal(isHighEntropyToken('3b4f6c1a9e2d5f7a'), false);
  });
});

describe('findEmbeddedSecrets', () => {
  it('reads the assigned name: a JSON "uid" of hex is an identifier, an "apiKey" is not', () => {
    const text = ['{', '  "title": "API server",', '  "uid": "09ec8aa1e996d6ffcd6817bbaff4db1b",', '  "apiKey": "09ec8aa1e996d6ffcd6817bbaff4db1b"', '}'].join('\n');
    assert.deepEqual(findEmbeddedSecrets(text).map((s) => [s.line, s.name]), [[4, 'apiKey']]);
  });
  it('finds assignments in properties, .env and YAML text with their line', () => {
    const text = ['# comment: password=not-this-one', 'server.port=8080', 'db.password=Tr0ub4dor&3', 'export API_TOKEN="abc123def"', 'auth:', '  clientSecret: s3cr3t', '  password: ${FROM_ENV}'].join('\n');
    assert.deepEqual(findEmbeddedSecrets(text).map((s) => [s.line, s.name]), [[3, 'db.password'], [4, 'API_TOKEN'], [6, 'clientSecret']]);
  });
  it('reports a private key block once and skips public PEM blocks', () => {
    const text = ['-----BEGIN CERTIFICATE-----', 'MIIBszCCAVmgAwIBAgIUZ3N0YXJ0ZXJrZXlzZXhhbXBsZTAKBggqhkjOPQQDAjA', '-----END CERTIFICATE-----', '-----BEGIN EC PRIVATE KEY-----', 'MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oOmc9b2U0R5eoAoGCCqGSM49', '-----END EC PRIVATE KEY-----'].join('\n');
    assert.deepEqual(findEmbeddedSecrets(text).map((s) => [s.line, s.reason]), [[4, 'private key']]);
  });
});

describe('redaction', () => {
  it('keeps no character of the value', () => {
    const secret = 'hunter2hunter2';
    assert.equal(redact(secret), '<redacted, 14 chars>');
    assert.equal(redactedPair('DB_PASSWORD', secret), 'DB_PASSWORD=<redacted, 14 chars>');
    assert.ok(!redactedPair('X', secret).includes('hunter'));
    assert.equal(redact('x'), '<redacted, 1 char>');
  });
});

describe('the secret format catalogue (one list for manifests, ConfigMap content and images)', () => {
  // For each format: a value of the documented shape, and a near miss that must not match it.
  const examples: Record<SecretFormatKind, [string, string]> = {
    'private key': ['-----BEGIN OPENSSH PRIVATE KEY-----', '-----BEGIN PUBLIC KEY-----'],
    'AWS access key id': ['AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPL'],
    'AWS secret access key': ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}'],
    'GitHub token': ['ghp_' + 'a1B2'.repeat(9), 'ghp_' + 'a1B2'.repeat(5)],
    'GitLab token': ['glpat-' + 'x1Y2z3'.repeat(4), 'glpat-short'],
    'Slack token': ['xoxb-123456789012-abcdefghijkl', 'xoxz-123456789012-abcdefghijkl'],
    'Slack webhook URL': ['https://hooks.slack.com/services/T0000000/B0000000/' + 'X'.repeat(24), 'https://hooks.slack.com/services/'],
    'Google API key': ['AIza' + 'Sy'.repeat(17) + 'A', 'AIza' + 'Sy'.repeat(5)],
    'GCP service account key': ['"private_key_id": "' + 'ab'.repeat(20) + '"', '"private_key_id": "' + 'ab'.repeat(19) + '"'],
    'Stripe secret key': ['sk_live_' + 'a1'.repeat(12), 'sk_test_' + 'a1'.repeat(12)],
    'npm token': ['npm_' + 'a1B2'.repeat(9), 'npm_' + 'a1B2'.repeat(3)],
    'registry credentials': ['{"auths":{"r.io":{"auth":"dXNlcjpwYXNzd29yZA=="}}}', '{"auths":{"r.io":{"auth":""}}}'],
    'JSON web token': ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'eyJhbGciOiJIUzI1NiJ9'],
    'authorization header value': ['Authorization: Bearer mF_9.B5f-4.1JqM', 'uses basic authentication'],
    'credential in URL': ['postgres://app:hunter2@db:5432/app', 'postgres://app:${DB_PASSWORD}@db:5432/app'],
  };

  it('cites where every format comes from', () => {
    for (const f of SECRET_FORMATS) assert.match(f.source, /^https:\/\//, f.kind);
    assert.deepEqual(SECRET_FORMATS.map((f) => f.kind).sort(), Object.keys(examples).sort());
  });

  for (const f of SECRET_FORMATS) {
    it(`${f.kind}: the documented shape matches, the near miss does not`, () => {
      const [hit, miss] = examples[f.kind];
      assert.ok(matchSecretFormats(hit).some((m) => m.kind === f.kind), hit);
      assert.ok(!matchSecretFormats(miss).some((m) => m.kind === f.kind), miss);
    });
  }
});
