/** Small readers over plain-JSON pod specs, shared by the checks. */
import type { ContainerRef, JsonMap } from '../../core/podspec.js';
import type { PodInput } from './types.js';
export { isJsonMap as isMap } from '../../core/json.js';
import { isJsonMap as isMap } from '../../core/json.js';

/** A child map, or undefined when absent / null / not a map (Go: a nil pointer). */
export function mapAt(obj: unknown, key: string): JsonMap | undefined {
  if (!isMap(obj)) return undefined;
  const v = obj[key];
  return isMap(v) ? v : undefined;
}

export function listAt(obj: unknown, key: string): unknown[] {
  if (!isMap(obj)) return [];
  const v = obj[key];
  return Array.isArray(v) ? v : [];
}

/** A string field; undefined when absent or null. Non-strings are stringified so they are judged, not ignored. */
export function stringAt(obj: unknown, key: string): string | undefined {
  if (!isMap(obj)) return undefined;
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : String(v);
}

/** Whether a field is set (present and not null): Go's `!= nil` on an optional pointer. */
export function isSet(obj: unknown, key: string): boolean {
  return isMap(obj) && obj[key] !== undefined && obj[key] !== null;
}

export function podSecurityContext(pod: PodInput): JsonMap | undefined {
  return mapAt(pod.spec, 'securityContext');
}

export function containerSecurityContext(c: ContainerRef): JsonMap | undefined {
  return mapAt(c.container, 'securityContext');
}

export function containerName(c: ContainerRef): string {
  return typeof c.container.name === 'string' ? c.container.name : `${c.kind}[${c.index}]`;
}

export function isWindowsPod(pod: PodInput): boolean {
  return stringAt(mapAt(pod.spec, 'os'), 'name') === 'windows';
}

/** spec.hostUsers explicitly false: the pod runs in a user namespace (KEP-127). */
export function inUserNamespace(pod: PodInput): boolean {
  return pod.spec.hostUsers === false;
}

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

export function joinQuote(items: readonly string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`;
}

/** "container "a"" / "containers "a", "b"" as upstream words it. */
export function containersPhrase(names: readonly string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

export function sortedUnique(items: Iterable<string>): string[] {
  return [...new Set(items)].sort();
}
