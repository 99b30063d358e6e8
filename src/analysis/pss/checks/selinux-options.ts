/**
 * seLinuxOptions (baseline). Upstream: policy/check_seLinuxOptions.go.
 * seLinuxOptions (pod and containers): type must be empty or an allowed container type; user and role must be empty.
 * v1.0: "", container_t, container_init_t, container_kvm_t. v1.31+: also container_engine_t.
 */
import { join } from '../../../core/pointer.js';
import type { JsonMap } from '../../../core/podspec.js';
import {
  containerName, containerSecurityContext, containersPhrase, joinQuote, mapAt, pluralize, podSecurityContext,
  sortedUnique, stringAt,
} from '../fields.js';
import type { CheckDefinition, CheckFailure, CheckFn, PodInput, PssField } from '../types.js';

const ALLOWED_TYPES_1_0: ReadonlySet<string> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const ALLOWED_TYPES_1_31: ReadonlySet<string> = new Set([...ALLOWED_TYPES_1_0, 'container_engine_t']);

function seLinuxOptionsCheck(allowedTypes: ReadonlySet<string>): CheckFn {
  return (pod: PodInput): CheckFailure | undefined => {
    const badTypes: string[] = [];
    let setUser = false;
    let setRole = false;
    const fields: PssField[] = [];
    const judge = (opts: JsonMap, base: string, who: string): boolean => {
      let valid = true;
      const t = stringAt(opts, 'type') ?? '';
      if (!allowedTypes.has(t)) {
        valid = false;
        badTypes.push(t);
        fields.push({ path: join(base, 'type'), message: `${who} sets seLinuxOptions.type "${t}"` });
      }
      for (const key of ['user', 'role'] as const) {
        const v = stringAt(opts, key) ?? '';
        if (v.length === 0) continue;
        valid = false;
        if (key === 'user') setUser = true;
        else setRole = true;
        fields.push({ path: join(base, key), message: `${who} sets seLinuxOptions.${key}` });
      }
      return valid;
    };
    const setters: string[] = [];
    const podOpts = mapAt(podSecurityContext(pod), 'seLinuxOptions');
    if (podOpts && !judge(podOpts, join(pod.specPath, 'securityContext', 'seLinuxOptions'), 'pod')) setters.push('pod');
    const bad: string[] = [];
    for (const c of pod.containers) {
      const opts = mapAt(containerSecurityContext(c), 'seLinuxOptions');
      if (opts && !judge(opts, join(c.path, 'securityContext', 'seLinuxOptions'), `container "${containerName(c)}"`)) {
        bad.push(containerName(c));
      }
    }
    if (bad.length > 0) setters.push(containersPhrase(bad));
    if (setters.length === 0) return undefined;
    const data: string[] = [];
    const types = sortedUnique(badTypes);
    if (types.length > 0) data.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
    if (setUser) data.push('user may not be set');
    if (setRole) data.push('role may not be set');
    return { reason: 'seLinuxOptions', detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`, fields };
  };
}

export const seLinuxOptions: CheckDefinition = {
  id: 'seLinuxOptions',
  level: 'baseline',
  versions: [
    { minimumVersion: 0, check: seLinuxOptionsCheck(ALLOWED_TYPES_1_0) },
    { minimumVersion: 31, check: seLinuxOptionsCheck(ALLOWED_TYPES_1_31) },
  ],
};
