/**
 * Reading a new password for `server user create|passwd`: from stdin with --password-stdin (its first line, for
 * scripts and secret managers), else typed twice at a terminal without echo. Never from a flag: a command line is
 * visible to every user of the machine (ps, /proc) and kept in shell history.
 */
import { createInterface } from 'node:readline';
import { UsageError } from '../core/errors.js';

const MAX_BYTES = 4096;

async function firstLineOfStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > MAX_BYTES || chunk.includes(0x0a)) break;
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const nl = text.indexOf('\n');
  if (nl < 0 && size > MAX_BYTES) throw new UsageError(`--password-stdin: the first line is longer than ${MAX_BYTES} bytes`);
  return (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '');
}

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput.bind(rl);
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => write(s.startsWith(prompt) ? prompt : '');
    rl.question(prompt, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

export async function readNewPassword(fromStdin: boolean | undefined): Promise<string> {
  if (fromStdin) return firstLineOfStdin();
  if (!process.stdin.isTTY) throw new UsageError('give the password on stdin with --password-stdin (or run at a terminal to type it)');
  const first = await askHidden('New password: ');
  const second = await askHidden('Again: ');
  if (first !== second) throw new UsageError('the two passwords differ');
  return first;
}
