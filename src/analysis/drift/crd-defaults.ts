/**
 * Defaults of custom resources, from their CustomResourceDefinition's structural schema: a property with a
 * `default` that the object leaves out gets it, at every depth (properties, items, additionalProperties), as the
 * apiextensions-apiserver does when it reads and writes a custom resource
 * (staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting/algorithm.go: Default). A null where
 * the schema is not nullable is dropped first, and then defaulted. Fields the schema does not name are pruned, as
 * the server prunes them (pkg/apiserver/schema/pruning), where the schema lists `properties` and does not say
 * `x-kubernetes-preserve-unknown-fields` — never more than the server would drop.
 */
import type { KubeObject } from '../../core/model.js';
import { isJsonMap, type JsonMap } from '../../core/json.js';
import { apiGroupOf } from '../../core/ref.js';

/** group/kind/version → the version's openAPIV3Schema, from CRDs among the given objects (later ones win). */
export function crdSchemas(objects: readonly KubeObject[]): Map<string, JsonMap> {
  const out = new Map<string, JsonMap>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition' || !isJsonMap(o.spec)) continue;
    const spec = o.spec;
    const kind = isJsonMap(spec.names) ? spec.names.kind : undefined;
    if (typeof spec.group !== 'string' || typeof kind !== 'string' || !Array.isArray(spec.versions)) continue;
    for (const v of spec.versions) {
      if (!isJsonMap(v) || typeof v.name !== 'string') continue;
      const schema = isJsonMap(v.schema) && isJsonMap(v.schema.openAPIV3Schema) ? v.schema.openAPIV3Schema : undefined;
      if (schema) out.set(`${spec.group}/${kind}/${v.name}`, schema);
    }
  }
  return out;
}

export function schemaKey(o: KubeObject): string {
  const av = o.apiVersion ?? '';
  return `${apiGroupOf(av)}/${o.kind}/${av.slice(av.indexOf('/') + 1)}`;
}

/** The object with its schema's defaults filled in (a copy). */
export function applySchemaDefaults(o: KubeObject, schema: JsonMap): KubeObject {
  const copy = structuredClone(o) as JsonMap;
  // apiVersion, kind and metadata are the server's own, whatever the schema says
  const { apiVersion, kind, metadata } = copy;
  fill(copy, schema, 0);
  Object.assign(copy, { apiVersion, kind, ...(metadata !== undefined ? { metadata } : {}) });
  return copy as KubeObject;
}

function fill(value: unknown, schema: JsonMap, depth: number): void {
  if (depth > 64) return;
  if (isJsonMap(value)) {
    const props = isJsonMap(schema.properties) ? schema.properties : undefined;
    if (props) {
      for (const [k, s] of Object.entries(props)) {
        if (!isJsonMap(s)) continue;
        if (value[k] === null && s.nullable !== true) delete value[k];
        if (value[k] === undefined && s.default !== undefined) value[k] = structuredClone(s.default);
        if (value[k] !== undefined) fill(value[k], s, depth + 1);
      }
    }
    if (isJsonMap(schema.additionalProperties)) {
      for (const [k, v] of Object.entries(value)) if (!props || !(k in props)) fill(v, schema.additionalProperties, depth + 1);
    } else if (props && schema['x-kubernetes-preserve-unknown-fields'] !== true && schema.additionalProperties !== true) {
      for (const k of Object.keys(value)) if (!(k in props) && !(depth === 0 && (k === 'apiVersion' || k === 'kind' || k === 'metadata'))) delete value[k];
    }
    return;
  }
  if (Array.isArray(value) && isJsonMap(schema.items)) for (const el of value) fill(el, schema.items, depth + 1);
}
