/**
 * The RBAC analysis facade: build once from resources, then ask. The escalation graph and its shortest
 * paths are built on first use and kept.
 */
import type { KubeObject, Resource } from '../../core/model.js';
import type { BlastRadius, WorkloadId } from './blast-radius.js';
import { blastRadius } from './blast-radius.js';
import type { Decision } from './authorize.js';
import { authorize } from './authorize.js';
import { EscalationGraph } from './escalation/graph.js';
import type { CapabilityId, EscalationPath } from './escalation/model.js';
import { ShortestPaths } from './escalation/paths.js';
import { subjectKey } from './identity.js';
import type { SubjectPermissions } from './permissions.js';
import { permissionsOf } from './permissions.js';
import type { RbacIndexOptions } from './rbac-index.js';
import { RbacIndex } from './rbac-index.js';
import type { AccessRequest, Subject, UserInfo } from './types.js';
import type { WhoCanResult } from './who-can.js';
import { whoCan } from './who-can.js';

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

  /** Shortest paths, optionally from one subject and/or to one capability. */
  paths(filter: { from?: Subject; to?: CapabilityId } = {}): EscalationPath[] {
    const sp = this.shortestPaths;
    const from = filter.from ? subjectKey(filter.from) : undefined;
    if (from) this.graph.ensureIdentity(from);
    return sp.allPaths({ from, to: filter.to });
  }

  blastRadius(id: WorkloadId): BlastRadius {
    return blastRadius(this.index, this.shortestPaths, id);
  }
}

export function analyzeRbac(input: readonly (Resource | KubeObject)[], options?: RbacIndexOptions): RbacAnalysis {
  return new RbacAnalysis(input, options);
}
