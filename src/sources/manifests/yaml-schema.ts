/**
 * The YAML schema Kubernetes tooling actually applies. kubectl decodes manifests with sigs.k8s.io/yaml on top of
 * go-yaml, which follows YAML 1.1 for booleans: `privileged: yes` or `on` IS true in the cluster. A scanner reading
 * them as strings would let `privileged: yes` through, so the YAML 1.1 boolean forms are resolved as booleans here.
 * (https://yaml.org/type/bool.html)
 */
import yaml from 'js-yaml';

const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

// go-yaml v2 resolves y/Y/n/N as strings in practice (only for keys); keep the unambiguous words only.
// Every plain scalar of a file is tested: the length bounds (2..5, "on" to "false") skip most without a lookup.
const YAML11_BOOL_WORDS = (s: string) => s.length > 1 && s.length < 6 && (TRUE.has(s) || FALSE.has(s));

const yaml11Bool = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && YAML11_BOOL_WORDS(data),
  construct: (data: string) => TRUE.has(data),
  predicate: (obj: unknown) => typeof obj === 'boolean',
  represent: { lowercase: (obj: object) => (obj ? 'true' : 'false') },
  defaultStyle: 'lowercase',
});

// CORE, not DEFAULT: Kubernetes converts YAML to JSON, so `2024-01-01` stays a string (no Date objects);
// merge keys (`<<`) are kept because go-yaml honours them.
// js-yaml 4 exports its built-in types at runtime; @types/js-yaml does not declare them.
const mergeType = (yaml as unknown as { types: { merge: yaml.Type } }).types.merge;
export const KUBERNETES_YAML_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [yaml11Bool, mergeType] });
