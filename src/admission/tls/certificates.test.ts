/**
 * The webhook's certificates as TLS clients see them: the chain verifies with node:crypto and with `openssl verify`
 * (purpose sslserver), the serving certificate carries the SANs, key usages and validity asked for, and building
 * them patches nothing global.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCertificates, serviceDnsNames, type IssuedCertificates } from './certificates.js';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('issueCertificates', () => {
  let issued: IssuedCertificates;
  let ca: X509Certificate;
  let server: X509Certificate;
  let dir: string;
  before(async () => {
    issued = await issueCertificates({ dnsNames: serviceDnsNames('kubeguard-webhook', 'kubeguard'), ipAddresses: ['127.0.0.1', '::1'], notBefore: NOW, validDays: 30, caCommonName: 'test, CA' });
    ca = new X509Certificate(issued.ca.cert);
    server = new X509Certificate(issued.server.cert);
    dir = mkdtempSync(join(tmpdir(), 'kg-certs-'));
    writeFileSync(join(dir, 'ca.pem'), issued.ca.cert);
    writeFileSync(join(dir, 'server.pem'), issued.server.cert);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the chain verifies with node:crypto', () => {
    assert.ok(ca.ca && !server.ca);
    assert.ok(ca.checkIssued(ca) && ca.verify(ca.publicKey), 'self-signed CA');
    assert.ok(server.checkIssued(ca) && server.verify(ca.publicKey), 'serving certificate signed by the CA');
    assert.equal(server.issuer, 'CN=test\\, CA', 'the comma is part of the value (node escapes it when printing)');
    assert.equal(server.subject, 'CN=kubeguard-webhook.kubeguard.svc');
  });

  it('the chain verifies with openssl as a TLS server certificate, at the asked time', () => {
    const at = String(Math.floor(NOW.getTime() / 1000) + 3600);
    const out = execFileSync('openssl', ['verify', '-x509_strict', '-purpose', 'sslserver', '-attime', at, '-CAfile', join(dir, 'ca.pem'), join(dir, 'server.pem')], { encoding: 'utf8' });
    assert.match(out, /server\.pem: OK/);
    const expired = String(Math.floor(NOW.getTime() / 1000) + 31 * 86_400);
    assert.throws(() => execFileSync('openssl', ['verify', '-attime', expired, '-CAfile', join(dir, 'ca.pem'), join(dir, 'server.pem')], { stdio: 'pipe' }));
  });

  it('names the Service DNS names and the IP addresses, with the key usages of a CA and a TLS server', () => {
    assert.equal(server.subjectAltName, 'DNS:kubeguard-webhook.kubeguard.svc, DNS:kubeguard-webhook.kubeguard.svc.cluster.local, DNS:kubeguard-webhook.kubeguard, DNS:kubeguard-webhook, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    assert.equal(server.checkHost('kubeguard-webhook.kubeguard.svc'), 'kubeguard-webhook.kubeguard.svc');
    assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(server.checkHost('other.kubeguard.svc'), undefined);
    assert.deepEqual(server.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'extended key usage: serverAuth');
    const text = (pemFile: string) => execFileSync('openssl', ['x509', '-noout', '-text', '-in', join(dir, pemFile)], { encoding: 'utf8' });
    const caText = text('ca.pem');
    assert.match(caText, /X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    assert.match(caText, /X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign\n/);
    assert.match(caText, /Signature Algorithm: ecdsa-with-SHA256/);
    const serverText = text('server.pem');
    assert.match(serverText, /X509v3 Basic Constraints: critical\s+CA:FALSE/);
    assert.match(serverText, /X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment\n/);
    assert.match(serverText, /X509v3 Authority Key Identifier:\s+(keyid:)?[0-9A-F:]+/);
    const ski = /X509v3 Subject Key Identifier:\s+([0-9A-F:]+)/.exec(caText)?.[1];
    assert.ok(ski && serverText.includes(ski), "the server's authority key id is the CA's subject key id");
  });

  it('is valid from five minutes before the given start for the given days', () => {
    assert.equal(new Date(server.validFrom).getTime(), NOW.getTime() - 5 * 60_000);
    assert.equal(new Date(server.validTo).getTime(), NOW.getTime() + 30 * 86_400_000);
    assert.equal(ca.validTo, server.validTo);
  });

  it('gives PEM private keys that match the certificates (P-256)', () => {
    for (const pair of [issued.ca, issued.server]) {
      const key = createPrivateKey(pair.key);
      assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
      assert.ok(new X509Certificate(pair.cert).checkPrivateKey(key));
      assert.deepEqual(createPublicKey(key).export({ type: 'spki', format: 'der' }), new X509Certificate(pair.cert).publicKey.export({ type: 'spki', format: 'der' }));
    }
    assert.match(issued.server.cert, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----\n$/);
  });

  it('serials are positive and differ', async () => {
    const again = new X509Certificate((await issueCertificates({ dnsNames: ['a'], notBefore: NOW })).server.cert);
    assert.notEqual(again.serialNumber, server.serialNumber);
    assert.ok(Number.parseInt(server.serialNumber.slice(0, 2), 16) < 0x80);
  });

  it('needs a DNS name, and patches no global (Reflect metadata)', async () => {
    await assert.rejects(issueCertificates({ dnsNames: [], notBefore: NOW }), /at least one DNS name/);
    assert.equal((Reflect as unknown as Record<string, unknown>).getMetadata, undefined);
  });
});
