/**
 * API discovery, as kubectl does it: /api and /apis name the group versions, /api/v1 and /apis/<group>/<version>
 * list the resources each serves (APIResourceList). Only the groups kubeguard lists are read.
 */
import type { ApiClient } from './transport.js';
import type { WantedResource } from './kinds.js';
import { groupVersionOf } from './kinds.js';
import { errorMessage } from '../../core/errors.js';

interface ApiVersions {
  kind?: string;
  versions?: string[];
}
interface ApiGroupList {
  groups?: { name: string; versions?: { groupVersion: string; version: string }[]; preferredVersion?: { version: string } }[];
}
interface ApiResourceList {
  groupVersion?: string;
  resources?: { name: string; namespaced: boolean; kind: string; verbs?: string[] }[];
}

/** A resource the server serves, in the version chosen for it. */
export interface ServedResource {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

export interface DiscoveryResult {
  served: ServedResource[];
  /** Wanted, required resources the server does not serve, or whose group version could not be discovered. */
  missing: { wanted: WantedResource; reason: string }[];
}

export async function discover(client: ApiClient, wanted: readonly WantedResource[], concurrency: (tasks: (() => Promise<void>)[]) => Promise<void>): Promise<DiscoveryResult> {
  const core = await client.getJson<ApiVersions>('/api');
  const groups = await client.getJson<ApiGroupList>('/apis');
  const available = new Map<string, string[]>(); // group → versions served
  available.set('', core.versions ?? []);
  for (const g of groups.groups ?? []) available.set(g.name, (g.versions ?? []).map((v) => v.version));

  // group versions worth reading: those that might serve a wanted resource
  const gvs = new Set<string>();
  for (const w of wanted) for (const v of w.versions) if (available.get(w.group)?.includes(v)) gvs.add(groupVersionOf(w.group, v));

  const resourceLists = new Map<string, ApiResourceList | Error>();
  await concurrency(
    [...gvs].map((gv) => async () => {
      const path = gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`;
      try {
        resourceLists.set(gv, await client.getJson<ApiResourceList>(path));
      } catch (e) {
        resourceLists.set(gv, e instanceof Error ? e : new Error(String(e)));
      }
    }),
  );

  const served: ServedResource[] = [];
  const missing: DiscoveryResult['missing'] = [];
  for (const w of wanted) {
    let found: ServedResource | undefined;
    let failure: string | undefined;
    for (const v of w.versions) {
      const list = resourceLists.get(groupVersionOf(w.group, v));
      if (list === undefined) continue;
      if (list instanceof Error) {
        failure = `discovery of ${groupVersionOf(w.group, v)} failed: ${errorMessage(list)}`;
        continue;
      }
      const r = (list.resources ?? []).find((x) => x.name === w.resource);
      if (r && (r.verbs === undefined || r.verbs.includes('list'))) {
        found = { group: w.group, version: v, resource: w.resource, kind: r.kind || w.kind, namespaced: r.namespaced };
        break;
      }
    }
    if (found) served.push(found);
    else if (failure) missing.push({ wanted: w, reason: failure });
    else if (!w.optional) missing.push({ wanted: w, reason: `the API server does not serve ${w.resource} (${w.group || 'core'} ${w.versions.join('|')})` });
  }
  return { served, missing };
}
