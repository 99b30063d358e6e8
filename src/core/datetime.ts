/**
 * Calendar-correct dates and times, checked field by field (Date.parse rolls `2020-02-30` over to March and gives
 * NaN for `2020-13-45`, which would make an exception never expire). No clock here.
 */

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1];
}

export function isCalendarDate(y: number, m: number, d: number): boolean {
  return Number.isInteger(y) && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

export function isClockTime(h: number, min: number, s = 0): boolean {
  return h >= 0 && h <= 23 && min >= 0 && min <= 59 && s >= 0 && s <= 59;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})?$/;

/**
 * The instant an expiry names, in epoch milliseconds: the end of the day (UTC) for a bare date `YYYY-MM-DD`; the
 * instant itself for a date-time `YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|±HH:MM]` (UTC when no offset is given).
 * undefined when the text is not such a date, or names a day or time that does not exist.
 */
export function expiryInstant(text: string): number | undefined {
  const d = DATE.exec(text);
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    return isCalendarDate(y, m, day) ? utc(y, m, day, 23, 59, 59, 999) : undefined;
  }
  const t = DATE_TIME.exec(text);
  if (!t) return undefined;
  const [y, m, day, h, min, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(t[i] ?? 0));
  if (!isCalendarDate(y, m, day) || !isClockTime(h, min, s)) return undefined;
  let offsetMinutes = 0;
  const zone = t[8];
  if (zone && zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (!isClockTime(oh, om)) return undefined;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = t[7] ? Math.floor(Number(`0${t[7]}`) * 1000) : 0;
  return utc(y, m, day, h, min, s, ms) - offsetMinutes * 60_000;
}

/** Date.UTC without its two-digit-year quirk (years 0–99 would become 1900–1999). */
function utc(y: number, m: number, d: number, h: number, min: number, s: number, ms: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  t.setUTCHours(h, min, s, ms);
  return t.getTime();
}
