/**
 * Finds and reads kubeguard.yaml. The schema's validator (parse-config.ts) loads only when there is a file to
 * validate: a command run without one starts without it (#25).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeguardConfig } from '../../engine/config.js';
import { DEFAULT_CONFIG } from '../../engine/config.js';
import { ConfigError, errorMessage } from '../../core/errors.js';

export const CONFIG_FILE_NAMES = ['kubeguard.yaml', 'kubeguard.yml', '.kubeguard.yaml'];

/** The explicit file, else the first kubeguard.yaml in the working directory, else defaults. */
export async function loadConfig(explicit?: string, cwd = process.cwd()): Promise<{ config: KubeguardConfig; file?: string }> {
  const file = explicit ?? CONFIG_FILE_NAMES.map((n) => join(cwd, n)).find((p) => existsSync(p));
  if (!file) return { config: { ...DEFAULT_CONFIG } };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config ${file}: ${errorMessage(e)}`, file, { cause: e });
  }
  const { parseConfig } = await import('./parse-config.js');
  return { config: parseConfig(text, file), file };
}
