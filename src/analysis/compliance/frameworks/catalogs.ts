/**
 * The controls of the non-CIS frameworks, as data with their sources. Rules name these ids in their compliance
 * references (RuleMeta.compliance); the meta-test in view.test.ts keeps both sides joined (no rule naming an id that
 * is not here, no control here that no rule and no manual note covers).
 */

export interface CatalogControl {
  id: string;
  title: string;
  section: string;
  /** A control no rule of ours can judge from objects: a reviewer decides (MANUAL), with this note. */
  manual?: string;
}

/**
 * NSA/CISA Kubernetes Hardening Guide v1.2 (August 2022), https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF —
 * its sections and the hardening measures under them, named as the rules cite them ("Section: measure").
 */
export const NSA_CONTROLS: CatalogControl[] = [
  { id: 'Pod security', title: 'Kubernetes Pod security (non-root, immutable file systems, Pod security enforcement)', section: 'Pod security' },
  { id: 'Pod security: non-root containers and rootless container engines', title: 'Non-root containers and rootless container engines', section: 'Pod security' },
  { id: 'Pod security: immutable container file systems', title: 'Immutable container file systems', section: 'Pod security' },
  { id: 'Pod security: building secure container images', title: 'Building secure container images', section: 'Pod security' },
  { id: 'Pod security: Pod security enforcement', title: 'Pod security enforcement', section: 'Pod security' },
  { id: 'Pod security: Pod Security admission', title: 'Pod Security admission', section: 'Pod security' },
  { id: 'Pod security: protecting Pod service account tokens', title: 'Protecting Pod service account tokens', section: 'Pod security' },
  { id: 'Pod security: hardening container environments', title: 'Hardening container environments (sandboxes, hypervisor isolation)', section: 'Pod security', manual: 'the container runtime and its sandboxing are chosen outside the manifests' },
  { id: 'Kubernetes Pod security: secrets encryption', title: 'Secrets encrypted at rest', section: 'Pod security' },
  { id: 'Network separation and hardening', title: 'Network separation and hardening', section: 'Network separation and hardening' },
  { id: 'Network separation and hardening: namespaces', title: 'Namespaces', section: 'Network separation and hardening' },
  { id: 'Network separation and hardening: network policies', title: 'Network policies', section: 'Network separation and hardening' },
  { id: 'Network separation and hardening: resource policies', title: 'Resource policies (requests, limits, quotas)', section: 'Network separation and hardening' },
  { id: 'Network separation and hardening: control plane hardening', title: 'Control plane hardening (etcd, kubeconfig files, worker-to-control-plane traffic)', section: 'Network separation and hardening', manual: 'control-plane hosts and files: see `kubeguard node check`' },
  { id: 'Network separation and hardening: encrypt traffic', title: 'Encrypt traffic', section: 'Network separation and hardening' },
  { id: 'Authentication and authorization', title: 'Authentication and authorization', section: 'Authentication and authorization' },
  { id: 'Authentication and authorization: least privilege', title: 'Role-based access control, least privilege', section: 'Authentication and authorization' },
  { id: 'Authentication and authorization: secrets', title: 'Secrets', section: 'Authentication and authorization' },
  { id: 'Audit logging and threat detection', title: 'Audit logging and threat detection', section: 'Audit logging and threat detection', manual: 'audit policies, log collection and alerting are reviewed where the logs go' },
  { id: 'Upgrading and application security practices', title: 'Upgrading and application security practices', section: 'Upgrading and application security practices', manual: 'patch cadence and periodic reviews are a process' },
];

/**
 * MITRE ATT&CK techniques of the Containers matrix (https://attack.mitre.org/matrices/enterprise/containers/,
 * ATT&CK v15) that our rules counter, named as ATT&CK names them, with the tactic they appear under.
 */
export const MITRE_CONTROLS: CatalogControl[] = [
  { id: 'T1040', title: 'Network Sniffing', section: 'Credential Access' },
  { id: 'T1078', title: 'Valid Accounts', section: 'Initial Access' },
  { id: 'T1078.001', title: 'Valid Accounts: Default Accounts', section: 'Initial Access' },
  { id: 'T1078.004', title: 'Valid Accounts: Cloud Accounts', section: 'Initial Access' },
  { id: 'T1098', title: 'Account Manipulation', section: 'Persistence', manual: 'account changes are runtime activity: `kubeguard runtime analyze` detects them in audit logs' },
  { id: 'T1098.006', title: 'Account Manipulation: Additional Container Cluster Roles', section: 'Persistence' },
  { id: 'T1105', title: 'Ingress Tool Transfer', section: 'Command and Control' },
  { id: 'T1046', title: 'Network Service Discovery', section: 'Discovery', manual: 'scanning is runtime activity: `kubeguard runtime analyze` detects it' },
  { id: 'T1190', title: 'Exploit Public-Facing Application', section: 'Initial Access' },
  { id: 'T1195.002', title: 'Supply Chain Compromise: Compromise Software Supply Chain', section: 'Initial Access' },
  { id: 'T1204.003', title: 'User Execution: Malicious Image', section: 'Execution' },
  { id: 'T1210', title: 'Exploitation of Remote Services', section: 'Lateral Movement' },
  { id: 'T1496', title: 'Resource Hijacking', section: 'Impact' },
  { id: 'T1499', title: 'Endpoint Denial of Service', section: 'Impact' },
  { id: 'T1525', title: 'Implant Internal Image', section: 'Persistence' },
  { id: 'T1528', title: 'Steal Application Access Token', section: 'Credential Access' },
  { id: 'T1548.001', title: 'Abuse Elevation Control Mechanism: Setuid and Setgid', section: 'Privilege Escalation' },
  { id: 'T1552.001', title: 'Unsecured Credentials: Credentials In Files', section: 'Credential Access' },
  { id: 'T1552.007', title: 'Unsecured Credentials: Container API', section: 'Credential Access' },
  { id: 'T1557', title: 'Adversary-in-the-Middle', section: 'Credential Access' },
  { id: 'T1562.001', title: 'Impair Defenses: Disable or Modify Tools', section: 'Defense Evasion' },
  { id: 'T1562.008', title: 'Impair Defenses: Disable or Modify Cloud Logs', section: 'Defense Evasion' },
  { id: 'T1609', title: 'Container Administration Command', section: 'Execution' },
  { id: 'T1610', title: 'Deploy Container', section: 'Execution' },
  { id: 'T1611', title: 'Escape to Host', section: 'Privilege Escalation' },
  { id: 'T1612', title: 'Build Image on Host', section: 'Defense Evasion', manual: 'image builds on nodes are runtime activity: `kubeguard runtime analyze` detects them' },
  { id: 'T1613', title: 'Container and Resource Discovery', section: 'Discovery', manual: 'discovery is runtime activity: `kubeguard runtime analyze` detects it' },
  { id: 'T1649', title: 'Steal or Forge Authentication Certificates', section: 'Credential Access' },
];

/**
 * Pod Security Standards checks (kubernetes/pod-security-admission policy/check_*.go), by level: baseline's, and
 * restricted's, which include baseline's (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
 */
const PSS_BASELINE: [string, string][] = [
  ['hostNamespaces', 'Host namespaces (hostNetwork, hostPID, hostIPC)'],
  ['privileged', 'Privileged containers'],
  ['capabilities_baseline', 'Capabilities beyond the default set'],
  ['hostPathVolumes', 'HostPath volumes'],
  ['hostPorts', 'Host ports'],
  ['hostProbesAndHostLifecycle', 'Host in probes and lifecycle handlers'],
  ['appArmorProfile', 'AppArmor'],
  ['seLinuxOptions', 'SELinux'],
  ['procMount', '/proc mount type'],
  ['seccompProfile_baseline', 'Seccomp (not Unconfined)'],
  ['sysctls', 'Sysctls'],
  ['windowsHostProcess', 'Windows HostProcess'],
];
const PSS_RESTRICTED_ONLY: [string, string][] = [
  ['restrictedVolumes', 'Volume types'],
  ['procMount_restricted', '/proc mount type (restricted: Default only, also with user namespaces)'],
  ['allowPrivilegeEscalation', 'Privilege escalation'],
  ['runAsNonRoot', 'Running as non-root'],
  ['runAsUser', 'Running as non-root user'],
  ['seccompProfile_restricted', 'Seccomp (RuntimeDefault or Localhost)'],
  ['capabilities_restricted', 'Capabilities (drop ALL, add only NET_BIND_SERVICE)'],
];

export function pssControls(level: 'baseline' | 'restricted'): CatalogControl[] {
  const list = level === 'baseline' ? PSS_BASELINE : [...PSS_BASELINE, ...PSS_RESTRICTED_ONLY];
  return list.map(([id, title]) => ({ id, title, section: level === 'baseline' || PSS_BASELINE.some(([b]) => b === id) ? 'baseline' : 'restricted' }));
}
