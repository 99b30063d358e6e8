/**
 * The RBAC analysis facade: build once from resources, then ask. The escalation graph and its shortest
 * paths are built on first use and kept.
 */
import type { KubeObject, Resource } from '../../core/model.js';
import { severityRank } from '../../core/model.js';
import { POD_BEARING_KINDS } from '../../core/podspec.js';
import type { BlastRadius, WorkloadId } from './blast-radius.js';
import { blastRadius } from './blast-radius.js';
import type { Decision } from './authorize.js';
import { authorize } from './authorize.js';
import { EscalationGraph } from './escalation/graph.js';
import type { CapabilityId, EscalationPath } from './escalation/model.js';
import { ShortestPaths, forwardPath } from './escalation/paths.js';
import { subjectKey } from './identity.js';
import type { SubjectPermissions } from './permissions.js';
import { permissionsOf } from './permissions.js';
import type { RbacIndexOptions } from './rbac-index.js';
import { RbacIndex } from './rbac-index.js';
import type { AccessRequest, Subject, UserInfo } from './types.js';
import type { WhoCanResult } from './who-can.js';
import { whoCan } from './who-can.js';

/** The kinds the analysis reads: when one could not be read, its answers cannot be trusted complete. */
export const RBAC_INPUT_KINDS: readonly string[] = [
  'ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding', 'ServiceAccount', 'Namespace', 'Secret', ...POD_BEARING_KINDS,
];

export class RbacAnalysis {
  readonly index: RbacIndex;
  private graphCache?: EscalationGraph;
  private pathsCache?: ShortestPaths;

  constructor(input: readonly (Resource | KubeObject)[], options?: RbacIndexOptions) {
    this.index = new RbacIndex(input, options);
  }

  whoCan(req: AccessRequest): WhoCanResult {
    return whoCan(this.index, req);
  }

  can(who: Subject | UserInfo, req: AccessRequest): Decision {
    return authorize(this.index, who, req);
  }

  permissions(subject: Subject, extraGroups?: readonly string[]): SubjectPermissions {
    return permissionsOf(this.index, subject, extraGroups);
  }

  get graph(): EscalationGraph {
    return (this.graphCache ??= new EscalationGraph(this.index));
  }

  get shortestPaths(): ShortestPaths {
    return (this.pathsCache ??= new ShortestPaths(this.graph));
  }

  /** Nodes the forward searches of pathTo() have visited so far. */
  private forwardVisits = 0;

  /**
   * One identity's shortest path to a capability (undefined when it has none). Answers from the all-pairs
   * search when it exists; otherwise searches forward from the identity, building only what it reaches, until
   * the forward searches together have visited a few times as many nodes as the input has bindings and
   * pod-bearing objects (a measure of the whole graph) — then the all-pairs search,
   * whose cost does not grow with the number of questions, is cheaper, and answers from then on.
   */
  pathTo(identity: string, cap: CapabilityId): EscalationPath | undefined {
    // Most service accounts are named by no binding: they reach only what their implicit groups reach, which is
    // asked once per group rather than searched again per account.
    if (!this.pathsCache && this.graph.onlyThroughGroups(identity) && !this.anyGroupReaches(this.graph.boundImplicitGroups(identity), cap)) return undefined;
    if (!this.pathsCache) {
      this.graph.ensureIdentity(identity);
      const budget = 4 * (this.index.bindings.length + this.index.facts.objectCount) + 1000 - this.forwardVisits;
      if (budget > 0) {
        const found = forwardPath(this.graph, identity, cap, budget);
        this.forwardVisits += found.visited;
        if (!found.exhausted) return found.path;
      }
    }
    return this.shortestPaths.pathFrom(identity, cap);
  }

  private readonly groupReach = new Map<string, boolean>();
  /** Per set of implicit groups (the graph hands out one array per set) and capability. */
  private readonly groupSetReach = new Map<readonly string[], Map<CapabilityId, boolean>>();

  private anyGroupReaches(groups: readonly string[], cap: CapabilityId): boolean {
    let byCap = this.groupSetReach.get(groups);
    if (!byCap) this.groupSetReach.set(groups, (byCap = new Map()));
    let reaches = byCap.get(cap);
    if (reaches === undefined) byCap.set(cap, (reaches = groups.some((g) => this.groupReaches(g, cap))));
    return reaches;
  }

  private groupReaches(group: string, cap: CapabilityId): boolean {
    const key = `${group} ${cap}`;
    let reaches = this.groupReach.get(key);
    if (reaches === undefined) this.groupReach.set(key, (reaches = this.pathTo(group, cap) !== undefined));
    return reaches;
  }

  /** Shortest paths, optionally from one subject and/or to one capability. */
  paths(filter: { from?: Subject; to?: CapabilityId } = {}): EscalationPath[] {
    const sp = this.shortestPaths;
    const from = filter.from ? subjectKey(filter.from) : undefined;
    if (from) this.graph.ensureIdentity(from);
    // worst first; otherwise by identity and capability
    return sp.allPaths({ from, to: filter.to }).sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  }

  blastRadius(id: WorkloadId): BlastRadius {
    return blastRadius(this.index, this.shortestPaths, id);
  }
}

export function analyzeRbac(input: readonly (Resource | KubeObject)[], options?: RbacIndexOptions): RbacAnalysis {
  return new RbacAnalysis(input, options);
}
