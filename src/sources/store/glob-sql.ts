/**
 * Config globs (`*`, `?`; src/core/glob.ts) as SQL conditions with the same meaning in both databases: GLOB in
 * SQLite (case-sensitive; `[` escaped), LIKE with `%`, `_` and `\` escaped in PostgreSQL (case-sensitive).
 */
import type { RawBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { StoreDialect } from './open.js';

export function globCondition(column: string, glob: string, dialect: StoreDialect): RawBuilder<SqlBool> {
  if (glob === '*') return sql<SqlBool>`1 = 1`;
  if (!glob.includes('*') && !glob.includes('?')) return sql<SqlBool>`${sql.ref(column)} = ${glob}`;
  if (dialect === 'sqlite') return sql<SqlBool>`${sql.ref(column)} GLOB ${glob.replace(/\[/g, '[[]')}`;
  const like = glob.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%').replace(/\?/g, '_');
  return sql<SqlBool>`${sql.ref(column)} LIKE ${like} ESCAPE '\\'`;
}
