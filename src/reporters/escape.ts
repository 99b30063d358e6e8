const XML: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
const XML_SPECIAL = /[<>&"']/;

/** Most text has nothing to escape: it is returned as it is, without a replace. */
export function escapeXml(s: string): string {
  return XML_SPECIAL.test(s) ? s.replace(/[<>&"']/g, (c) => XML[c]) : s;
}

export function escapeMarkdownCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
