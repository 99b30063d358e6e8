/** Plain-words summary of the dangerous abilities an identity holds directly, per scope. */
import type { AbilityId } from './abilities.js';
import type { Grant } from './abilities.js';
import { abilitiesOf, mergeGrant } from './abilities.js';
import { bindingsFor } from './authorize.js';
import { isSuperuser } from './identity.js';
import type { RbacIndex } from './rbac-index.js';
import type { UserInfo } from './types.js';

export const ABILITY_WORDS: Record<AbilityId, string> = {
  'cluster-admin': 'do anything (every verb on every resource)',
  'read-secrets': 'read Secrets',
  'create-pods': 'create pods (and so run as any service account there)',
  'write-workloads': 'create or change workloads (and so run as any service account there)',
  'exec-pods': 'exec/attach into running pods',
  'create-token': 'mint service-account tokens',
  'impersonate-users': 'impersonate users',
  'impersonate-groups': 'impersonate groups',
  'impersonate-serviceaccounts': 'impersonate service accounts',
  'bind-clusterroles': 'bind ClusterRoles it does not hold',
  'bind-roles': 'bind Roles it does not hold',
  'escalate-clusterroles': 'grant ClusterRoles permissions it does not hold',
  'escalate-roles': 'grant Roles permissions it does not hold',
  'write-clusterroles': 'modify ClusterRoles',
  'write-roles': 'modify Roles',
  'create-clusterrolebindings': 'create ClusterRoleBindings',
  'create-rolebindings': 'create RoleBindings',
  'nodes-proxy': 'reach the kubelet API through nodes/proxy',
  'create-persistentvolumes': 'create PersistentVolumes (hostPath)',
  'create-csr': 'create certificate signing requests',
  'approve-csr': 'approve certificate signing requests',
  'approve-signer': 'approve certificates for a signer',
};

export interface AbilityLine {
  scope: string;
  ability: AbilityId;
  words: string;
  via: string[];
}

export function dangerousAbilities(index: RbacIndex, info: UserInfo): AbilityLine[] {
  if (isSuperuser(info)) return [{ scope: 'cluster-wide', ability: 'cluster-admin', words: ABILITY_WORDS['cluster-admin'], via: ['group system:masters'] }];
  // scope → ability → { merged grant, the bindings that grant it }
  const scopes = new Map<string, Map<AbilityId, { grant: Grant; via: Set<string> }>>();
  for (const b of bindingsFor(index, info)) {
    const scope = b.binding.kind === 'ClusterRoleBinding' ? 'cluster-wide' : `namespace ${b.binding.namespace}`;
    let s = scopes.get(scope);
    if (!s) scopes.set(scope, (s = new Map()));
    for (const [ability, grant] of abilitiesOf(index.rulesOf(b))) {
      const prev = s.get(ability);
      if (prev) {
        prev.grant = mergeGrant(prev.grant, grant);
        prev.via.add(`${b.key} → ${b.roleLabel}`);
      } else s.set(ability, { grant, via: new Set([`${b.key} → ${b.roleLabel}`]) });
    }
  }
  const out: AbilityLine[] = [];
  const order = [...scopes.keys()].sort((a, b) => (a === 'cluster-wide' ? -1 : b === 'cluster-wide' ? 1 : a.localeCompare(b)));
  for (const scope of order) {
    const s = scopes.get(scope)!;
    // "Every verb on every resource" implies every other ability of the scope: say only that.
    const entries = s.has('cluster-admin') ? [['cluster-admin', s.get('cluster-admin')!] as const] : [...s.entries()];
    for (const [ability, { grant, via }] of entries) {
      const names = grant.names === '*' ? '' : ` (only ${[...grant.names].sort().join(', ')})`;
      out.push({ scope, ability, words: ABILITY_WORDS[ability] + names, via: [...via].sort() });
    }
  }
  return out;
}
