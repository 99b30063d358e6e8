/** Drift between manifests and live objects: the report's shape (docs/drift.md; the JSON contract of issue #24). */
import type { Finding, JsonPatchOp, NotEvaluated, Resource, ResourceRef, Severity } from '../../core/model.js';

export const DRIFT_CLASSES = ['rule-violation', 'image', 'rbac', 'network-policy', 'shadow', 'not-applied', 'other'] as const;
export type DriftClass = (typeof DRIFT_CLASSES)[number];

/** Who changed a field: its field manager (managedFields) and, from an audit log, the user and time of the request. */
export interface ChangedBy {
  manager?: string;
  /** Apply (server-side apply) or Update. */
  operation?: string;
  subresource?: string;
  /** When the manager last wrote its fields (managedFields time). */
  time?: string;
  /** From the audit log: who sent the request, when, with which verb. */
  user?: string;
  groups?: string[];
  verb?: string;
  requestTime?: string;
}

/** How to repair: a JSON patch on the live object back to the manifest, or a manifest snippet that adopts the live change. */
export interface DriftPatch {
  /** RFC 6902 operations on the live object (`kubectl patch --type json`); for a shadow object, removing "" means deleting it. */
  revert: JsonPatchOp[];
  /** A partial manifest (strategic-merge shape: map-list elements keep their keys) holding the live value; null when adopting means deleting the manifest. */
  adopt: unknown;
}

/** One drift, exactly the JSON contract: {kind, namespace, name, class, path, manifest, live, ruleIds, changedBy, patch}. */
export interface Drift {
  kind: string;
  namespace: string | null;
  name: string;
  class: DriftClass;
  /** JSON pointer into the live object ("" for the whole object; for a removed field, into the manifest). */
  path: string;
  manifest: unknown;
  live: unknown;
  /** Rules the live object now breaks that the manifest did not (what the drift introduced). */
  ruleIds: string[];
  changedBy: ChangedBy[];
  patch: DriftPatch;
}

/** A drift with what the report shows people besides the contract: severity, why it is classed so, where the manifest is. */
export interface JudgedDrift {
  drift: Drift;
  severity: Severity;
  why: string;
  apiVersion: string;
  source?: { file: string; line?: number };
}

export interface DriftReport {
  drifts: JudgedDrift[];
  /** Objects compared, by outcome. */
  compared: { matched: number; drifted: number; notApplied: number; shadow: number };
  /** What limited shadow detection, said plainly. */
  shadowScope: { namespaces: string[]; kinds: string[] };
  notEvaluated: NotEvaluated[];
}

/** An Argo CD `ignoreDifferences` entry (argo-cd docs user-guide/diffing.md): jsonPointers and managedFieldsManagers. */
export interface IgnoreDifference {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  managedFieldsManagers?: string[];
}

/** A mutating request from an audit log. */
export interface AuditChange {
  time: string;
  verb: string;
  user: string;
  groups?: string[];
  /** fieldManager of the request (its query parameter), else the user agent's product. */
  manager?: string;
  apiGroup: string;
  resource: string;
  namespace?: string;
  name: string;
}

export interface DriftInput {
  /** Manifests, placed in their namespaces (core/namespaces.ts); Secret values hashed as the live side's are. */
  manifests: readonly Resource[];
  /** Live objects with managedFields. */
  live: readonly Resource[];
  /** Why the live side of this object's kind (and namespace) could not be read; undefined when it was read. */
  unreadable: (ref: ResourceRef) => string | undefined;
  /** The rules' findings on the manifests and on the live objects, from one run each. */
  findings: { manifest: readonly Finding[]; live: readonly Finding[] };
  ignore?: readonly IgnoreDifference[];
  /** Field managers that are controllers, beyond Kubernetes' own: fields only they own are not drift. */
  controllers?: readonly string[];
  /** Whether an image digest has a scan result (undefined: no scan-result store to ask). */
  scanned?: (digest: string) => boolean | undefined;
  audit?: readonly AuditChange[];
  /** The digests (manifest, index) of the newest scan of an image reference by tag, if it was scanned. */
  scannedDigests?: (image: string) => string[] | undefined;
}
