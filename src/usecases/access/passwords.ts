/**
 * Password hashes: scrypt (node:crypto, RFC 7914) with a random 16-byte salt, written as a PHC string
 * `$scrypt$ln=15,r=8,p=3$<salt>$<hash>` (base64 without padding). N=2^15, r=8, p=3 is one of OWASP's
 * recommended scrypt settings (Password Storage Cheat Sheet): 32 MiB and about a hundred milliseconds per try.
 * Parameters are read back from the hash, so stronger settings later still verify older hashes (and
 * `needsRehash` says when to upgrade one at the next sign-in).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { UsageError } from '../../core/errors.js';

interface ScryptParams {
  ln: number;
  r: number;
  p: number;
}

export const SCRYPT: ScryptParams = { ln: 15, r: 8, p: 3 };
const KEY_LENGTH = 32;
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

function derive(password: string, salt: Buffer, { ln, r, p }: ScryptParams): Promise<Buffer> {
  const N = 2 ** ln;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

/** Why a new password is refused, or undefined when it is acceptable (NIST SP 800-63B: length, not composition). */
export function passwordProblem(password: string, userName?: string): string | undefined {
  const length = [...password.normalize('NFKC')].length;
  if (length < PASSWORD_MIN) return `a password has at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `a password has at most ${PASSWORD_MAX} characters`;
  if (userName && password.toLowerCase().includes(userName.toLowerCase())) return 'a password may not contain the user name';
  if (/^(.)\1*$/u.test(password)) return 'a password may not repeat one character';
  return undefined;
}

export async function hashPassword(password: string, params: ScryptParams = SCRYPT): Promise<string> {
  if (password.length > PASSWORD_MAX) throw new UsageError(`a password has at most ${PASSWORD_MAX} characters`);
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,88})\$([A-Za-z0-9+/]{43})$/;

function parse(hash: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const m = PHC.exec(hash);
  if (!m) return undefined;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  // bounds: a stored hash must not make one sign-in cost gigabytes or minutes
  if (params.ln < 10 || params.ln > 20 || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) return undefined;
  return { params, salt: Buffer.from(m[4], 'base64'), key: Buffer.from(m[5], 'base64') };
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parsed = parse(hash);
  if (!parsed || password.length > PASSWORD_MAX) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

export function needsRehash(hash: string): boolean {
  const p = parse(hash)?.params;
  return !p || p.ln < SCRYPT.ln || p.r < SCRYPT.r || p.p < SCRYPT.p;
}

/**
 * A hash of a random password, for verifying against when the user does not exist: an unknown name costs the
 * same time as a wrong password, so timing does not tell which names exist.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(24).toString('base64'));
  return decoy;
}
