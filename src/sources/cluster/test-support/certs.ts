/**
 * Test PKI, as kubeadm lays it out: a CA, a server certificate for 127.0.0.1/localhost, and client certificates
 * whose CN is the user and O the groups (the API server's x509 authenticator reads them that way).
 * Keys come from node:crypto; node-forge builds and signs the certificates.
 */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface KeyPairPem {
  cert: string;
  key: string;
}

export interface IssueOptions {
  server?: boolean;
  dns?: string[];
  ips?: string[];
  /** Valid from/to (default: an hour ago to a day from now). */
  notBefore?: Date;
  notAfter?: Date;
}

export interface TestCa extends KeyPairPem {
  /** Issues a certificate for a subject like { CN: 'alice', O: ['dev', 'ops'] }. */
  issue(subject: { CN: string; O?: string[] }, opts?: IssueOptions): KeyPairPem;
}

function newKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const priv = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: priv, publicKey: forge.pki.setRsaPublicKey(priv.n, priv.e), pem };
}

let serial = 1;

export function createTestCa(name = 'kubernetes'): TestCa {
  const ca = newKeys();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = (serial++).toString(16).padStart(2, '0');
  caCert.validity.notBefore = new Date(Date.now() - 3600_000);
  caCert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  caCert.setSubject([{ name: 'commonName', value: name }]);
  caCert.setIssuer([{ name: 'commonName', value: name }]);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());
  return {
    cert: forge.pki.certificateToPem(caCert),
    key: ca.pem,
    issue(subject, opts = {}) {
      const k = newKeys();
      const cert = forge.pki.createCertificate();
      cert.publicKey = k.publicKey;
      cert.serialNumber = (serial++).toString(16).padStart(2, '0');
      cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - 3600_000);
      cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 24 * 3600_000);
      cert.setSubject([{ name: 'commonName', value: subject.CN }, ...(subject.O ?? []).map((o) => ({ name: 'organizationName', value: o }))]);
      cert.setIssuer(caCert.subject.attributes);
      const altNames = [...(opts.dns ?? []).map((value) => ({ type: 2, value })), ...(opts.ips ?? []).map((ip) => ({ type: 7, ip }))];
      cert.setExtensions([
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: Boolean(opts.server), clientAuth: !opts.server },
        ...(altNames.length ? [{ name: 'subjectAltName', altNames }] : []),
      ]);
      cert.sign(ca.privateKey, forge.md.sha256.create());
      return { cert: forge.pki.certificateToPem(cert), key: k.pem };
    },
  };
}
