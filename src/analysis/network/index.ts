/**
 * Network policy engine (networking.k8s.io/v1 NetworkPolicy), a pure library:
 *
 *   const cluster = buildCluster(objects)            // namespaces, pod/workload representatives, policies
 *   reach(cluster, from, to, port?, protocol?)       // allowed? and which policies allow it on each side
 *   computeMatrix(cluster) + renderMatrix(m, fmt)    // all pairs by port: table | json | dot
 *   isolation(cluster)                               // pods selected by no ingress / egress policy
 *   exposure(cluster)                                // internet-admitting ipBlocks, LB/NodePort/externalIPs, Ingress, HTTPRoute
 *   diff(before, after)                              // newly allowed / newly denied connections
 *   parseFlows(text) → generatePolicies(flows, cluster) / simulate(flows, cluster)
 *
 * Semantics are documented (with upstream references) in policy.ts, evaluate.ts and selector.ts.
 */
export { buildCluster, flattenLists, NAMESPACE_NAME_LABEL, NETWORK_INPUT_KINDS } from './cluster.js';
export type { NetCluster, NetNamespace, NetPod, NamedPort } from './cluster.js';
export { ConnSet, PROTOCOLS, isProtocol } from './conns.js';
export type { Protocol } from './conns.js';
export { reach, evaluatePair, endpointName } from './evaluate.js';
export { reachCidr } from './reach-cidr.js';
export type { Endpoint, EvalOptions, ReachResult, PairVerdict } from './evaluate.js';
export { computeMatrix, ReachabilityMatrix } from './matrix.js';
export type { MatrixOptions } from './matrix.js';
export { renderMatrix, matrixConnections } from './render.js';
export type { MatrixFormat, MatrixConnection } from './render.js';
export { isolation, renderIsolationTable } from './isolation.js';
export type { IsolationReport, PodIsolation } from './isolation.js';
export { exposure, renderExposureTable } from './exposure.js';
export type { ExposureReport, InternetIngress, RoutedExposure } from './exposure.js';
export { diff, renderDiffTable } from './diff.js';
export type { DiffReport, ConnChange } from './diff.js';
export { parseFlows, dedupeFlows, workloadFromPodName } from './flows.js';
export type { Flow, FlowEndpoint, FlowParseResult } from './flows.js';
export { resolveFlowEndpoint } from './flow-endpoints.js';
export { generatePolicies } from './generate.js';
export type { GenerateOptions, GenerateResult, GeneratedPolicy } from './generate.js';
export { simulate, renderSimulationTable } from './simulate.js';
export type { SimulationReport, SimulatedFlow } from './simulate.js';
export { parseIp, parseCidr, IpParseError } from './ip.js';
export { selectorFrom, compileSelector, formatSelector } from './selector.js';
export type { LabelSelector, LabelSelectorSpec } from './selector.js';
