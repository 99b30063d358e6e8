/**
 * Other tools' checks that mean what one of our rules means, so the server keeps one finding per problem. Kyverno's
 * pod-security policy library (kyverno/policies, pod-security/baseline and restricted) implements the Pod Security
 * Standards control by control, as our pss-* rules do. Trivy's Kubernetes checks (aquasecurity/trivy-checks,
 * checks/kubernetes, ids KSV001… — newer releases write KSV-0001) judge the same fields as the rules named here;
 * several of theirs can mean one of ours (host IPC, network, PID are one PSS control), which the server then keeps
 * as one finding. Checks without an exact counterpart keep their own id.
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
  'trivy-operator': {
    KSV001: 'pss-allow-privilege-escalation',
    KSV003: 'pss-capabilities-restricted',
    KSV005: 'pss-capabilities-baseline',
    KSV006: 'container-runtime-socket-mount',
    KSV008: 'pss-host-namespaces',
    KSV009: 'pss-host-namespaces',
    KSV010: 'pss-host-namespaces',
    KSV011: 'cpu-limit-missing',
    KSV012: 'pss-run-as-non-root',
    KSV014: 'read-only-root-filesystem',
    KSV015: 'resource-requests-missing',
    KSV016: 'resource-requests-missing',
    KSV017: 'pss-privileged',
    KSV018: 'memory-limit-missing',
    KSV022: 'pss-capabilities-baseline',
    KSV023: 'pss-host-path-volumes',
    KSV024: 'pss-host-ports',
    KSV025: 'pss-selinux-options',
    KSV026: 'pss-sysctls',
    KSV027: 'pss-proc-mount',
    KSV028: 'pss-restricted-volumes',
    KSV030: 'pss-seccomp-profile-restricted',
    KSV041: 'rbac-read-secrets',
    KSV043: 'rbac-impersonate',
    KSV044: 'rbac-wildcard-permissions',
    KSV045: 'rbac-wildcard-permissions',
    KSV046: 'rbac-wildcard-permissions',
    KSV047: 'rbac-nodes-proxy',
    KSV050: 'rbac-escalate-bind',
    KSV053: 'rbac-pod-exec-attach',
    KSV054: 'rbac-pod-exec-attach',
    KSV104: 'pss-seccomp-profile-baseline',
    KSV105: 'pss-run-as-user',
    KSV106: 'pss-capabilities-restricted',
    KSV110: 'default-namespace',
    KSV112: 'rbac-wildcard-permissions',
    KSV113: 'rbac-read-secrets',
    KSV114: 'rbac-admission-webhook-write',
    KSV119: 'pss-capabilities-baseline',
    KSV120: 'pss-capabilities-baseline',
    KSV122: 'rbac-anonymous-binding',
    KSV123: 'rbac-system-masters-binding',
    KSV1011: 'rbac-authenticated-binding',
  },
};

/** Trivy's check ids in one spelling: KSV-0001 and KSV001 are KSV001. */
function canonicalCheckId(source: string, policy: string): string {
  if (source !== 'trivy-operator') return policy;
  const m = /^([A-Z]+)-?0*(\d+)$/.exec(policy);
  return m ? `${m[1]}${m[2].padStart(3, '0')}` : policy;
}

export function equivalentRule(source: string, policy: string): string | undefined {
  return EQUIVALENT_RULES[source]?.[canonicalCheckId(source, policy)];
}
