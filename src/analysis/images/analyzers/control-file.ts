/**
 * Debian control-file syntax (deb822, Debian Policy §5.1): paragraphs separated by blank lines, `Field: value`,
 * continuation lines starting with a space or tab.
 */
export type Paragraph = Record<string, string>;

export function parseParagraphs(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  let cur: Paragraph = {};
  let last: string | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (Object.keys(cur).length) out.push(cur);
      cur = {};
      last = undefined;
      continue;
    }
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      cur[last] += '\n' + line.slice(1);
      continue;
    }
    const c = line.indexOf(':');
    if (c <= 0) continue;
    last = line.slice(0, c);
    cur[last] = line.slice(c + 1).trim();
  }
  if (Object.keys(cur).length) out.push(cur);
  return out;
}
