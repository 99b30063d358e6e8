/**
 * Reads event records from text arriving in chunks (a file stream, an HTTP body): JSON lines, or one JSON
 * document (an array, an EventList, a pretty-printed event) when the input starts with `[` or its first line is
 * not a whole JSON value. Every record goes through adaptRecord; broken lines, unknown records and lines longer
 * than the limit are counted with a reason, never fatal. Error texts name the line, never its content.
 */
import { StringDecoder } from 'node:string_decoder';
import type { RuntimeEvent } from '../../core/events/model.js';
import { isJsonMap } from '../../core/json.js';
import { adaptRecord, type EventFormat } from './adapt.js';

export const READ_LIMITS = {
  /** Longest line kept (an audit event with a large object can take a few MiB). */
  line: 4 * 1024 * 1024,
  /** Largest single JSON document (array, EventList). */
  document: 256 * 1024 * 1024,
  /** Records a JSON array or list may hold. */
  items: 10_000_000,
};

export interface EventReadStats {
  /** Events produced. */
  read: number;
  /** Records (or parts of records) that produced no event. */
  skipped: number;
  formats: Partial<Record<EventFormat, number>>;
  /** Skip reasons with their counts. */
  reasons: Record<string, number>;
  /** The first skipped lines (source, line, reason), for the user to look at. */
  examples: { source: string; line: number; reason: string }[];
}

export function emptyStats(): EventReadStats {
  return { read: 0, skipped: 0, formats: {}, reasons: {}, examples: [] };
}

export function mergeStats(into: EventReadStats, s: EventReadStats): void {
  into.read += s.read;
  into.skipped += s.skipped;
  for (const [k, n] of Object.entries(s.formats)) into.formats[k as EventFormat] = (into.formats[k as EventFormat] ?? 0) + (n ?? 0);
  for (const [k, n] of Object.entries(s.reasons)) into.reasons[k] = (into.reasons[k] ?? 0) + n;
  for (const e of s.examples) if (into.examples.length < 20) into.examples.push(e);
}

const MAX_EXAMPLES = 20;

export class EventReader {
  readonly stats = emptyStats();
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  private line = 0;
  private mode: 'start' | 'lines' | 'document' = 'start';
  private doc: string[] = [];
  private docSize = 0;
  private discarding = false;

  constructor(
    private readonly source: string,
    private readonly onEvent: (e: RuntimeEvent) => void,
  ) {}

  private skip(reason: string, line: number): void {
    this.stats.skipped++;
    this.stats.reasons[reason] = (this.stats.reasons[reason] ?? 0) + 1;
    if (this.stats.examples.length < MAX_EXAMPLES) this.stats.examples.push({ source: this.source, line, reason });
  }

  private record(value: unknown, line: number): void {
    const r = adaptRecord(value);
    if (r.format) this.stats.formats[r.format] = (this.stats.formats[r.format] ?? 0) + r.events.length;
    for (const reason of r.skipped) this.skip(reason, line);
    for (const e of r.events) {
      this.stats.read++;
      this.onEvent(e);
    }
  }

  private handleLine(text: string): void {
    const line = ++this.line;
    if (this.mode === 'document') {
      this.docSize += text.length + 1;
      if (this.docSize > READ_LIMITS.document) {
        this.skip(`JSON document larger than ${READ_LIMITS.document} bytes`, line);
        this.mode = 'lines';
        this.doc = [];
        return;
      }
      this.doc.push(text);
      return;
    }
    if (text.length > READ_LIMITS.line) {
      this.skip(`line longer than ${READ_LIMITS.line} bytes`, line);
      return;
    }
    const t = text.trim();
    if (!t) return;
    if (this.mode === 'start') {
      this.mode = 'lines';
      if (t[0] === '[') {
        this.mode = 'document';
        this.doc.push(text);
        this.docSize = text.length + 1;
        return;
      }
    }
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch {
      if (line === 1 && t[0] === '{') {
        // a pretty-printed document (an EventList written by kubectl or jq): read it whole
        this.mode = 'document';
        this.doc.push(text);
        this.docSize = text.length + 1;
        return;
      }
      this.skip('not JSON', line);
      return;
    }
    this.record(value, line);
  }

  push(chunk: Buffer | string): void {
    let text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      if (this.discarding) {
        this.discarding = false;
        this.line++;
      } else this.handleLine(this.rest + text.slice(start, nl));
      this.rest = '';
      start = nl + 1;
    }
    if (start < text.length) {
      if (this.discarding) return;
      text = text.slice(start);
      if (this.rest.length + text.length > READ_LIMITS.line && this.mode !== 'document') {
        this.skip(`line longer than ${READ_LIMITS.line} bytes`, this.line + 1);
        this.rest = '';
        this.discarding = true;
        return;
      }
      this.rest += text;
    }
  }

  end(): EventReadStats {
    const tail = this.rest + this.decoder.end();
    this.rest = '';
    if (tail && !this.discarding) this.handleLine(tail);
    if (this.mode === 'document' && this.doc.length) {
      const first = this.line - this.doc.length + 1;
      let value: unknown;
      try {
        value = JSON.parse(this.doc.join('\n'));
      } catch {
        this.skip('not JSON', first);
        this.doc = [];
        return this.stats;
      }
      this.doc = [];
      const items = Array.isArray(value) ? value : isJsonMap(value) && Array.isArray(value.records) ? value.records : undefined;
      if (items) {
        // a JSON array of records, or an Azure export `{"records": [...]}`
        for (const v of items.slice(0, READ_LIMITS.items)) this.record(v, first);
      } else this.record(value, first);
    }
    return this.stats;
  }
}

/** Reads a whole text at once (tests, HTTP bodies already in memory). */
export function readEventsText(text: string, source = 'input'): { events: RuntimeEvent[]; stats: EventReadStats } {
  const events: RuntimeEvent[] = [];
  const r = new EventReader(source, (e) => events.push(e));
  r.push(text);
  return { events, stats: r.end() };
}
