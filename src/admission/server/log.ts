/**
 * Structured JSON logs, one object per line. Callers pass identifiers (uid, kind, namespace, name, rule ids),
 * never object bodies: objects may hold Secret data and environment values. Every line is bounded whatever the
 * request held: strings are clipped, lists keep their first entries and say how many more there were.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, string | number | boolean | string[] | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  enabled(level: LogLevel): boolean;
}

export function createLogger(options: { level?: LogLevel; write?: (line: string) => void; clock?: () => Date } = {}): Logger {
  const min = RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const clock = options.clock ?? (() => new Date());
  const log = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    if (RANK[level] < min) return;
    write(JSON.stringify({ time: clock().toISOString(), level, msg, ...(fields && boundedFields(fields)) }) + '\n');
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), enabled: (l) => RANK[l] >= min };
}

export const MAX_LOG_STRING = 512;
export const MAX_LOG_LIST = 20;

function clip(s: string): string {
  return s.length <= MAX_LOG_STRING ? s : `${s.slice(0, MAX_LOG_STRING - 1)}…`;
}

/** Fields with strings clipped and lists cut to their first entries plus a count of the rest. */
export function boundedFields(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string') out[k] = clip(v);
    else if (Array.isArray(v)) out[k] = v.length <= MAX_LOG_LIST ? v.map(clip) : [...v.slice(0, MAX_LOG_LIST).map(clip), `…and ${v.length - MAX_LOG_LIST} more`];
    else out[k] = v;
  }
  return out;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, enabled: () => false };
