/**
 * The YAML schema Kubernetes tooling actually applies, as js-yaml types: plain scalars resolve as kubectl's go-yaml v2
 * resolves them (plain-scalar.ts — `privileged: y` IS true in the cluster, `defaultMode: 0644` is 420, `runAsUser:
 * 0_0` is 0). Both YAML readers use it: the block reader asks these types, js-yaml loads with them.
 *
 * Built on the failsafe schema (strings, sequences, mappings), not js-yaml's YAML 1.2 core schema, whose int, float
 * and bool types would answer first. Merge keys (`<<`) are kept because go-yaml honours them. Of the explicit tags
 * only `!!timestamp` is added (go-yaml's `!!binary` is not): an unknown tag is a parse error, never a silent value.
 */
import yaml from 'js-yaml';
import type { PlainTag, Resolved } from './plain-scalar.js';
import { isGoTimestamp, resolvePlain } from './plain-scalar.js';

// js-yaml asks each implicit type in turn (resolve, then construct) about the same text: the last answer is kept.
let lastText: string | undefined;
let lastResolved: Resolved | undefined;
function resolved(s: string): Resolved {
  if (s !== lastText || lastResolved === undefined) {
    lastText = s;
    lastResolved = resolvePlain(s);
  }
  return lastResolved;
}

/**
 * Values no JSON can carry (.inf, .nan) seen so far: sigs.k8s.io/yaml then fails (`json: unsupported value`), so a
 * reader compares this count before and after loading to find the documents kubectl would refuse.
 */
let nonFinite = 0;
export function nonFiniteConstructed(): number {
  return nonFinite;
}

function scalarType(tag: PlainTag, predicate: (v: unknown) => boolean, accepts: PlainTag[] = [tag]): yaml.Type {
  return new yaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (data: unknown) => typeof data === 'string' && accepts.includes(resolved(data).tag),
    construct: (data: string) => {
      const v = resolved(data).value;
      if (typeof v === 'number' && !Number.isFinite(v)) nonFinite++;
      return v;
    },
    predicate,
    represent: (v: object) => String(v),
  });
}

const nullType = scalarType('null', (v) => v === null);
const boolType = scalarType('bool', (v) => typeof v === 'boolean');
const intType = scalarType('int', (v) => Number.isInteger(v));
// `!!float 1` is 1.0 for go-yaml: an explicit float tag takes an int's text too (implicitly, int answers first).
const floatType = scalarType('float', (v) => typeof v === 'number', ['float', 'int']);

// js-yaml 4 exports its built-in types at runtime; @types/js-yaml does not declare them.
const mergeType = (yaml as unknown as { types: { merge: yaml.Type } }).types.merge;

// `!!timestamp 2015-01-01`: a valid go-yaml timestamp, kept as its text (what go-yaml gives interface{}).
const timestampType = new yaml.Type('tag:yaml.org,2002:timestamp', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && isGoTimestamp(data),
  construct: (data: string) => data,
});

export const KUBERNETES_YAML_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType, mergeType], explicit: [timestampType] });
