/** Every migration by name, in order. Names sort in the order they apply; a shipped migration is never edited. */
import type { StoreMigration } from './types.js';
import { initial } from './0001-initial.js';
import { exceptionsEventsAudit } from './0002-exceptions-events-audit.js';
import { incidents } from './0003-incidents.js';
import { lastFixed } from './0004-last-fixed.js';
import { deliveries } from './0005-deliveries.js';
import { findingDetail } from './0006-finding-detail.js';
import { usersSessions } from './0007-users-sessions.js';
import { overviewSearch } from './0008-overview-search.js';
import { digests } from './0010-digests.js';
import { inventory } from './0011-inventory.js';
import { networkTopology } from './0012-network-topology.js';
import { ingestIndexes } from './0013-ingest-indexes.js';
import { workloadAccess } from './0014-workload-access.js';
import { complianceScores } from './0015-compliance-scores.js';
import { flowCounts } from './0016-flow-counts.js';
import { clusterGeneration } from './0017-cluster-generation.js';
import { worstWorkloads } from './0018-worst-workloads.js';
import { fixedFindings } from './0019-fixed-findings.js';

export type { SchemaDb, StoreMigration } from './types.js';

export const MIGRATIONS: Record<string, StoreMigration> = {
  '0001-initial': initial,
  '0002-exceptions-events-audit': exceptionsEventsAudit,
  '0003-incidents': incidents,
  '0004-last-fixed': lastFixed,
  '0005-deliveries': deliveries,
  '0006-finding-detail': findingDetail,
  '0007-users-sessions': usersSessions,
  '0008-overview-search': overviewSearch,
  '0010-digests': digests,
  '0011-inventory': inventory,
  '0012-network-topology': networkTopology,
  '0013-ingest-indexes': ingestIndexes,
  '0014-workload-access': workloadAccess,
  '0015-compliance-scores': complianceScores,
  '0016-flow-counts': flowCounts,
  '0017-cluster-generation': clusterGeneration,
  '0018-worst-workloads': worstWorkloads,
  '0019-fixed-findings': fixedFindings,
};
