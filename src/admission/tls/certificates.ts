/**
 * A small certificate authority for the webhook: a self-signed CA and a serving certificate for the Service
 * DNS names the API server dials (`<svc>.<ns>.svc`). ECDSA P-256 through WebCrypto (@peculiar/x509), so it is
 * fast and needs no openssl binary. Used by `admission install` and by the tests.
 */
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface PemPair {
  cert: string;
  key: string;
}

export interface IssuedCertificates {
  ca: PemPair;
  server: PemPair;
}

export interface IssueOptions {
  /** DNS names of the serving certificate (first one is also the CN). */
  dnsNames: string[];
  /** IP addresses (e.g. 127.0.0.1 for tests). */
  ipAddresses?: string[];
  /** Validity start; the caller passes the clock. */
  notBefore: Date;
  validDays?: number;
  caCommonName?: string;
}

async function keyToPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key as unknown as webcrypto.CryptoKey);
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

function serial(): string {
  // Positive 16-byte serial (RFC 5280 §4.1.2.2: positive, at most 20 octets).
  const b = webcrypto.getRandomValues(new Uint8Array(16));
  b[0] &= 0x7f;
  b[0] |= 0x01;
  return Buffer.from(b).toString('hex');
}

function escapeDn(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1');
}

/** Generates a CA and a serving certificate signed by it. */
export async function issueCertificates(options: IssueOptions): Promise<IssuedCertificates> {
  if (options.dnsNames.length === 0) throw new Error('issueCertificates needs at least one DNS name');
  const notBefore = new Date(options.notBefore.getTime() - 5 * 60_000); // tolerate small clock skew
  const notAfter = new Date(options.notBefore.getTime() + (options.validDays ?? 365) * 86_400_000);

  const caKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${escapeDn(options.caCommonName ?? 'kubeguard-admission-ca')}`,
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const serverKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const names: x509.JsonGeneralName[] = [
    ...options.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const serverCert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${escapeDn(options.dnsNames[0])}`,
    issuer: caCert.subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(names, false),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
      await x509.SubjectKeyIdentifierExtension.create(serverKeys.publicKey),
    ],
  });

  return {
    ca: { cert: caCert.toString('pem') + '\n', key: await keyToPem(caKeys.privateKey) },
    server: { cert: serverCert.toString('pem') + '\n', key: await keyToPem(serverKeys.privateKey) },
  };
}

/** The DNS names the API server uses to reach a Service. */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [`${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`, `${service}.${namespace}`, service];
}
