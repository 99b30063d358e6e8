/**
 * Where the vulnerability database lives. Precedence: `--db PATH` > `KUBEGUARD_DB` > the user cache directory
 * (`$XDG_CACHE_HOME/kubeguard/vulns.db`, else `~/.cache/kubeguard/vulns.db`; `%LOCALAPPDATA%\kubeguard\vulns.db`
 * on Windows).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface DbPathInput {
  /** The `--db` flag, when given. */
  flag?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  platform?: NodeJS.Platform;
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env, home = homedir(), platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'kubeguard', 'vulns.db');
  const cache = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(home, '.cache');
  return join(cache, 'kubeguard', 'vulns.db');
}

export function resolveDbPath(input: DbPathInput = {}): string {
  const env = input.env ?? process.env;
  if (input.flag) return input.flag;
  if (env.KUBEGUARD_DB) return env.KUBEGUARD_DB;
  return defaultDbPath(env, input.home ?? homedir(), input.platform ?? process.platform);
}
