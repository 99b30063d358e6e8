/** Classifies declared licence strings as SPDX ids, SPDX expressions or free-form names. */
import { SPDX } from '@cyclonedx/cyclonedx-library';

export type LicenseClass = { kind: 'id'; id: string } | { kind: 'expression'; expression: string } | { kind: 'name'; name: string };

const OPERATORS = new Set(['AND', 'OR', 'WITH']);

function normaliseId(token: string): string | undefined {
  if (token.startsWith('LicenseRef-') && /^LicenseRef-[A-Za-z0-9.-]+$/.test(token)) return token;
  const t = token.endsWith('+') ? token.slice(0, -1) : token;
  const id = SPDX.fixupSpdxId(t);
  return id ? (token.endsWith('+') ? `${id}+` : id) : undefined;
}

export function classifyLicense(raw: string): LicenseClass {
  const s = raw.trim();
  const single = normaliseId(s);
  if (single && !single.endsWith('+')) return { kind: 'id', id: single };
  const tokens = s.replace(/[()]/g, ' $& ').split(/\s+/).filter(Boolean);
  if (tokens.length > 1 || single) {
    let ok = true;
    let prevWith = false;
    const out = tokens.map((t) => {
      if (t === '(' || t === ')') return t;
      if (OPERATORS.has(t.toUpperCase())) {
        prevWith = t.toUpperCase() === 'WITH';
        return t.toUpperCase();
      }
      if (prevWith) {
        prevWith = false;
        return t; // exception ids are not in the licence list
      }
      const id = normaliseId(t);
      if (!id) ok = false;
      return id ?? t;
    });
    if (ok) return { kind: 'expression', expression: out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')') };
  }
  return { kind: 'name', name: s };
}

/** A LicenseRef id for a free-form name (SPDX 2.3 §10.1: letters, digits, '.', '-'). */
export function licenseRefFor(name: string): string {
  return `LicenseRef-${name.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'unknown'}`;
}
