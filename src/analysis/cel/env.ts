/** The Kubernetes CEL environment: the standard library plus the extensions the API server enables (see README.md). */
import { CelEnvironment } from './program.js';
import { compileRegex } from './regex.js';
import type { Table } from './std/define.js';
import { registerCore } from './std/core.js';
import { registerTime } from './std/time.js';
import { registerStrings } from './std/strings.js';
import { registerLists } from './std/lists.js';
import { registerQuantity } from './k8s/quantity.js';
import { registerNet } from './k8s/net.js';
import { registerUrl } from './k8s/url.js';
import { registerFormat } from './k8s/format.js';
import { registerSemver } from './k8s/semver.js';
import { registerRegex } from './k8s/regex.js';
import { registerAuthz } from './k8s/authz.js';

export function kubernetesFunctions(): Table {
  const t: Table = new Map();
  registerCore(t, compileRegex);
  registerTime(t);
  registerStrings(t);
  registerLists(t);
  registerRegex(t, compileRegex);
  registerQuantity(t);
  registerSemver(t);
  registerNet(t);
  registerUrl(t);
  registerFormat(t);
  registerAuthz(t);
  return t;
}

let shared: CelEnvironment | undefined;
/** One environment per process: compiled programs are cached in it. */
export function kubernetesEnv(): CelEnvironment {
  return (shared ??= new CelEnvironment(kubernetesFunctions()));
}
