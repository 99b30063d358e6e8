/**
 * RBAC analysis: exact Kubernetes RBAC semantics over plain objects, who-can, effective permissions,
 * escalation paths and workload blast radius.
 *
 *   const rbac = analyzeRbac(resources);                 // bootstrap policy included (options.bootstrap=false to drop)
 *   rbac.whoCan({ verb: 'get', resource: 'secrets', namespace: 'ci' });
 *   rbac.permissions(parseSubject('sa:ci/deployer'));
 *   rbac.paths({ to: 'cluster-admin' });
 *   rbac.blastRadius(parseWorkloadId('ci/Deployment/runner'));
 */
export { analyzeRbac, RbacAnalysis } from './analysis.js';
export { RbacIndex, buildRbacIndex } from './rbac-index.js';
export type { RbacIndexOptions, IndexedBinding, IndexedRole } from './rbac-index.js';
export { whoCan, grantingBindings, SUPERUSER_VIA, ALL_NAMESPACES } from './who-can.js';
export type { WhoCanResult, WhoCanSubject, WhoCanVia } from './who-can.js';
export { authorize } from './authorize.js';
export type { Decision } from './authorize.js';
export { permissionsOf } from './permissions.js';
export type { SubjectPermissions, PermissionRow, NonResourceRow } from './permissions.js';
export { blastRadius, parseWorkloadId } from './blast-radius.js';
export type { BlastRadius, WorkloadId } from './blast-radius.js';
export { parseSubject, subjectKey, userInfoOf, formatSubject } from './identity.js';
export { ruleAllows, rulesAllow } from './matching.js';
export { abilitiesOf, ruleGrant, isClusterAdminRule } from './abilities.js';
export type { AbilityId } from './abilities.js';
export { EscalationGraph } from './escalation/graph.js';
export { ShortestPaths } from './escalation/paths.js';
export { CAPABILITIES, CAPABILITY_IDS } from './escalation/model.js';
export type { CapabilityId, EscalationPath, PathStep, GraphEdge, GraphNode } from './escalation/model.js';
export { BOOTSTRAP_CLUSTER_ROLES, BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLE_NAMES } from './bootstrap-policy.js';
export { dangerousAbilities, ABILITY_WORDS } from './ability-summary.js';
export type { AbilityLine } from './ability-summary.js';
export * from './render/index.js';
export type * from './types.js';
