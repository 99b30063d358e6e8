/**
 * `kubeguard scan …` run in this process (the real command, through main()), its report written to a file: the
 * same code path as the CLI without a child process and its start-up (seconds on a busy machine) per call.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main.js';

export async function scanInProcess(args: string[], format = 'json'): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kg-scan-'));
  const out = join(dir, 'report');
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    await main(['node', 'kubeguard', 'scan', '-q', '--format', format, '--output', out, ...args]);
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
