/**
 * Attack paths (issue #22): one graph from the entry points (the internet, workloads with runtime incidents) to
 * the critical targets (cluster-admin, every Secret, root on a node), and the cheapest cut.
 *
 *   const g = new AttackGraph({ objects, vulnerabilities, incidents });
 *   const answer = findPaths(g, { to: ['cluster-admin'] });   // { paths, cut, nodes, cutInfo }
 */
export { AttackGraph, exploitLikelihood } from './build.js';
export type { ImageVulnerability, IncidentMark, PathsInput } from './build.js';
export { findPaths, defaultSources, toAttackPath } from './analyze.js';
export type { PathsAnswer, PathsQuery } from './analyze.js';
export { minimumCut, hittingSet } from './cut.js';
export { shortestPaths, likeliestPaths, score } from './search.js';
export { renderPathsJson, renderPathsTable, renderPathsDot, renderPathsMermaid } from './render.js';
export * from './model.js';
