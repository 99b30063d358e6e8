/**
 * Drift: what runs in the cluster against what is in Git, judged for security (issue #24, docs/drift.md).
 *
 *   const report = analyzeDrift({ manifests, live, unreadable, findings: { manifest, live }, ignore, scanned, audit });
 *   renderDriftJson(report)   // {"drifts": [{kind, namespace, name, class, path, manifest, live, ruleIds, changedBy, patch}]}
 */
export { analyzeDrift, identityOf, KUBERNETES_CONTROLLERS } from './analyze.js';
export { applyDefaults, hasKnownDefaults } from './defaults.js';
export { renderDriftJson, renderDriftTable, driftFails } from './render.js';
export { DRIFT_CLASSES } from './model.js';
export type * from './model.js';
