/**
 * Serving certificate from files, reloaded when they change. Kubernetes updates Secret volumes by swapping a
 * `..data` symlink in the directory, so the directories are watched (not the files), and a periodic check of
 * the contents backs the watchers up (some filesystems emit no events). A pair that fails to load is logged and
 * the previous one stays in service.
 */
import { readFileSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { createHash } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import type { SecureContextOptions } from 'node:tls';
import { ConfigError, errorMessage } from '../../core/errors.js';
import type { Logger } from './log.js';

export interface CertFiles {
  certFile: string;
  keyFile: string;
}

export interface TlsPair {
  cert: string;
  key: string;
}

export function readPair(files: CertFiles): TlsPair {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`cannot read the serving ${what} ${file}: ${errorMessage(e)}`, file, { cause: e });
    }
  };
  return { cert: read(files.certFile, 'certificate'), key: read(files.keyFile, 'key') };
}

/** TLS ≥ 1.2; Node's default cipher list (no RC4, no 3DES, forward secrecy first). */
export function secureOptions(pair: TlsPair): SecureContextOptions {
  return { cert: pair.cert, key: pair.key, minVersion: 'TLSv1.2' };
}

export interface CertWatcher {
  close(): void;
  /** Re-reads the files now; true when a new pair was installed. */
  check(): boolean;
}

export function watchCertificates(files: CertFiles, initial: TlsPair, install: (options: SecureContextOptions) => void, logger: Logger, pollMs = 30_000): CertWatcher {
  const fingerprint = (p: TlsPair) => createHash('sha256').update(p.cert).update('\0').update(p.key).digest('hex');
  let current = fingerprint(initial);
  const check = (): boolean => {
    let pair: TlsPair;
    try {
      pair = readPair(files);
    } catch (e) {
      logger.warn('cannot read serving certificate; keeping the current one', { error: errorMessage(e) });
      return false;
    }
    const fp = fingerprint(pair);
    if (fp === current) return false;
    try {
      createSecureContext(secureOptions(pair)); // validates the pair before installing it
      install(secureOptions(pair));
    } catch (e) {
      logger.warn('new serving certificate is invalid; keeping the current one', { error: errorMessage(e) });
      return false;
    }
    current = fp;
    logger.info('serving certificate reloaded', { certFile: files.certFile });
    return true;
  };
  let debounce: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(debounce);
    debounce = setTimeout(check, 100);
  };
  const watchers: FSWatcher[] = [];
  for (const dir of new Set([dirname(files.certFile), dirname(files.keyFile)])) {
    try {
      const w = watch(dir, schedule);
      w.on('error', (e) => logger.warn('certificate directory watch failed; polling continues', { error: errorMessage(e) }));
      watchers.push(w);
    } catch (e) {
      logger.warn('cannot watch certificate directory; polling only', { dir, error: errorMessage(e) });
    }
  }
  const poll = setInterval(check, pollMs);
  poll.unref();
  return {
    check,
    close() {
      clearTimeout(debounce);
      clearInterval(poll);
      for (const w of watchers) w.close();
    },
  };
}
