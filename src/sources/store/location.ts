/**
 * Where the server's data lives: `--database PATH|postgres://…` > `KUBEGUARD_DATABASE` > `kubeguard-server.db`
 * beside the config file (the one given, or ./kubeguard.yaml), i.e. in the working directory by default.
 */
import { dirname, join, resolve } from 'node:path';

export const DEFAULT_DATABASE_FILE = 'kubeguard-server.db';

export function resolveDatabase(input: { flag?: string; env?: NodeJS.ProcessEnv; configFile?: string; cwd?: string }): string {
  if (input.flag) return input.flag;
  const env = input.env ?? process.env;
  if (env.KUBEGUARD_DATABASE) return env.KUBEGUARD_DATABASE;
  const dir = input.configFile ? dirname(resolve(input.cwd ?? process.cwd(), input.configFile)) : (input.cwd ?? process.cwd());
  return join(dir, DEFAULT_DATABASE_FILE);
}
