/**
 * The line index shared by the YAML and JSON paths: for each parsed mapping `[key0, line0, key1, line1, ...]`,
 * for each sequence `[line0, line1, ...]`, keyed by the parsed object. Flat arrays keep indexing cheap.
 */
export type KeyLines = (string | number)[];

function lineOf(container: object, token: string, lines: KeyLines | undefined): number | undefined {
  if (!lines) return undefined;
  if (Array.isArray(container)) {
    const i = Number(token);
    return Number.isInteger(i) ? (lines[i] as number | undefined) : undefined;
  }
  for (let i = 0; i < lines.length; i += 2) if (String(lines[i]) === token) return lines[i + 1] as number;
  return undefined;
}

/**
 * The line of the deepest existing field on the pointer's path: a pointer to a field that is missing
 * (e.g. an absent securityContext) points at its closest ancestor that exists.
 */
export function locateIn(root: unknown, pointer: string, keyLines: Map<object, KeyLines>): number | undefined {
  if (pointer === '') return undefined;
  let cur: unknown = root;
  let line: number | undefined;
  let start = 1;
  while (start <= pointer.length) {
    let end = pointer.indexOf('/', start);
    if (end === -1) end = pointer.length;
    if (cur === null || typeof cur !== 'object') break;
    const raw = pointer.slice(start, end);
    const token = raw.includes('~') ? raw.replace(/~1/g, '/').replace(/~0/g, '~') : raw;
    const l = lineOf(cur, token, keyLines.get(cur));
    if (l === undefined) break;
    line = l;
    cur = (cur as Record<string, unknown>)[token];
    start = end + 1;
  }
  return line;
}
