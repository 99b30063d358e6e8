/**
 * The API types of the security-relevant fields of a pod spec (k8s.io/api/core/v1 types.go: PodSpec,
 * PodSecurityContext, SecurityContext, Container, Volume.hostPath), and a walk that finds values of another JSON
 * type. The API server decodes strictly typed, so `privileged: "true"` or `runAsUser: "1000"` is rejected there —
 * while a reader that ignores types would judge the string as "not true" and pass it.
 */
import { join } from './pointer.js';
import { isJsonMap } from './json.js';

export type FieldType = 'boolean' | 'integer' | 'string' | { object: Record<string, FieldType> } | { array: FieldType } | { map: FieldType };

const bool = 'boolean';
const int = 'integer';
const str = 'string';

const profile: FieldType = { object: { type: str, localhostProfile: str } };
const seLinuxOptions: FieldType = { object: { user: str, role: str, type: str, level: str } };
const windowsOptions: FieldType = { object: { gmsaCredentialSpecName: str, gmsaCredentialSpec: str, runAsUserName: str, hostProcess: bool } };

const securityContext: FieldType = {
  object: {
    privileged: bool,
    allowPrivilegeEscalation: bool,
    readOnlyRootFilesystem: bool,
    runAsNonRoot: bool,
    runAsUser: int,
    runAsGroup: int,
    procMount: str,
    capabilities: { object: { add: { array: str }, drop: { array: str } } },
    seccompProfile: profile,
    appArmorProfile: profile,
    seLinuxOptions,
    windowsOptions,
  },
};

const container: FieldType = {
  object: {
    name: str,
    image: str,
    command: { array: str },
    args: { array: str },
    securityContext,
    ports: { array: { object: { name: str, containerPort: int, hostPort: int, hostIP: str, protocol: str } } },
    env: { array: { object: { name: str, value: str } } },
    volumeMounts: { array: { object: { name: str, mountPath: str, subPath: str, readOnly: bool, mountPropagation: str } } },
  },
};

export const POD_SPEC_FIELD_TYPES: FieldType = {
  object: {
    hostNetwork: bool,
    hostPID: bool,
    hostIPC: bool,
    hostUsers: bool,
    shareProcessNamespace: bool,
    automountServiceAccountToken: bool,
    serviceAccountName: str,
    serviceAccount: str,
    runtimeClassName: str,
    securityContext: {
      object: {
        runAsUser: int,
        runAsGroup: int,
        fsGroup: int,
        runAsNonRoot: bool,
        supplementalGroups: { array: int },
        fsGroupChangePolicy: str,
        sysctls: { array: { object: { name: str, value: str } } },
        seccompProfile: profile,
        appArmorProfile: profile,
        seLinuxOptions,
        windowsOptions,
      },
    },
    volumes: { array: { object: { name: str, hostPath: { object: { path: str, type: str } } } } },
    containers: { array: container },
    initContainers: { array: container },
    ephemeralContainers: { array: container },
  },
};

/** Pod template metadata: labels and annotations are maps of strings (AppArmor and kubeguard annotations live there). */
export const POD_METADATA_FIELD_TYPES: FieldType = { object: { labels: { map: str }, annotations: { map: str } } };

export interface TypeMismatch {
  /** JSON pointer of the value. */
  path: string;
  expected: 'boolean' | 'integer' | 'string' | 'object' | 'array';
  /** The value's JSON type ("string", "number", "boolean", "object", "array"). */
  actual: string;
  value: unknown;
}

export function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v;
}

/** int64 as the API decodes it: an integral JSON number within range. */
function isInt64(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 2 ** 63;
}

/** Values under `root` (at `path`) whose JSON type is not the API's. null is "unset" for every field, as in the API. */
export function typeMismatches(root: unknown, type: FieldType, path: string, out: TypeMismatch[] = []): TypeMismatch[] {
  check(root, type, path, [], out);
  return out;
}

/**
 * The value at `base` + the pointer tokens of `tokens` (pushed and popped on the way down). The pointer is built
 * only for a mismatch: most fields a type lists are absent, most present ones are right, and a closure or a
 * pointer per field visited made this rule allocate more than the parse of its input.
 */
function check(value: unknown, type: FieldType, base: string, tokens: (string | number)[], out: TypeMismatch[]): void {
  if (value === undefined || value === null) return;
  if (type === 'boolean' || type === 'string') {
    if (typeof value !== type) out.push(mismatch(base, tokens, type, value));
  } else if (type === 'integer') {
    if (!isInt64(value)) out.push(mismatch(base, tokens, type, value));
  } else if ('array' in type) {
    if (!Array.isArray(value)) out.push(mismatch(base, tokens, 'array', value));
    else for (let i = 0; i < value.length; i++) descend(value[i], type.array, base, tokens, i, out);
  } else if (!isJsonMap(value)) {
    out.push(mismatch(base, tokens, 'object', value));
  } else if ('map' in type) {
    for (const k of Object.keys(value)) descend(value[k], type.map, base, tokens, k, out);
  } else {
    for (const k of fieldsOf(type)) descend(value[k], type.object[k]!, base, tokens, k, out);
  }
}

function descend(value: unknown, type: FieldType, base: string, tokens: (string | number)[], token: string | number, out: TypeMismatch[]): void {
  if (value === undefined || value === null) return;
  tokens.push(token);
  check(value, type, base, tokens, out);
  tokens.pop();
}

function mismatch(base: string, tokens: readonly (string | number)[], expected: TypeMismatch['expected'], value: unknown): TypeMismatch {
  return { path: join(base, ...tokens), expected, actual: jsonType(value), value };
}

const FIELDS = new WeakMap<object, string[]>();

/** An object type's field names, listed once. */
function fieldsOf(type: { object: Record<string, FieldType> }): string[] {
  let fields = FIELDS.get(type);
  if (!fields) FIELDS.set(type, (fields = Object.keys(type.object)));
  return fields;
}
