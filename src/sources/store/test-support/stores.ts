/**
 * The same suite on both databases: `eachStore('ingest', (open) => { it(…, async () => { const store = await open(); … }) })`
 * runs the body once on SQLite (a file in a temporary directory) and once on a real PostgreSQL started for the
 * file (a fresh database per open()). Without PostgreSQL the PostgreSQL half is skipped, except under CI=true,
 * where it fails.
 */
import { after, before, describe } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../open.js';
import { openStore } from '../open.js';
import type { TestPostgres } from './postgres.js';
import { postgresUnavailable, startTestPostgres } from './postgres.js';

export type OpenTestStore = () => Promise<Store>;

export interface StoreTarget {
  dialect: 'sqlite' | 'postgres';
  /** A location for a new, empty store (a file path or a postgres:// URL). */
  newLocation(): Promise<string>;
  /** The running PostgreSQL (for restart tests); undefined for SQLite. */
  postgres?: TestPostgres;
}

export function eachStore(title: string, body: (open: OpenTestStore, target: StoreTarget) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const why = dialect === 'postgres' ? postgresUnavailable() : undefined;
    if (why && process.env.CI !== 'true') {
      describe(`${title} (${dialect})`, { skip: why }, () => {});
      continue;
    }
    describe(`${title} (${dialect})`, () => {
      const opened: Store[] = [];
      let dir = '';
      const target: StoreTarget = {
        dialect,
        newLocation: async () => (dialect === 'postgres' ? target.postgres!.createDatabase() : join(dir, `s${opened.length}-${Math.random().toString(36).slice(2)}.db`)),
      };
      before(async () => {
        if (why) throw new Error(why);
        dir = mkdtempSync(join(tmpdir(), 'kubeguard-store-'));
        if (dialect === 'postgres') target.postgres = await startTestPostgres();
      });
      after(async () => {
        await Promise.all(opened.map((s) => s.close().catch(() => {})));
        target.postgres?.destroy();
        if (dir) rmSync(dir, { recursive: true, force: true });
      });
      const open: OpenTestStore = async () => {
        const s = await openStore(await target.newLocation());
        opened.push(s);
        return s;
      };
      body(open, target);
    });
  }
}
