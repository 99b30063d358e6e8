/**
 * The defaults the API server fills into built-in objects, as DATA, each entry citing its upstream source. Read
 * from kubernetes/kubernetes (pkg/apis/<group>/v1/defaults.go and the generated zz_generated.defaults.go, which
 * says where each SetDefaults_<Type> applies): core/v1 at 023f88a3, apps/v1 at 04791b49, batch/v1 at 045bbb19,
 * networking/v1 at 030880a5, rbac/v1 at 7c30c06e.
 *
 * The shape mirrors the Go types: TYPES says which field holds which type (a list: `[Type]`), DEFAULTS says which
 * fields a type gets when they are unset. defaults.ts walks an object with these two tables.
 *
 * Not defaulted here (honestly, because the value is the server's or a controller's choice, not a constant): Service
 * clusterIP(s)/ipFamilies/ipFamilyPolicy/nodePort (the service registry allocates them), Job selector and its
 * controller-uid labels (the job registry generates them), Pod nodeName/priority/tolerations/serviceAccount token
 * volume (scheduler and admission plugins). Those appear in SERVER_SET (server-set.ts) or are attributed through
 * managedFields. Feature-gated defaults are listed with the release they became default.
 */

/** Where a type's defaulting function comes from, for the report and for review. */
export const SOURCES = {
  coreV1: 'kubernetes/kubernetes pkg/apis/core/v1/defaults.go',
  coreV1Generated: 'kubernetes/kubernetes pkg/apis/core/v1/zz_generated.defaults.go (+default markers)',
  appsV1: 'kubernetes/kubernetes pkg/apis/apps/v1/defaults.go',
  batchV1: 'kubernetes/kubernetes pkg/apis/batch/v1/defaults.go',
  networkingV1: 'kubernetes/kubernetes pkg/apis/networking/v1/defaults.go',
  rbacV1: 'kubernetes/kubernetes pkg/apis/rbac/v1/defaults.go',
  conversion: 'kubernetes/kubernetes pkg/apis/core/v1/conversion.go (Convert_core_PodSpec_To_v1_PodSpec: DeprecatedServiceAccount = ServiceAccountName)',
  apiextensionsV1: 'kubernetes/kubernetes staging/src/k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1/defaults.go',
  admissionregistrationV1: 'kubernetes/kubernetes pkg/apis/admissionregistration/v1/defaults.go',
  policyV1: 'kubernetes/kubernetes pkg/apis/policy/v1 (no defaults): listed so the kind counts as known',
} as const;

export type SourceId = keyof typeof SOURCES;

/**
 * A default value, or one of the few computed ones (each a one-line rule from the cited function):
 * - `pullPolicy`: Always when the image's tag is `latest` or absent (no digest), else IfNotPresent (SetDefaults_Container);
 * - `servicePortTarget`: the port's own `port` (SetDefaults_Service);
 * - `policyTypes`: [Ingress], plus Egress when egress rules are given (SetDefaults_NetworkPolicy);
 * - `subjectApiGroup`: rbac.authorization.k8s.io for User and Group, "" for ServiceAccount (SetDefaults_Subject);
 * - `namespaceNameLabel`: the Namespace's own name (SetDefaults_Namespace);
 * - `requestsFromLimits`: each limit without a request becomes the request (SetDefaults_Pod, Pods only);
 * - `serviceAccountMirror`: the pod spec's serviceAccountName (conversion, not defaulting; same effect);
 * - `labelsFromTemplate`: the object's labels, when it has none, are its pod template's (SetDefaults_Job,
 *   SetDefaults_ReplicationController); `selectorFromTemplate`: likewise the selector (SetDefaults_ReplicationController).
 */
export type Computed = 'labelsFromTemplate' | 'selectorFromTemplate' | 'pullPolicy' | 'servicePortTarget' | 'policyTypes' | 'subjectApiGroup' | 'namespaceNameLabel' | 'requestsFromLimits' | 'serviceAccountMirror';

/** When a default applies, beyond "the field is unset". */
export type Condition =
  | { field: string; equals: unknown }
  | { field: string; in: unknown[] }
  | { absent: string[] }
  | { present: string }
  /** No field besides these is set (a volume with no source). */
  | { onlyFields: string[] };

export interface FieldDefault {
  field: string;
  value?: unknown;
  computed?: Computed;
  when?: Condition[];
  /** Set even if present with the zero value ("" / 0), as Go does for non-pointer fields. */
  zeroIsUnset?: boolean;
  source: SourceId;
  /** Go function (or marker) that sets it. */
  fn: string;
}

/** field → type it holds; `[T]` a list of T. */
export const TYPES: Record<string, Record<string, string | [string]>> = {
  // roots
  Pod: { metadata: 'PodMetadata', spec: 'PodSpecOfPod' },
  PodTemplate: { template: 'PodTemplateSpec' },
  ReplicationController: { metadata: 'ReplicationControllerMetadata', spec: 'ReplicationControllerSpec' },
  ReplicationControllerSpec: { template: 'PodTemplateSpec' },
  Deployment: { spec: 'DeploymentSpec' },
  DeploymentSpec: { template: 'PodTemplateSpec', strategy: 'DeploymentStrategy' },
  DeploymentStrategy: { rollingUpdate: 'RollingUpdateDeployment' },
  StatefulSet: { spec: 'StatefulSetSpec' },
  StatefulSetSpec: { template: 'PodTemplateSpec', updateStrategy: 'StatefulSetUpdateStrategy', volumeClaimTemplates: ['PersistentVolumeClaim'], persistentVolumeClaimRetentionPolicy: 'PVCRetentionPolicy' },
  StatefulSetUpdateStrategy: { rollingUpdate: 'RollingUpdateStatefulSetStrategy' },
  DaemonSet: { spec: 'DaemonSetSpec' },
  DaemonSetSpec: { template: 'PodTemplateSpec', updateStrategy: 'DaemonSetUpdateStrategy' },
  DaemonSetUpdateStrategy: { rollingUpdate: 'RollingUpdateDaemonSet' },
  ReplicaSet: { spec: 'ReplicaSetSpec' },
  ReplicaSetSpec: { template: 'PodTemplateSpec' },
  Job: { metadata: 'JobMetadata', spec: 'JobSpec' },
  JobSpec: { template: 'PodTemplateSpec' },
  CronJob: { spec: 'CronJobSpec' },
  CronJobSpec: { jobTemplate: 'JobTemplateSpec' },
  // SetDefaults_Job is registered for Job only: a CronJob's job template gets the pod defaults, not the Job's
  JobTemplateSpec: { spec: 'JobTemplateJobSpec' },
  JobTemplateJobSpec: { template: 'PodTemplateSpec' },
  Service: { spec: 'ServiceSpec' },
  ServiceSpec: { ports: ['ServicePort'] },
  Secret: {},
  Namespace: { metadata: 'NamespaceMetadata' },
  PersistentVolumeClaim: { spec: 'PersistentVolumeClaimSpec' },
  PersistentVolume: { spec: 'PersistentVolumeSpec' },
  NetworkPolicy: { spec: 'NetworkPolicySpec' },
  NetworkPolicySpec: { ingress: ['NetworkPolicyRule'], egress: ['NetworkPolicyRule'] },
  NetworkPolicyRule: { ports: ['NetworkPolicyPort'] },
  IngressClass: { spec: 'IngressClassSpec' },
  IngressClassSpec: { parameters: 'IngressClassParameters' },
  RoleBinding: { roleRef: 'RoleRef', subjects: ['Subject'] },
  ClusterRoleBinding: { roleRef: 'RoleRef', subjects: ['Subject'] },
  CustomResourceDefinition: { spec: 'CustomResourceDefinitionSpec' },
  ValidatingWebhookConfiguration: { webhooks: ['ValidatingWebhook'] },
  MutatingWebhookConfiguration: { webhooks: ['MutatingWebhook'] },
  ValidatingWebhook: { rules: ['RuleWithOperations'], clientConfig: 'WebhookClientConfig' },
  MutatingWebhook: { rules: ['RuleWithOperations'], clientConfig: 'WebhookClientConfig' },
  WebhookClientConfig: { service: 'ServiceReference' },

  // the pod template and the pod spec
  PodTemplateSpec: { spec: 'PodSpec' },
  PodSpec: { containers: ['Container'], initContainers: ['Container'], ephemeralContainers: ['Container'], volumes: ['Volume'] },
  PodSpecOfPod: { containers: ['ContainerOfPod'], initContainers: ['ContainerOfPod'], ephemeralContainers: ['Container'], volumes: ['Volume'] },
  Container: { ports: ['ContainerPort'], env: ['EnvVar'], livenessProbe: 'Probe', readinessProbe: 'Probe', startupProbe: 'Probe', lifecycle: 'Lifecycle' },
  ContainerOfPod: { ports: ['ContainerPort'], env: ['EnvVar'], livenessProbe: 'Probe', readinessProbe: 'Probe', startupProbe: 'Probe', lifecycle: 'Lifecycle', resources: 'ResourcesOfPod' },
  Probe: { httpGet: 'HTTPGetAction' },
  Lifecycle: { postStart: 'LifecycleHandler', preStop: 'LifecycleHandler' },
  LifecycleHandler: { httpGet: 'HTTPGetAction' },
  EnvVar: { valueFrom: 'EnvVarSource' },
  EnvVarSource: { fieldRef: 'ObjectFieldSelector' },
  Volume: { hostPath: 'HostPathVolumeSource', secret: 'SecretVolumeSource', configMap: 'ConfigMapVolumeSource', downwardAPI: 'DownwardAPIVolumeSource', projected: 'ProjectedVolumeSource', ephemeral: 'EphemeralVolumeSource' },
  DownwardAPIVolumeSource: { items: ['DownwardAPIVolumeFile'] },
  DownwardAPIVolumeFile: { fieldRef: 'ObjectFieldSelector' },
  DownwardAPIProjection: { items: ['DownwardAPIVolumeFile'] },
  ProjectedVolumeSource: { sources: ['VolumeProjection'] },
  VolumeProjection: { downwardAPI: 'DownwardAPIProjection', serviceAccountToken: 'ServiceAccountTokenProjection' },
  EphemeralVolumeSource: { volumeClaimTemplate: 'PersistentVolumeClaimTemplate' },
  PersistentVolumeClaimTemplate: { spec: 'PersistentVolumeClaimSpec' },
};

export const DEFAULTS: Record<string, FieldDefault[]> = {
  PodSpec: [
    { field: 'dnsPolicy', value: 'ClusterFirst', source: 'coreV1', fn: 'SetDefaults_PodSpec' },
    { field: 'restartPolicy', value: 'Always', source: 'coreV1', fn: 'SetDefaults_PodSpec' },
    { field: 'securityContext', value: {}, source: 'coreV1', fn: 'SetDefaults_PodSpec' },
    { field: 'terminationGracePeriodSeconds', value: 30, source: 'coreV1', fn: 'SetDefaults_PodSpec' },
    { field: 'schedulerName', value: 'default-scheduler', source: 'coreV1', fn: 'SetDefaults_PodSpec' },
    { field: 'serviceAccount', computed: 'serviceAccountMirror', when: [{ present: 'serviceAccountName' }], source: 'conversion', fn: 'Convert_core_PodSpec_To_v1_PodSpec' },
  ],
  Container: [
    { field: 'imagePullPolicy', computed: 'pullPolicy', source: 'coreV1', fn: 'SetDefaults_Container' },
    { field: 'terminationMessagePath', value: '/dev/termination-log', source: 'coreV1', fn: 'SetDefaults_Container' },
    { field: 'terminationMessagePolicy', value: 'File', source: 'coreV1', fn: 'SetDefaults_Container' },
  ],
  ContainerPort: [{ field: 'protocol', value: 'TCP', source: 'coreV1Generated', fn: 'ContainerPort.Protocol +default="TCP"' }],
  Probe: [
    { field: 'timeoutSeconds', value: 1, zeroIsUnset: true, source: 'coreV1', fn: 'SetDefaults_Probe' },
    { field: 'periodSeconds', value: 10, zeroIsUnset: true, source: 'coreV1', fn: 'SetDefaults_Probe' },
    { field: 'successThreshold', value: 1, zeroIsUnset: true, source: 'coreV1', fn: 'SetDefaults_Probe' },
    { field: 'failureThreshold', value: 3, zeroIsUnset: true, source: 'coreV1', fn: 'SetDefaults_Probe' },
  ],
  HTTPGetAction: [
    { field: 'path', value: '/', zeroIsUnset: true, source: 'coreV1', fn: 'SetDefaults_HTTPGetAction' },
    { field: 'scheme', value: 'HTTP', zeroIsUnset: true, source: 'coreV1', fn: 'SetDefaults_HTTPGetAction' },
  ],
  ObjectFieldSelector: [{ field: 'apiVersion', value: 'v1', zeroIsUnset: true, source: 'coreV1', fn: 'SetDefaults_ObjectFieldSelector' }],
  Volume: [{ field: 'emptyDir', value: {}, when: [{ onlyFields: ['name'] }], source: 'coreV1', fn: 'SetDefaults_Volume' }],
  HostPathVolumeSource: [{ field: 'type', value: '', source: 'coreV1', fn: 'SetDefaults_HostPathVolumeSource' }],
  SecretVolumeSource: [{ field: 'defaultMode', value: 0o644, source: 'coreV1', fn: 'SetDefaults_SecretVolumeSource' }],
  ConfigMapVolumeSource: [{ field: 'defaultMode', value: 0o644, source: 'coreV1', fn: 'SetDefaults_ConfigMapVolumeSource' }],
  DownwardAPIVolumeSource: [{ field: 'defaultMode', value: 0o644, source: 'coreV1', fn: 'SetDefaults_DownwardAPIVolumeSource' }],
  ProjectedVolumeSource: [{ field: 'defaultMode', value: 0o644, source: 'coreV1', fn: 'SetDefaults_ProjectedVolumeSource' }],
  ServiceAccountTokenProjection: [{ field: 'expirationSeconds', value: 3600, source: 'coreV1', fn: 'SetDefaults_ServiceAccountTokenProjection' }],
  PersistentVolumeClaim: [
    { field: 'status', value: { phase: 'Pending' }, source: 'coreV1', fn: 'SetDefaults_PersistentVolumeClaim (status.phase; shows in StatefulSet volumeClaimTemplates)' },
  ],
  PersistentVolumeClaimSpec: [{ field: 'volumeMode', value: 'Filesystem', source: 'coreV1', fn: 'SetDefaults_PersistentVolumeClaimSpec' }],
  PersistentVolumeSpec: [
    { field: 'persistentVolumeReclaimPolicy', value: 'Retain', source: 'coreV1', fn: 'SetDefaults_PersistentVolume' },
    { field: 'volumeMode', value: 'Filesystem', source: 'coreV1', fn: 'SetDefaults_PersistentVolume' },
  ],
  Secret: [{ field: 'type', value: 'Opaque', zeroIsUnset: true, source: 'coreV1', fn: 'SetDefaults_Secret' }],
  NamespaceMetadata: [{ field: 'labels', computed: 'namespaceNameLabel', source: 'coreV1', fn: 'SetDefaults_Namespace' }],
  PodSpecOfPod: [], // filled below: PodSpec's defaults, plus the Pod-only ones
  ContainerOfPod: [],
  ResourcesOfPod: [{ field: 'requests', computed: 'requestsFromLimits', when: [{ present: 'limits' }], source: 'coreV1', fn: 'SetDefaults_Pod' }],
  ServiceSpec: [
    { field: 'sessionAffinity', value: 'None', zeroIsUnset: true, source: 'coreV1', fn: 'SetDefaults_Service' },
    { field: 'type', value: 'ClusterIP', zeroIsUnset: true, source: 'coreV1', fn: 'SetDefaults_Service' },
    { field: 'externalTrafficPolicy', value: 'Cluster', when: [{ field: 'type', in: ['NodePort', 'LoadBalancer'] }], source: 'coreV1', fn: 'SetDefaults_Service (externally accessible)' },
    { field: 'internalTrafficPolicy', value: 'Cluster', when: [{ field: 'type', in: [undefined, 'ClusterIP', 'NodePort', 'LoadBalancer'] }], source: 'coreV1', fn: 'SetDefaults_Service' },
    { field: 'allocateLoadBalancerNodePorts', value: true, when: [{ field: 'type', equals: 'LoadBalancer' }], source: 'coreV1', fn: 'SetDefaults_Service' },
  ],
  ServicePort: [
    { field: 'protocol', value: 'TCP', zeroIsUnset: true, source: 'coreV1', fn: 'SetDefaults_Service' },
    { field: 'targetPort', computed: 'servicePortTarget', zeroIsUnset: true, source: 'coreV1', fn: 'SetDefaults_Service' },
  ],
  ReplicationControllerSpec: [
    { field: 'replicas', value: 1, source: 'coreV1Generated', fn: 'ReplicationControllerSpec.Replicas +default=1' },
    { field: 'selector', computed: 'selectorFromTemplate', source: 'coreV1', fn: 'SetDefaults_ReplicationController' },
  ],
  ReplicationControllerMetadata: [{ field: 'labels', computed: 'labelsFromTemplate', source: 'coreV1', fn: 'SetDefaults_ReplicationController' }],
  JobMetadata: [{ field: 'labels', computed: 'labelsFromTemplate', source: 'batchV1', fn: 'SetDefaults_Job' }],

  DeploymentSpec: [
    { field: 'replicas', value: 1, source: 'appsV1', fn: 'SetDefaults_Deployment' },
    { field: 'strategy', value: { type: 'RollingUpdate' }, source: 'appsV1', fn: 'SetDefaults_Deployment' },
    { field: 'revisionHistoryLimit', value: 10, source: 'appsV1', fn: 'SetDefaults_Deployment' },
    { field: 'progressDeadlineSeconds', value: 600, source: 'appsV1', fn: 'SetDefaults_Deployment' },
  ],
  DeploymentStrategy: [
    { field: 'type', value: 'RollingUpdate', zeroIsUnset: true, source: 'appsV1', fn: 'SetDefaults_Deployment' },
    { field: 'rollingUpdate', value: {}, when: [{ field: 'type', in: [undefined, 'RollingUpdate'] }], source: 'appsV1', fn: 'SetDefaults_Deployment' },
  ],
  RollingUpdateDeployment: [
    { field: 'maxUnavailable', value: '25%', source: 'appsV1', fn: 'SetDefaults_Deployment' },
    { field: 'maxSurge', value: '25%', source: 'appsV1', fn: 'SetDefaults_Deployment' },
  ],
  StatefulSetSpec: [
    { field: 'podManagementPolicy', value: 'OrderedReady', zeroIsUnset: true, source: 'appsV1', fn: 'SetDefaults_StatefulSet' },
    { field: 'updateStrategy', value: { type: 'RollingUpdate', rollingUpdate: {} }, source: 'appsV1', fn: 'SetDefaults_StatefulSet' },
    { field: 'persistentVolumeClaimRetentionPolicy', value: {}, source: 'appsV1', fn: 'SetDefaults_StatefulSet (StatefulSetAutoDeletePVC, default since 1.27)' },
    { field: 'replicas', value: 1, source: 'appsV1', fn: 'SetDefaults_StatefulSet' },
    { field: 'revisionHistoryLimit', value: 10, source: 'appsV1', fn: 'SetDefaults_StatefulSet' },
  ],
  StatefulSetUpdateStrategy: [
    { field: 'rollingUpdate', value: {}, when: [{ absent: ['type'] }], source: 'appsV1', fn: 'SetDefaults_StatefulSet' },
    { field: 'type', value: 'RollingUpdate', zeroIsUnset: true, source: 'appsV1', fn: 'SetDefaults_StatefulSet' },
  ],
  RollingUpdateStatefulSetStrategy: [{ field: 'partition', value: 0, source: 'appsV1', fn: 'SetDefaults_StatefulSet' }],
  PVCRetentionPolicy: [
    { field: 'whenDeleted', value: 'Retain', zeroIsUnset: true, source: 'appsV1', fn: 'SetDefaults_StatefulSet' },
    { field: 'whenScaled', value: 'Retain', zeroIsUnset: true, source: 'appsV1', fn: 'SetDefaults_StatefulSet' },
  ],
  DaemonSetSpec: [
    { field: 'updateStrategy', value: {}, source: 'appsV1', fn: 'SetDefaults_DaemonSet' },
    { field: 'revisionHistoryLimit', value: 10, source: 'appsV1', fn: 'SetDefaults_DaemonSet' },
  ],
  DaemonSetUpdateStrategy: [
    { field: 'type', value: 'RollingUpdate', zeroIsUnset: true, source: 'appsV1', fn: 'SetDefaults_DaemonSet' },
    { field: 'rollingUpdate', value: {}, when: [{ field: 'type', in: [undefined, 'RollingUpdate'] }], source: 'appsV1', fn: 'SetDefaults_DaemonSet' },
  ],
  RollingUpdateDaemonSet: [
    { field: 'maxUnavailable', value: 1, source: 'appsV1', fn: 'SetDefaults_DaemonSet' },
    { field: 'maxSurge', value: 0, source: 'appsV1', fn: 'SetDefaults_DaemonSet' },
  ],
  ReplicaSetSpec: [{ field: 'replicas', value: 1, source: 'appsV1', fn: 'SetDefaults_ReplicaSet' }],

  JobSpec: [
    { field: 'completions', value: 1, when: [{ absent: ['completions', 'parallelism'] }], source: 'batchV1', fn: 'SetDefaults_Job' },
    { field: 'parallelism', value: 1, source: 'batchV1', fn: 'SetDefaults_Job' },
    { field: 'backoffLimit', value: 6, source: 'batchV1', fn: 'SetDefaults_Job' },
    { field: 'completionMode', value: 'NonIndexed', source: 'batchV1', fn: 'SetDefaults_Job' },
    { field: 'suspend', value: false, source: 'batchV1', fn: 'SetDefaults_Job' },
    { field: 'podReplacementPolicy', value: 'TerminatingOrFailed', when: [{ absent: ['podFailurePolicy'] }], source: 'batchV1', fn: 'SetDefaults_Job (JobPodReplacementPolicy, default since 1.29)' },
    { field: 'podReplacementPolicy', value: 'Failed', when: [{ present: 'podFailurePolicy' }], source: 'batchV1', fn: 'SetDefaults_Job (JobPodReplacementPolicy, default since 1.29)' },
  ],
  CronJobSpec: [
    { field: 'concurrencyPolicy', value: 'Allow', zeroIsUnset: true, source: 'batchV1', fn: 'SetDefaults_CronJob' },
    { field: 'suspend', value: false, source: 'batchV1', fn: 'SetDefaults_CronJob' },
    { field: 'successfulJobsHistoryLimit', value: 3, source: 'batchV1', fn: 'SetDefaults_CronJob' },
    { field: 'failedJobsHistoryLimit', value: 1, source: 'batchV1', fn: 'SetDefaults_CronJob' },
  ],

  NetworkPolicySpec: [{ field: 'policyTypes', computed: 'policyTypes', source: 'networkingV1', fn: 'SetDefaults_NetworkPolicy' }],
  NetworkPolicyPort: [{ field: 'protocol', value: 'TCP', source: 'networkingV1', fn: 'SetDefaults_NetworkPolicyPort' }],
  IngressClassParameters: [{ field: 'scope', value: 'Cluster', source: 'networkingV1', fn: 'SetDefaults_IngressClass' }],

  RoleRef: [{ field: 'apiGroup', value: 'rbac.authorization.k8s.io', zeroIsUnset: true, source: 'rbacV1', fn: 'SetDefaults_RoleBinding / SetDefaults_ClusterRoleBinding' }],
  Subject: [{ field: 'apiGroup', computed: 'subjectApiGroup', zeroIsUnset: true, source: 'rbacV1', fn: 'SetDefaults_Subject' }],

  CustomResourceDefinitionSpec: [{ field: 'conversion', value: { strategy: 'None' }, source: 'apiextensionsV1', fn: 'SetDefaults_CustomResourceDefinitionSpec' }],

  ValidatingWebhook: [
    { field: 'failurePolicy', value: 'Fail', source: 'admissionregistrationV1', fn: 'SetDefaults_ValidatingWebhook' },
    { field: 'matchPolicy', value: 'Equivalent', source: 'admissionregistrationV1', fn: 'SetDefaults_ValidatingWebhook' },
    { field: 'namespaceSelector', value: {}, source: 'admissionregistrationV1', fn: 'SetDefaults_ValidatingWebhook' },
    { field: 'objectSelector', value: {}, source: 'admissionregistrationV1', fn: 'SetDefaults_ValidatingWebhook' },
    { field: 'timeoutSeconds', value: 10, source: 'admissionregistrationV1', fn: 'SetDefaults_ValidatingWebhook' },
  ],
  MutatingWebhook: [
    { field: 'failurePolicy', value: 'Fail', source: 'admissionregistrationV1', fn: 'SetDefaults_MutatingWebhook' },
    { field: 'matchPolicy', value: 'Equivalent', source: 'admissionregistrationV1', fn: 'SetDefaults_MutatingWebhook' },
    { field: 'namespaceSelector', value: {}, source: 'admissionregistrationV1', fn: 'SetDefaults_MutatingWebhook' },
    { field: 'objectSelector', value: {}, source: 'admissionregistrationV1', fn: 'SetDefaults_MutatingWebhook' },
    { field: 'timeoutSeconds', value: 10, source: 'admissionregistrationV1', fn: 'SetDefaults_MutatingWebhook' },
    { field: 'reinvocationPolicy', value: 'Never', source: 'admissionregistrationV1', fn: 'SetDefaults_MutatingWebhook' },
  ],
  RuleWithOperations: [{ field: 'scope', value: '*', source: 'admissionregistrationV1', fn: 'SetDefaults_Rule' }],
  ServiceReference: [{ field: 'port', value: 443, source: 'admissionregistrationV1', fn: 'SetDefaults_ServiceReference' }],
};

DEFAULTS.PodSpecOfPod = [
  ...DEFAULTS.PodSpec,
  { field: 'enableServiceLinks', value: true, source: 'coreV1', fn: 'SetDefaults_Pod' },
];
DEFAULTS.ContainerOfPod = DEFAULTS.Container;

/** apiVersion/kind → root type. Objects of other kinds get no defaults (CRD instances: their schema's defaults are not known here). */
export const ROOTS: Record<string, string> = {
  'v1/Pod': 'Pod',
  'v1/PodTemplate': 'PodTemplate',
  'v1/ReplicationController': 'ReplicationController',
  'v1/Service': 'Service',
  'v1/Secret': 'Secret',
  'v1/Namespace': 'Namespace',
  'v1/PersistentVolumeClaim': 'PersistentVolumeClaim',
  'v1/PersistentVolume': 'PersistentVolume',
  'apps/v1/Deployment': 'Deployment',
  'apps/v1/StatefulSet': 'StatefulSet',
  'apps/v1/DaemonSet': 'DaemonSet',
  'apps/v1/ReplicaSet': 'ReplicaSet',
  'batch/v1/Job': 'Job',
  'batch/v1/CronJob': 'CronJob',
  'networking.k8s.io/v1/NetworkPolicy': 'NetworkPolicy',
  'networking.k8s.io/v1/IngressClass': 'IngressClass',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'ClusterRoleBinding',
  'apiextensions.k8s.io/v1/CustomResourceDefinition': 'CustomResourceDefinition',
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': 'ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': 'MutatingWebhookConfiguration',
};
