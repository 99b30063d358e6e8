/**
 * kube-bench audits are shell commands. They are never run here: each audit the shipped benchmarks use is
 * recognised as one of a few shapes (a `ps` of a component, `stat` of a file, `find | xargs stat`, `cat` of a
 * config, and the few scripted variants below), and answered from our own readers (answer.ts). Recognition is on
 * the text before kube-bench's variable substitution, so `$kubeletconf` stays a name that our discovery resolves
 * (discover.ts). Anything else is `unrecognised`, and its check could not be evaluated (never a pass).
 */

export type StatFormat = 'permissions=%a' | '%U:%G' | 'permissions=%a %n' | 'ownership=%U:%G %n' | '%a';

/** A path as the audit writes it: a literal, or a `$variable` to resolve. */
export type PathRef = { literal: string } | { variable: string };

export type AuditPlan =
  /** `ps -ef | grep BIN | grep -v grep`: every process line containing BIN. */
  | { kind: 'ps-grep'; bin: PathRef }
  /** `ps -fC BIN`: a header and the processes whose command name is BIN. */
  | { kind: 'ps-comm'; bin: PathRef }
  /** `if test -e P; then stat -c FMT P; [else echo MISSING;] fi` */
  | { kind: 'stat'; path: PathRef; format: StatFormat; ifMissing: string }
  /** `for f in P…; do if test -e $f; then stat -c FMT $f; fi; done` */
  | { kind: 'stat-each'; paths: PathRef[]; format: StatFormat }
  /** `[if test -e P; then] find P [-name GLOB] | xargs stat -c FMT [; fi]` */
  | { kind: 'find-stat'; path: PathRef; name?: string; format: StatFormat; guarded: boolean }
  /** The kubelet's client CA file (its --client-ca-file, else DEFAULT), then `stat -c FMT`. */
  | { kind: 'kubelet-ca-stat'; fallback: PathRef; format: StatFormat }
  /** etcd's --data-dir (when a directory, else DEFAULT), then `stat -c FMT`. */
  | { kind: 'etcd-data-dir-stat'; bin: PathRef; fallback: PathRef; format: StatFormat }
  /** The provider names after the last `providers:` line of the API server's --encryption-provider-config. */
  | { kind: 'encryption-providers'; bin: PathRef }
  /** Entries under the kubelet's --cni-conf-dir and files under DIR, then `stat -c FMT`. */
  | { kind: 'cni-stat'; bin: PathRef; dir: PathRef; format: StatFormat }
  /** `cat P` (guarded: `if test -e P; then cat P; fi`). */
  | { kind: 'cat'; path: PathRef; guarded: boolean }
  /** A script over the cluster's objects (kubectl, jq): answered by the cluster view, not on the node. */
  | { kind: 'cluster'; tool: string }
  | { kind: 'unrecognised' };

const P = String.raw`(\$\w+|/[^\s'";|$]+)`;
const FMT = String.raw`(permissions=%a|%U:%G|%a)`;
const QFMT = String.raw`"(permissions=%a %n|ownership=%U:%G %n)"`;

function ref(token: string): PathRef {
  return token.startsWith('$') ? { variable: token.slice(1) } : { literal: token };
}

/** Whitespace as written does not matter: lines trimmed, runs of blanks made one. */
function normalise(audit: string): string {
  return audit
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .filter((l) => l !== '')
    .join('\n');
}

type Matcher = [RegExp, (m: RegExpExecArray) => AuditPlan | undefined];

const same = (m: RegExpExecArray, a: number, b: number) => m[a] === m[b];

const MATCHERS: Matcher[] = [
  [new RegExp(String.raw`^/bin/ps -ef \| (?:/bin/)?grep ${P} \| (?:/bin/)?grep -v grep$`), (m) => ({ kind: 'ps-grep', bin: ref(m[1]) })],
  [new RegExp(String.raw`^/bin/ps -fC ${P}$`), (m) => ({ kind: 'ps-comm', bin: ref(m[1]) })],
  [
    new RegExp(String.raw`^/bin/sh -c 'if test -e ${P}; then stat -c ${FMT} ${P}; fi'$`),
    (m) => (same(m, 1, 3) ? { kind: 'stat', path: ref(m[1]), format: m[2] as StatFormat, ifMissing: '' } : undefined),
  ],
  [
    new RegExp(String.raw`^/bin/sh -c "if test -e ${P}; then stat -c ${FMT} ${P}; else echo \\"([^"\\]*)\\"; fi"$`),
    (m) => (same(m, 1, 3) ? { kind: 'stat', path: ref(m[1]), format: m[2] as StatFormat, ifMissing: `${m[4]}\n` } : undefined),
  ],
  [
    new RegExp(String.raw`^/bin/sh -c 'if test -e ${P}; then find ${P} -name '([^'/]+)' \| xargs stat -c ${FMT}; fi'$`),
    (m) => (same(m, 1, 2) ? { kind: 'find-stat', path: ref(m[1]), name: m[3], format: m[4] as StatFormat, guarded: true } : undefined),
  ],
  [new RegExp(String.raw`^find ${P} -name '([^'/]+)' \| xargs stat -c ${FMT}$`), (m) => ({ kind: 'find-stat', path: ref(m[1]), name: m[2], format: m[3] as StatFormat, guarded: false })],
  [new RegExp(String.raw`^find ${P} \| xargs stat -c ${FMT}$`), (m) => ({ kind: 'find-stat', path: ref(m[1]), format: m[2] as StatFormat, guarded: false })],
  [
    new RegExp(String.raw`^for (\w+) in ((?:${P} ?)+); do if test -e \$\1; then stat -c ${QFMT} \$\1; fi; done$`),
    (m) => ({ kind: 'stat-each', paths: m[2].trim().split(' ').map(ref), format: m[4] as StatFormat }),
  ],
  [
    new RegExp(
      String.raw`^CAFILE=\$\(ps -ef \| grep kubelet \| grep -v apiserver \| grep -- --client-ca-file= \| awk -F '--client-ca-file=' '\{print \$2\}' \| awk '\{print \$1\}' \| uniq\)\n` +
        String.raw`if test -z \$CAFILE; then CAFILE=${P}; fi\nif test -e \$CAFILE; then stat -c ${FMT} \$CAFILE; fi$`,
    ),
    (m) => ({ kind: 'kubelet-ca-stat', fallback: ref(m[1]), format: m[2] as StatFormat }),
  ],
  [
    new RegExp(
      String.raw`^DATA_DIR=''\nfor d in \$\(ps -ef \| grep ${P} \| grep -- --data-dir \| sed 's%\.\*data-dir\[= \]\\\(\[\^ \]\*\\\)\.\*%\\1%'\); do\n` +
        String.raw`if test -d "\$d"; then DATA_DIR="\$d"; fi\ndone\nif ! test -d "\$DATA_DIR"; then DATA_DIR=${P}; fi\nstat -c ${FMT} "\$DATA_DIR"$`,
    ),
    (m) => ({ kind: 'etcd-data-dir-stat', bin: ref(m[1]), fallback: ref(m[2]), format: m[3] as StatFormat }),
  ],
  [
    new RegExp(
      String.raw`^ENCRYPTION_PROVIDER_CONFIG=\$\(ps -ef \| grep ${P} \| grep -- --encryption-provider-config \| sed 's%\.\*encryption-provider-config\[= \]\\\(\[\^ \]\*\\\)\.\*%\\1%'\)\n` +
        String.raw`if test -e \$ENCRYPTION_PROVIDER_CONFIG; then grep -A1 'providers:' \$ENCRYPTION_PROVIDER_CONFIG \| tail -n1 \| grep -o "\[A-Za-z\]\*" \| sed 's/\^/provider=/'; fi$`,
    ),
    (m) => ({ kind: 'encryption-providers', bin: ref(m[1]) }),
  ],
  [
    new RegExp(
      String.raw`^ps -ef \| grep ${P} \| grep -- --cni-conf-dir \| sed 's%\.\*cni-conf-dir\[= \]\\\(\[\^ \]\*\\\)\.\*%\\1%' \| xargs -I\{\} find \{\} -mindepth 1 \| xargs --no-run-if-empty stat -c ${FMT}\n` +
        String.raw`find ${P} -type f 2> /dev/null \| xargs --no-run-if-empty stat -c ${FMT}$`,
    ),
    (m) => (m[2] === m[4] ? { kind: 'cni-stat', bin: ref(m[1]), dir: ref(m[3]), format: m[2] as StatFormat } : undefined),
  ],
  [new RegExp(String.raw`^/bin/cat ${P}$`), (m) => ({ kind: 'cat', path: ref(m[1]), guarded: false })],
  [new RegExp(String.raw`^/bin/sh -c 'if test -e ${P}; then cat ${P}; fi'$`), (m) => (same(m, 1, 2) ? { kind: 'cat', path: ref(m[1]), guarded: true } : undefined)],
];

/** What an audit asks, or `unrecognised`. An empty audit is `undefined` (nothing to run). */
export function recogniseAudit(audit: string): AuditPlan | undefined {
  const text = normalise(audit);
  if (text === '') return undefined;
  for (const [re, build] of MATCHERS) {
    const m = re.exec(text);
    const plan = m && build(m);
    if (plan) return plan;
  }
  if (/(^|[\s($|])kubectl\s/.test(text)) return { kind: 'cluster', tool: 'kubectl' };
  if (/(^|[\s($|'"])gcloud\s/.test(text)) return { kind: 'cluster', tool: 'gcloud' };
  return { kind: 'unrecognised' };
}
