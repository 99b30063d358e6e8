/**
 * A small shell reader for RUN commands: splits the text into simple commands (at `&&`, `||`, `;`, `|`, `&`,
 * newlines and parentheses), with quotes removed, leading `VAR=value` assignments and wrappers (sudo, env,
 * exec, command, nice) skipped. Enough to see what a RUN executes; not a full POSIX shell.
 */

export interface SimpleCommand {
  /** Words, starting at the command name. */
  words: string[];
  /** Whether this command's output is piped into the next one. */
  pipesInto: boolean;
}

const WRAPPERS = new Set(['sudo', 'env', 'exec', 'command', 'nice', 'nohup', 'time', 'doas']);

export function simpleCommands(text: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  let words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: string | undefined;
  const endWord = () => {
    if (inWord) words.push(cur);
    cur = '';
    inWord = false;
  };
  const endCommand = (pipesInto: boolean) => {
    endWord();
    const w = stripPrefix(words);
    if (w.length > 0) out.push({ words: w, pipesInto });
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
      continue;
    }
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[++i];
      if (next !== '\n') {
        cur += next;
        inWord = true;
      }
      continue;
    }
    if (ch === '#' && !inWord) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    if (ch === '|') {
      if (text[i + 1] === '|') {
        i++;
        endCommand(false);
      } else endCommand(true);
      continue;
    }
    if (ch === '&' || ch === ';' || ch === '\n' || ch === '(' || ch === ')' || ch === '`') {
      if (ch === '&' && text[i + 1] === '&') i++;
      endCommand(false);
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
      continue;
    }
    cur += ch;
    inWord = true;
  }
  endCommand(false);
  return out;
}

function stripPrefix(words: string[]): string[] {
  let i = 0;
  for (;;) {
    if (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i])) i++;
    else if (i < words.length && WRAPPERS.has(words[i])) {
      i++;
      while (i < words.length && words[i].startsWith('-')) i++;
    } else break;
  }
  return words.slice(i);
}

/** The command name without its directory: /usr/bin/apt-get → apt-get. */
export function commandName(cmd: SimpleCommand): string {
  return (cmd.words[0] ?? '').split('/').pop() ?? '';
}

export type PackageManager = 'apt' | 'apk' | 'yum' | 'zypper' | 'pip' | 'npm' | 'yarn' | 'pnpm' | 'gem' | 'cargo' | 'go';

export interface PackageInstall {
  manager: PackageManager;
  /** Package arguments (options removed, version pins kept). */
  packages: string[];
  /** Every word of the command, options included. */
  words: string[];
}

const INSTALL_VERBS: Record<string, { manager: PackageManager; verbs: string[] }> = {
  'apt-get': { manager: 'apt', verbs: ['install'] },
  apt: { manager: 'apt', verbs: ['install'] },
  aptitude: { manager: 'apt', verbs: ['install'] },
  apk: { manager: 'apk', verbs: ['add'] },
  yum: { manager: 'yum', verbs: ['install', 'groupinstall'] },
  dnf: { manager: 'yum', verbs: ['install', 'groupinstall'] },
  microdnf: { manager: 'yum', verbs: ['install'] },
  tdnf: { manager: 'yum', verbs: ['install'] },
  zypper: { manager: 'zypper', verbs: ['install', 'in'] },
  pip: { manager: 'pip', verbs: ['install'] },
  pip3: { manager: 'pip', verbs: ['install'] },
  npm: { manager: 'npm', verbs: ['install', 'i', 'ci', 'add'] },
  yarn: { manager: 'yarn', verbs: ['install', 'add'] },
  pnpm: { manager: 'pnpm', verbs: ['install', 'i', 'add'] },
  gem: { manager: 'gem', verbs: ['install'] },
  cargo: { manager: 'cargo', verbs: ['install'] },
  go: { manager: 'go', verbs: ['install', 'get'] },
};

/** Options of package managers that take a separate value (so the value is not a package). */
const OPTIONS_WITH_VALUE = new Set(['-o', '-t', '--virtual', '--target-release', '-c', '--repository', '-X', '--root', '-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '--prefix', '--target', '-e', '--editable', '--registry', '--cache', '--disablerepo', '--enablerepo', '--setopt', '--installroot', '--releasever']);

/** Package installs of a RUN: apt-get install, apk add, pip install, python -m pip install, npm ci… */
export function packageInstalls(text: string): PackageInstall[] {
  const out: PackageInstall[] = [];
  for (const cmd of simpleCommands(text)) {
    let words = cmd.words;
    let name = commandName(cmd);
    // python -m pip install …
    if (/^python[0-9.]*$/.test(name) && words[1] === '-m' && (words[2] === 'pip' || words[2] === 'pip3')) {
      words = words.slice(2);
      name = 'pip';
    }
    if (/^pip[0-9.]*$/.test(name)) name = name === 'pip3' ? 'pip3' : 'pip';
    const spec = INSTALL_VERBS[name];
    if (!spec) continue;
    const verbAt = words.findIndex((w, i) => i > 0 && spec.verbs.includes(w));
    if (verbAt < 0) continue;
    // Everything before the verb must be options (apt-get -y install …).
    if (words.slice(1, verbAt).some((w) => !w.startsWith('-'))) continue;
    const packages: string[] = [];
    for (let i = verbAt + 1; i < words.length; i++) {
      const w = words[i];
      if (w.startsWith('-')) {
        if (OPTIONS_WITH_VALUE.has(w)) i++;
        continue;
      }
      packages.push(w);
    }
    out.push({ manager: spec.manager, packages, words });
  }
  return out;
}

/** A package argument without its version pin: gcc=4:12.2-1 → gcc, pytest==8.0 → pytest, g++@1 → g++. */
export function packageBaseName(pkg: string): string {
  return pkg.replace(/\[.*$/, '').replace(/(?:[=<>~!]=?|@(?=\d)|:(?=\d)).*$/, '').toLowerCase();
}

/**
 * Packages a RUN removes again (same layer, so they never reach the image): `apk del <pkg|virtual>`,
 * `apt-get purge|remove <pkg>`, `yum|dnf remove|erase <pkg>`. The official-image idiom `apt-mark auto '.*'` followed by
 * `apt-get purge --auto-remove` removes everything installed after it, reported as "*apt".
 */
export function removedPackages(text: string): Set<string> {
  const removed = new Set<string>();
  let markedAuto = false;
  for (const cmd of simpleCommands(text)) {
    const name = commandName(cmd);
    const w = cmd.words;
    const verbAt = w.findIndex((x, i) => i > 0 && !x.startsWith('-'));
    const verb = w[verbAt];
    const args = w.slice(verbAt + 1).filter((x) => !x.startsWith('-'));
    if (name === 'apt-mark' && verb === 'auto') markedAuto = true;
    const isApt = name === 'apt-get' || name === 'apt';
    if (isApt && (verb === 'autoremove' || ((verb === 'purge' || verb === 'remove') && w.includes('--auto-remove'))) && markedAuto) removed.add('*apt');
    if ((isApt && (verb === 'purge' || verb === 'remove')) || (name === 'apk' && verb === 'del') || (['yum', 'dnf', 'microdnf'].includes(name) && (verb === 'remove' || verb === 'erase'))) {
      for (const a of args) removed.add(packageBaseName(a));
    }
  }
  return removed;
}

/** The --virtual/-t group name of an `apk add`, if any. */
export function apkVirtualName(words: string[]): string | undefined {
  const i = words.findIndex((w) => w === '--virtual' || w === '-t');
  if (i >= 0) return words[i + 1];
  const eq = words.find((w) => w.startsWith('--virtual='));
  return eq?.slice('--virtual='.length);
}
