/**
 * A kubeguard command run in this process (the real command, through main()), its report written to a file with
 * `--output`: the same code path as the CLI without a child process and its start-up (seconds on a busy machine).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main.js';

/** `kubeguard <command...> --output FILE`: exit code and the report. */
export async function runInProcess(command: string[]): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kg-run-'));
  const out = join(dir, 'report');
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    await main(['node', 'kubeguard', ...command, '--output', out]);
    const code = Number(process.exitCode ?? 0);
    let output = '';
    try {
      output = readFileSync(out, 'utf8');
    } catch {
      // no report written (usage error)
    }
    return { code, output };
  } finally {
    process.exitCode = saved;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `kubeguard scan -q --format FORMAT ARGS...`. */
export function scanInProcess(args: string[], format = 'json'): Promise<{ code: number; output: string }> {
  return runInProcess(['scan', '-q', '--format', format, ...args]);
}
