/**
 * `kubeguard policy export-vap`: built-in rules that CEL can express, as ValidatingAdmissionPolicies (with a
 * binding), for clusters that prefer the API server to enforce them. Each exported policy is held to the same
 * answers as its rule by a test over the rule's own pass/fail fixtures (export-vap.test.ts).
 * Pod specs are reached in every workload kind (Pod, PodTemplate, Deployment, ReplicaSet, StatefulSet, DaemonSet,
 * Job, ReplicationController, CronJob), and containers include init and ephemeral containers.
 */
import type { KubeObject } from '../core/model.js';
import type { Rule } from '../core/rule.js';
import type { ValidationAction } from '../analysis/cel/vap/types.js';

/** The pod spec of any workload kind, and every container in it. */
const VARIABLES = [
  {
    name: 'podSpec',
    expression:
      "object.kind == 'Pod' ? object.spec : object.kind == 'PodTemplate' ? object.template.spec : object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec",
  },
  {
    name: 'containers',
    expression:
      "variables.podSpec.containers + (has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : []) + (has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : [])",
  },
];

const WORKLOAD_RULES = [
  { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods', 'podtemplates', 'replicationcontrollers'] },
  { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'] },
  { apiGroups: ['batch'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['jobs', 'cronjobs'] },
];

interface Exportable {
  validations: Array<{ expression: string; messageExpression: string }>;
}

const sc = (field: string): string => `has(c.securityContext) && has(c.securityContext.${field})`;

/** Rule id → the CEL that expresses it (Pod Security Standards checks of k8s.io/pod-security-admission). */
export const EXPORTABLE: Record<string, Exportable> = {
  'pss-privileged': {
    validations: [
      {
        expression: `variables.containers.all(c, !(${sc('privileged')}) || c.securityContext.privileged == false)`,
        messageExpression: "'privileged containers are not allowed: ' + variables.containers.filter(c, " + sc('privileged') + " && c.securityContext.privileged).map(c, c.name).join(', ')",
      },
    ],
  },
  'pss-host-namespaces': {
    validations: [
      {
        expression: '!(has(variables.podSpec.hostNetwork) && variables.podSpec.hostNetwork) && !(has(variables.podSpec.hostPID) && variables.podSpec.hostPID) && !(has(variables.podSpec.hostIPC) && variables.podSpec.hostIPC)',
        messageExpression: "'host namespaces are not allowed (hostNetwork, hostPID, hostIPC must be unset or false)'",
      },
    ],
  },
  'pss-host-path-volumes': {
    validations: [
      {
        expression: '!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.hostPath))',
        messageExpression: "'hostPath volumes are not allowed: ' + variables.podSpec.volumes.filter(v, has(v.hostPath)).map(v, v.name).join(', ')",
      },
    ],
  },
  'pss-host-ports': {
    validations: [
      {
        expression: 'variables.containers.all(c, !has(c.ports) || c.ports.all(p, !has(p.hostPort) || p.hostPort == 0))',
        messageExpression: "'hostPort is not allowed: ' + variables.containers.filter(c, has(c.ports) && c.ports.exists(p, has(p.hostPort) && p.hostPort != 0)).map(c, c.name).join(', ')",
      },
    ],
  },
  'pss-allow-privilege-escalation': {
    validations: [
      {
        // restricted since v1.8; Windows pods are exempt since v1.25
        expression: `(has(variables.podSpec.os) && has(variables.podSpec.os.name) && variables.podSpec.os.name == 'windows') || variables.containers.all(c, ${sc('allowPrivilegeEscalation')} && c.securityContext.allowPrivilegeEscalation == false)`,
        messageExpression: "'containers must set securityContext.allowPrivilegeEscalation=false: ' + variables.containers.filter(c, !(" + sc('allowPrivilegeEscalation') + " && c.securityContext.allowPrivilegeEscalation == false)).map(c, c.name).join(', ')",
      },
    ],
  },
  'pss-run-as-non-root': {
    validations: [
      {
        // restricted; pods in a user namespace (hostUsers: false) are exempt from v1.35
        expression:
          "(has(variables.podSpec.hostUsers) && variables.podSpec.hostUsers == false) || (!(has(variables.podSpec.securityContext) && has(variables.podSpec.securityContext.runAsNonRoot) && variables.podSpec.securityContext.runAsNonRoot != true) && variables.containers.all(c, (" +
          sc('runAsNonRoot') +
          ') ? c.securityContext.runAsNonRoot == true : (has(variables.podSpec.securityContext) && has(variables.podSpec.securityContext.runAsNonRoot) && variables.podSpec.securityContext.runAsNonRoot == true)))',
        messageExpression: "'the pod or every container must set securityContext.runAsNonRoot=true, and none may set it to false'",
      },
    ],
  },
  'pss-capabilities-restricted': {
    validations: [
      {
        // restricted since v1.22; Windows pods are exempt since v1.25
        expression: `(has(variables.podSpec.os) && has(variables.podSpec.os.name) && variables.podSpec.os.name == 'windows') || variables.containers.all(c, ${sc('capabilities')} && has(c.securityContext.capabilities.drop) && c.securityContext.capabilities.drop.exists(x, x == 'ALL') && (!has(c.securityContext.capabilities.add) || c.securityContext.capabilities.add.all(x, x == 'NET_BIND_SERVICE')))`,
        messageExpression: "'containers must drop ALL capabilities and may add only NET_BIND_SERVICE: ' + variables.containers.filter(c, !(" + sc('capabilities') + " && has(c.securityContext.capabilities.drop) && c.securityContext.capabilities.drop.exists(x, x == 'ALL') && (!has(c.securityContext.capabilities.add) || c.securityContext.capabilities.add.all(x, x == 'NET_BIND_SERVICE')))).map(c, c.name).join(', ')",
      },
    ],
  },
  'pss-run-as-user': {
    validations: [
      {
        expression: `!(has(variables.podSpec.securityContext) && has(variables.podSpec.securityContext.runAsUser) && variables.podSpec.securityContext.runAsUser == 0) && variables.containers.all(c, !(${sc('runAsUser')}) || c.securityContext.runAsUser != 0)`,
        messageExpression: "'runAsUser must not be 0 (root)'",
      },
    ],
  },
};

export interface ExportOptions {
  /** validationActions of the generated bindings (default Deny) */
  actions?: ValidationAction[];
  /** prefix of the policy names (default kubeguard-) */
  prefix?: string;
}

/** A ValidatingAdmissionPolicy and its binding for each exportable rule among `rules`. */
export function exportVaps(rules: readonly Rule[], options: ExportOptions = {}): KubeObject[] {
  const prefix = options.prefix ?? 'kubeguard-';
  const out: KubeObject[] = [];
  for (const rule of rules) {
    const e = EXPORTABLE[rule.id];
    if (!e) continue;
    const name = `${prefix}${rule.id}`;
    out.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'kubeguard', 'kubeguard.io/rule': rule.id }, annotations: { 'kubeguard.io/title': rule.title } },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: WORKLOAD_RULES },
        variables: VARIABLES,
        validations: e.validations.map((v) => ({ ...v, reason: 'Forbidden' })),
      },
    });
    out.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'kubeguard' } },
      spec: { policyName: name, validationActions: options.actions ?? ['Deny'] },
    });
  }
  return out;
}
