/**
 * Fills a migrated server store with `n` findings by SQL (a recursive CTE into the server's own schema), for
 * bench/dashboard: 20 clusters, 500 namespaces, 50,000 workloads, 60 rules, severities and statuses in realistic
 * proportions, 30 days of history, and the daily counts as the server keeps them.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const DAY = 86_400_000;

const RULES = Array.from({ length: 60 }, (_, i) => `bench-rule-${String(i).padStart(2, '0')}`);

/** Changes when what fill() writes changes (bench/dashboard's seeded stores are named by it). */
export const FILL_VERSION = 2;

/** Fills a migrated store with `n` findings by SQL; the number of findings in it after. */
export function fill(database: string, n: number): number {
  const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  const db = new Sqlite(database);
  const t0 = performance.now();
  const now = Date.now();
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.exec('BEGIN');
  const clusters = Math.min(20, Math.ceil(n / 50_000));
  const insCluster = db.prepare(`INSERT INTO clusters (name, created_at, last_scans) VALUES (?, ?, ?)`);
  for (let c = 0; c < clusters; c++) insCluster.run(`cluster-${String(c).padStart(2, '0')}`, now - 40 * DAY, JSON.stringify({ kubeguard: now - 3_600_000 }));
  db.exec('CREATE TEMP TABLE rules (r INTEGER PRIMARY KEY, id TEXT)');
  const insRule = db.prepare('INSERT INTO rules (r, id) VALUES (?, ?)');
  RULES.forEach((r, i) => insRule.run(i, r));
  // i → workload i / 20 (20 findings each; kind and namespace by workload), cluster per 50,000 findings, rule i % 60,
  // severities skewed towards medium and low; first seen and fixed at one of its cluster's daily scans (every finding
  // of an upload shares its scan's instant)
  db.prepare(
    `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < @n)
     INSERT INTO findings (cluster, fingerprint, source, rule_id, severity, status, api_version, kind, namespace, name, path, message,
                           first_seen, last_seen, fixed_at, reopened_at, reopen_count, exception_id, detail, severity_rank)
     SELECT printf('cluster-%02d', (i / 50000) % 20), printf('%016x%016x', i * 2654435761, i), 'kubeguard', rules.id,
            sev.name, CASE WHEN i % 20 = 7 THEN 'fixed' WHEN i % 50 = 3 THEN 'excepted' ELSE 'open' END,
            'apps/v1', CASE (i / 20) % 3 WHEN 0 THEN 'Deployment' WHEN 1 THEN 'StatefulSet' ELSE 'DaemonSet' END,
            printf('ns-%03d', (i / 20) % 500), printf('workload-%05d', (i / 20) % 50000),
            printf('/spec/template/spec/containers/%d/securityContext', i % 4),
            printf('container %d of workload-%05d breaks %s', i % 4, (i / 20) % 50000, rules.id),
            @now - (i % 30) * 86400000 - 3600000 - ((i / 50000) % 20) * 60000, @now - 3600000,
            CASE WHEN i % 20 = 7 THEN @now - (i % 10) * 86400000 - 3600000 - ((i / 50000) % 20) * 60000 END, NULL, 0, NULL,
            json_object('location', json_object('file', printf('deploy/ns-%03d/workload.yaml', (i / 20) % 500), 'line', 10 + i % 40), 'remediation', 'Set securityContext.privileged to false.'),
            sev.rank
     FROM seq JOIN rules ON rules.r = seq.i % 60
     JOIN (SELECT 'critical' AS name, 4 AS rank, 0 AS k UNION ALL SELECT 'high', 3, 1 UNION ALL SELECT 'medium', 2, 2 UNION ALL SELECT 'medium', 2, 3
           UNION ALL SELECT 'low', 1, 4 UNION ALL SELECT 'low', 1, 5 UNION ALL SELECT 'high', 3, 6 UNION ALL SELECT 'info', 0, 7) AS sev ON sev.k = (seq.i / 60) % 8`,
  ).run({ n, now });
  // the open count per day, cluster, rule and severity, and the day's marker row with its total, as the server keeps them (store/ingest.ts recountDay)
  db.prepare(
    `WITH RECURSIVE d(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM d WHERE k < 29)
     INSERT INTO daily_counts (cluster, day, namespace, rule_id, severity, open)
     SELECT name, date(@now / 1000 - d.k * 86400, 'unixepoch'), '', '', '', 0 FROM d, clusters`,
  ).run({ now });
  db.prepare(
    `WITH RECURSIVE d(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM d WHERE k < 29)
     INSERT INTO daily_counts (cluster, day, namespace, rule_id, severity, open)
     SELECT f.cluster, date(@now / 1000 - d.k * 86400, 'unixepoch'), '', f.rule_id, f.severity, f.c + d.k * 3
     FROM d, (SELECT cluster, rule_id, severity, count(*) AS c FROM findings WHERE status = 'open' GROUP BY cluster, rule_id, severity) AS f`,
  ).run({ now });
  db.exec(`UPDATE daily_counts SET open = (SELECT SUM(d.open) FROM daily_counts d WHERE d.cluster = daily_counts.cluster AND d.day = daily_counts.day AND d.severity <> '') WHERE severity = ''`);
  // new and fixed per cluster and upload instant, as the server keeps them (store/flow-counts.ts rebuildFlow)
  db.exec(`INSERT INTO flow_counts (cluster, at, new_findings, fixed_findings)
           SELECT cluster, at, SUM(n), SUM(f) FROM (
             SELECT cluster, first_seen AS at, COUNT(*) AS n, 0 AS f FROM findings GROUP BY cluster, first_seen
             UNION ALL
             SELECT cluster, fixed_at AS at, 0 AS n, COUNT(*) AS f FROM findings WHERE fixed_at IS NOT NULL GROUP BY cluster, fixed_at
           ) x GROUP BY cluster, at`);
  db.exec(`INSERT INTO open_by_namespace (cluster, namespace, severity, open) SELECT cluster, namespace, severity, COUNT(*) FROM findings WHERE status = 'open' GROUP BY 1, 2, 3`);
  // the search index, as ingest keeps it
  db.exec(`INSERT INTO findings_fts(findings_fts) VALUES ('rebuild')`);
  db.exec('COMMIT');
  db.pragma('optimize');
  db.exec('ANALYZE');
  const count = (db.prepare('SELECT count(*) AS c FROM findings').get() as { c: number }).c;
  db.close();
  console.log(`filled ${count.toLocaleString('en')} findings in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return count;
}
