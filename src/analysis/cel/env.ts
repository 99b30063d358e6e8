/** The Kubernetes CEL environment: the standard library plus the extensions the API server enables (see README.md). */
import { CelEnvironment } from './program.js';
import { compileRegex } from './regex.js';
import type { Table } from './std/define.js';
import { registerCore } from './std/core.js';
import { registerTime } from './std/time.js';
import { registerStrings } from './std/strings.js';
import { registerLists } from './std/lists.js';

export function kubernetesFunctions(): Table {
  const t: Table = new Map();
  registerCore(t, compileRegex);
  registerTime(t);
  registerStrings(t);
  registerLists(t);
  return t;
}

let shared: CelEnvironment | undefined;
/** One environment per process: compiled programs are cached in it. */
export function kubernetesEnv(): CelEnvironment {
  return (shared ??= new CelEnvironment(kubernetesFunctions()));
}
