/** Every upstream check, in the order upstream registers them (alphabetical by file). */
import type { CheckDefinition } from '../types.js';
import { allowPrivilegeEscalation } from './allow-privilege-escalation.js';
import { appArmorProfile } from './apparmor-profile.js';
import { capabilitiesBaseline } from './capabilities-baseline.js';
import { capabilitiesRestricted } from './capabilities-restricted.js';
import { hostNamespaces } from './host-namespaces.js';
import { hostPathVolumes } from './host-path-volumes.js';
import { hostPorts } from './host-ports.js';
import { hostProbesAndHostLifecycle } from './host-probes-and-host-lifecycle.js';
import { privileged } from './privileged.js';
import { procMount, procMountRestricted } from './proc-mount.js';
import { restrictedVolumes } from './restricted-volumes.js';
import { runAsNonRoot } from './run-as-non-root.js';
import { runAsUser } from './run-as-user.js';
import { seccompProfileBaseline } from './seccomp-profile-baseline.js';
import { seccompProfileRestricted } from './seccomp-profile-restricted.js';
import { seLinuxOptions } from './selinux-options.js';
import { sysctls } from './sysctls.js';
import { windowsHostProcess } from './windows-host-process.js';

export const ALL_CHECKS: readonly CheckDefinition[] = [
  allowPrivilegeEscalation,
  appArmorProfile,
  capabilitiesBaseline,
  capabilitiesRestricted,
  hostNamespaces,
  hostPathVolumes,
  hostPorts,
  hostProbesAndHostLifecycle,
  privileged,
  procMount,
  procMountRestricted,
  restrictedVolumes,
  runAsNonRoot,
  runAsUser,
  seLinuxOptions,
  seccompProfileBaseline,
  seccompProfileRestricted,
  sysctls,
  windowsHostProcess,
];
