/**
 * Other tools' checks that mean what one of our rules means, so the server keeps one finding per problem. Kyverno's
 * pod-security policy library (kyverno/policies, pod-security/baseline and restricted) implements the Pod Security
 * Standards control by control, as our pss-* rules do.
 */
export const EQUIVALENT_RULES: Record<string, Record<string, string>> = {
  kyverno: {
    'disallow-privileged-containers': 'pss-privileged',
    'disallow-host-namespaces': 'pss-host-namespaces',
    'disallow-host-path': 'pss-host-path-volumes',
    'disallow-host-ports': 'pss-host-ports',
    'disallow-host-process': 'pss-windows-host-process',
    'disallow-capabilities': 'pss-capabilities-baseline',
    'disallow-capabilities-strict': 'pss-capabilities-restricted',
    'disallow-proc-mount': 'pss-proc-mount',
    'disallow-selinux': 'pss-selinux-options',
    'restrict-apparmor-profiles': 'pss-apparmor-profile',
    'restrict-seccomp': 'pss-seccomp-profile-baseline',
    'restrict-seccomp-strict': 'pss-seccomp-profile-restricted',
    'restrict-sysctls': 'pss-sysctls',
    'restrict-volume-types': 'pss-restricted-volumes',
    'disallow-privilege-escalation': 'pss-allow-privilege-escalation',
    'require-run-as-nonroot': 'pss-run-as-non-root',
    'require-run-as-non-root-user': 'pss-run-as-user',
  },
};

export function equivalentRule(source: string, policy: string): string | undefined {
  return EQUIVALENT_RULES[source]?.[policy];
}
