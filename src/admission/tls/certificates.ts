/**
 * A small certificate authority for the webhook and the server: a self-signed CA and a serving certificate for the
 * Service DNS names the API server dials (`<svc>.<ns>.svc`). ECDSA P-256 keys and signatures from node:crypto; the
 * certificates are built from the RFC 5280 ASN.1 schema (@peculiar/asn1-x509) — no dependency-injection container,
 * so nothing patches the global `Reflect` on import — and need no openssl binary. Used by `admission install`,
 * `install`, and the tests.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier, AttributeTypeAndValue, AttributeValue, AuthorityKeyIdentifier, BasicConstraints, Certificate, ExtendedKeyUsage,
  Extension, Extensions, GeneralName, KeyIdentifier, KeyUsage, KeyUsageFlags, Name, RelativeDistinguishedName, SubjectAlternativeName,
  SubjectKeyIdentifier, SubjectPublicKeyInfo, TBSCertificate, Validity, Version, id_ce_authorityKeyIdentifier, id_ce_basicConstraints,
  id_ce_extKeyUsage, id_ce_keyUsage, id_ce_subjectAltName, id_ce_subjectKeyIdentifier, id_kp_serverAuth,
} from '@peculiar/asn1-x509';

/** ecdsa-with-SHA256 (RFC 5758 §3.2: the parameters field is absent). */
const ECDSA_WITH_SHA256 = new AlgorithmIdentifier({ algorithm: '1.2.840.10045.4.3.2' });
const ID_AT_COMMON_NAME = '2.5.4.3';

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

function pem(label: string, der: ArrayBuffer | Buffer): string {
  const b64 = Buffer.from(der as ArrayBuffer).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function serial(): ArrayBuffer {
  // Positive 16-byte serial with a non-zero first octet (RFC 5280 §4.1.2.2: positive, at most 20 octets).
  const b = randomBytes(16);
  b[0] = (b[0] & 0x7f) | 0x01;
  return new Uint8Array(b).buffer;
}

function commonName(cn: string): Name {
  return new Name([new RelativeDistinguishedName([new AttributeTypeAndValue({ type: ID_AT_COMMON_NAME, value: new AttributeValue({ utf8String: cn }) })])]);
}

function extension(extnID: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function spkiOf(key: KeyObject): SubjectPublicKeyInfo {
  return AsnConvert.parse(key.export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo);
}

/** RFC 5280 §4.2.1.2 method (1): the SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(spki: SubjectPublicKeyInfo): ArrayBuffer {
  return new Uint8Array(createHash('sha1').update(new Uint8Array(spki.subjectPublicKey)).digest()).buffer;
}

/** Signs the TBS certificate with ECDSA P-256/SHA-256; node:crypto gives the DER ECDSA-Sig-Value (RFC 3279 §2.2.3). */
function signed(tbs: TBSCertificate, key: KeyObject): string {
  const signatureValue = sign('sha256', Buffer.from(AsnConvert.serialize(tbs)), { key, dsaEncoding: 'der' });
  const cert = new Certificate({ tbsCertificate: tbs, signatureAlgorithm: ECDSA_WITH_SHA256, signatureValue: new Uint8Array(signatureValue).buffer });
  return pem('CERTIFICATE', AsnConvert.serialize(cert));
}

function keyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/** Generates a CA and a serving certificate signed by it. */
export async function issueCertificates(options: IssueOptions): Promise<IssuedCertificates> {
  if (options.dnsNames.length === 0) throw new Error('issueCertificates needs at least one DNS name');
  const notBefore = new Date(options.notBefore.getTime() - 5 * 60_000); // tolerate small clock skew
  const notAfter = new Date(options.notBefore.getTime() + (options.validDays ?? 365) * 86_400_000);
  const validity = new Validity({ notBefore, notAfter });

  const caKeys = keyPair();
  const caSpki = spkiOf(caKeys.publicKey);
  const caName = commonName(options.caCommonName ?? 'kubeguard-admission-ca');
  const caId = keyIdentifier(caSpki);
  const caTbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serial(),
    signature: ECDSA_WITH_SHA256,
    issuer: caName,
    validity,
    subject: caName,
    subjectPublicKeyInfo: caSpki,
    extensions: new Extensions([
      extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: true, pathLenConstraint: 0 })),
      extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign)),
      extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(caId)),
    ]),
  });

  const serverKeys = keyPair();
  const serverSpki = spkiOf(serverKeys.publicKey);
  const names = [
    ...options.dnsNames.map((dNSName) => new GeneralName({ dNSName })),
    ...(options.ipAddresses ?? []).map((iPAddress) => new GeneralName({ iPAddress })),
  ];
  const serverTbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serial(),
    signature: ECDSA_WITH_SHA256,
    issuer: caName,
    validity,
    subject: commonName(options.dnsNames[0]),
    subjectPublicKeyInfo: serverSpki,
    extensions: new Extensions([
      extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: false })),
      extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment)),
      extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth])),
      extension(id_ce_subjectAltName, false, new SubjectAlternativeName(names)),
      extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(caId) })),
      extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(serverSpki))),
    ]),
  });

  const pkcs8 = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    ca: { cert: signed(caTbs, caKeys.privateKey), key: pkcs8(caKeys.privateKey) },
    server: { cert: signed(serverTbs, caKeys.privateKey), key: pkcs8(serverKeys.privateKey) },
  };
}

/** The DNS names the API server uses to reach a Service. */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [`${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`, `${service}.${namespace}`, service];
}
