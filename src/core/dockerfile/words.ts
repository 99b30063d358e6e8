/**
 * Word splitting and variable expansion for Dockerfile arguments, following BuildKit's shell lexer for the
 * subset Dockerfiles use (https://github.com/moby/buildkit/blob/master/frontend/dockerfile/shell/lex.go):
 * single quotes are literal, double quotes allow the escape character, and $VAR / ${VAR} / ${VAR:-word} /
 * ${VAR-word} / ${VAR:+word} / ${VAR+word} expand.
 */

/** Splits a shell-form argument string into words, removing quotes and escapes. */
export function splitWords(text: string, escape = '\\'): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else cur += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === escape && i + 1 < text.length && (text[i + 1] === '"' || text[i + 1] === escape || text[i + 1] === '$')) cur += text[++i];
      else cur += ch;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === escape && i + 1 < text.length) cur += text[++i];
    else cur += ch;
  }
  if (inWord) words.push(cur);
  return words;
}

export interface Expansion {
  text: string;
  /** Names referenced that had no value. */
  missing: string[];
}

const VAR = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Expands $VAR forms with the given values; unknown variables expand to "" and are listed as missing. */
export function expandVars(text: string, vars: ReadonlyMap<string, string | undefined>): Expansion {
  const missing: string[] = [];
  const out = text.replace(VAR, (_m, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    const value = vars.get(name);
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    switch (op) {
      case ':-':
        return nonEmpty ? (value as string) : (word ?? '');
      case '-':
        return set ? (value as string) : (word ?? '');
      case ':+':
        return nonEmpty ? (word ?? '') : '';
      case '+':
        return set ? (word ?? '') : '';
      default:
        if (!set) missing.push(name);
        return value ?? '';
    }
  });
  return { text: out, missing };
}
