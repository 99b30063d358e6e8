/** Upstream check ID → kubeguard rule id (src/rules/pod-security/<rule-id>/). */
export const PSS_RULE_IDS: Readonly<Record<string, string>> = {
  allowPrivilegeEscalation: 'pss-allow-privilege-escalation',
  appArmorProfile: 'pss-apparmor-profile',
  capabilities_baseline: 'pss-capabilities-baseline',
  capabilities_restricted: 'pss-capabilities-restricted',
  hostNamespaces: 'pss-host-namespaces',
  hostPathVolumes: 'pss-host-path-volumes',
  hostPorts: 'pss-host-ports',
  hostProbesAndHostLifecycle: 'pss-host-probes-and-lifecycle',
  privileged: 'pss-privileged',
  procMount: 'pss-proc-mount',
  procMount_restricted: 'pss-proc-mount-restricted',
  restrictedVolumes: 'pss-restricted-volumes',
  runAsNonRoot: 'pss-run-as-non-root',
  runAsUser: 'pss-run-as-user',
  seLinuxOptions: 'pss-selinux-options',
  seccompProfile_baseline: 'pss-seccomp-profile-baseline',
  seccompProfile_restricted: 'pss-seccomp-profile-restricted',
  sysctls: 'pss-sysctls',
  windowsHostProcess: 'pss-windows-host-process',
};

export function pssRuleIdFor(checkId: string): string | undefined {
  return PSS_RULE_IDS[checkId];
}
