/**
 * Safe defaults for the mutating endpoint, as RFC 6902 JSON Patch operations. Only fields left unset are
 * filled, and never into a combination the API server would reject:
 * - pod-level `securityContext.seccompProfile: {type: RuntimeDefault}` when neither the pod nor any container
 *   sets a profile;
 * - `capabilities.drop` gains "ALL" (added capabilities still apply: drop is applied before add);
 * - `allowPrivilegeEscalation: false` when unset, except for privileged containers and containers adding
 *   CAP_SYS_ADMIN, for which the API server rejects it (k8s.io/kubernetes pkg/apis/core/validation:
 *   ValidateSecurityContext / AllowPrivilegeEscalation).
 * Windows pods are left alone: these Linux fields are forbidden when spec.os.name is windows.
 */
import type { JsonPatchOp, KubeObject } from '../../core/model.js';
import { allContainers, isWindowsPod, podTemplateOf } from '../../core/podspec.js';
import type { JsonMap } from '../../core/podspec.js';
import { join } from '../../core/pointer.js';
import type { MutateSettings } from './config.js';
import { isJsonMap as isMap } from '../../core/json.js';

/** The ops that set `value` at `base/keys…`, creating missing parent objects. */
function ensure(ops: JsonPatchOp[], baseObj: JsonMap, base: string, keys: string[], value: unknown): void {
  let cur: JsonMap = baseObj;
  let path = base;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    path = join(path, key);
    const last = i === keys.length - 1;
    if (last || !isMap(cur[key])) {
      const rest = keys.slice(i + 1).reduceRight<unknown>((acc, k) => ({ [k]: acc }), value);
      ops.push({ op: 'add', path, value: rest });
      return;
    }
    cur = cur[key] as JsonMap;
  }
}

export function safeDefaultsPatch(obj: KubeObject, settings: MutateSettings = {}): JsonPatchOp[] {
  const template = podTemplateOf(obj);
  if (!template || isWindowsPod(template.spec)) return [];
  const ops: JsonPatchOp[] = [];
  const { spec, specPath } = template;
  const containers = allContainers(spec, specPath);

  if (settings.seccompRuntimeDefault !== false) {
    const podProfile = isMap(spec.securityContext) && spec.securityContext.seccompProfile !== undefined;
    const containerProfile = containers.some((c) => isMap(c.container.securityContext) && c.container.securityContext.seccompProfile !== undefined);
    if (!podProfile && !containerProfile) ensure(ops, spec as JsonMap, specPath, ['securityContext', 'seccompProfile'], { type: 'RuntimeDefault' });
  }

  for (const c of containers) {
    const sc = isMap(c.container.securityContext) ? c.container.securityContext : undefined;
    const caps = sc && isMap(sc.capabilities) ? sc.capabilities : undefined;
    if (settings.dropAllCapabilities !== false) {
      const drop = caps?.drop;
      if (Array.isArray(drop)) {
        if (!drop.includes('ALL')) ops.push({ op: 'add', path: join(c.path, 'securityContext', 'capabilities', 'drop', '-'), value: 'ALL' });
      } else {
        ensure(ops, c.container as JsonMap, c.path, ['securityContext', 'capabilities', 'drop'], ['ALL']);
      }
    }
    if (settings.disallowPrivilegeEscalation !== false && sc?.allowPrivilegeEscalation === undefined) {
      const added = Array.isArray(caps?.add) ? (caps.add as unknown[]) : [];
      const sysAdmin = added.includes('CAP_SYS_ADMIN') || added.includes('SYS_ADMIN');
      if (sc?.privileged !== true && !sysAdmin) {
        // Re-read: the capabilities op above may have created securityContext already.
        const created = ops.some((o) => o.path === join(c.path, 'securityContext'));
        if (sc || created) ops.push({ op: 'add', path: join(c.path, 'securityContext', 'allowPrivilegeEscalation'), value: false });
        else ensure(ops, c.container as JsonMap, c.path, ['securityContext', 'allowPrivilegeEscalation'], false);
      }
    }
  }
  return ops;
}
