// Records the URL of every module the process resolves (one per line) in the file named by KUBEGUARD_RECORD_MODULES:
// `node --import ./record-modules.mjs …` — for tests of what a command loads.
import { register } from 'node:module';

register(new URL('./record-modules-hooks.mjs', import.meta.url), { data: { file: process.env.KUBEGUARD_RECORD_MODULES } });
