import { defineRule } from '../../../core/rule.js';
import { finalStageChain, flagValues, keyValuePairs, shellText } from '../../../core/dockerfile/index.js';
import type { DockerfileInstruction, DockerfileObject } from '../../../core/dockerfile/index.js';
import { dockerfileOf, instructionPath } from '../dockerfile-of.js';
import { commandName, packageInstalls, simpleCommands } from '../shell-commands.js';
import type { PackageManager } from '../shell-commands.js';

/** Cache-mount targets that keep a package manager's cache out of the layer (RUN --mount=type=cache,target=…). */
const CACHE_TARGETS: Partial<Record<PackageManager, RegExp>> = {
  apt: /^\/var\/(lib|cache)\/apt(\/|$)/,
  apk: /^\/(var\/cache\/apk|etc\/apk\/cache)(\/|$)/,
  yum: /^\/var\/cache\/(yum|dnf)(\/|$)/,
  pip: /^\/root\/\.cache(\/pip)?(\/|$)|^\/.*\/\.cache\/pip(\/|$)/,
};

/** Same-RUN clean-ups that remove the cache (Hadolint DL3009, DL3018/DL3019, DL3042, DL3032 follow the same idea). */
const CLEANUPS: Partial<Record<PackageManager, RegExp>> = {
  apt: /\brm\s[^\n;&|]{0,300}?\/var\/lib\/apt\/lists/,
  apk: /\brm\s[^\n;&|]{0,300}?\/var\/cache\/apk|\bapk\s+cache\s+clean/,
  yum: /\b(yum|dnf|microdnf|tdnf)\s+clean\s+all\b|\brm\s[^\n;&|]{0,300}?\/var\/cache\/(yum|dnf)/,
  pip: /\bpip[0-9.]*\s+cache\s+purge|\brm\s[^\n;&|]{0,300}?\.cache\/pip/,
};

const NO_CACHE_FLAG: Partial<Record<PackageManager, RegExp>> = {
  apk: /^--no-cache$/,
  pip: /^--no-cache-dir$/,
};

const HINT: Partial<Record<PackageManager, string>> = {
  apt: 'apt-get install without removing /var/lib/apt/lists in the same RUN',
  apk: 'apk add without --no-cache',
  yum: 'yum/dnf install without "clean all" in the same RUN',
  pip: 'pip install without --no-cache-dir',
};

function cacheMounted(ins: DockerfileInstruction, manager: PackageManager): boolean {
  const target = CACHE_TARGETS[manager];
  if (!target) return false;
  return flagValues(ins, 'mount').some((m) => /(^|,)type=cache(,|$)/.test(m) && m.split(',').some((kv) => /^(target|dst|destination)=/.test(kv) && target.test(kv.replace(/^[^=]*=/, ''))));
}

/** PIP_NO_CACHE_DIR set by an ENV (or ARG) of the chain before the instruction. */
function pipCacheDisabledByEnv(df: DockerfileObject, chain: number[], stage: number, index: number): boolean {
  for (const s of chain) {
    const ins = df.stages[s].instructions;
    const end = s === stage ? index : ins.length;
    for (let i = 0; i < end; i++) {
      if (ins[i].instruction !== 'ENV' && ins[i].instruction !== 'ARG') continue;
      if (keyValuePairs(ins[i]).some((p) => p.key === 'PIP_NO_CACHE_DIR' && p.value !== undefined && p.value !== '')) return true;
    }
  }
  return false;
}

/**
 * Package-manager caches left in a layer of the final image (final stage and the stages it builds on; caches in
 * other build stages never reach the image). A later RUN cannot remove them from the earlier layer.
 */
export default defineRule({
  id: 'dockerfile-package-cache',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['DL3009', 'DL3019', 'DL3042'],
  title: 'Package manager cache left in the image',
  description:
    'Package indexes and download caches left in a layer make the image larger and carry stale metadata that ' +
    'scanners and attackers can read; removing them in a later RUN does not shrink the earlier layer.',
  category: 'dockerfile',
  severity: 'info',
  severityReason: 'image size and hygiene, not exposure',
  kinds: ['Dockerfile'],
  messages: { cache: 'RUN leaves the {{manager}} cache in the image ({{hint}})' },
  remediation:
    'Clean up in the same RUN (apt-get install … && rm -rf /var/lib/apt/lists/*), use apk add --no-cache and ' +
    'pip install --no-cache-dir, or use RUN --mount=type=cache for the cache directory.',
  references: ['https://docs.docker.com/build/building/best-practices/#apt-get', 'https://docs.docker.com/build/cache/optimize/#use-cache-mounts', 'https://github.com/hadolint/hadolint/wiki/DL3009', 'https://github.com/hadolint/hadolint/wiki/DL3019', 'https://github.com/hadolint/hadolint/wiki/DL3042'],
  compliance: {},
  check(ctx, resource) {
    const df = dockerfileOf(resource);
    if (!df) return;
    const chain = finalStageChain(df);
    for (const si of chain) {
      df.stages[si].instructions.forEach((ins, ii) => {
        if (ins.instruction !== 'RUN') return;
        const text = shellText(ins);
        const seen = new Set<PackageManager>();
        // `apt-get update` alone downloads the package lists too.
        const updates = simpleCommands(text)
          .filter((c) => ['apt-get', 'apt'].includes(commandName(c)) && c.words.slice(1).find((w) => !w.startsWith('-')) === 'update')
          .map(() => ({ manager: 'apt' as PackageManager, words: [] as string[] }));
        for (const inst of [...packageInstalls(text), ...updates]) {
          const m = inst.manager;
          if (seen.has(m) || !HINT[m]) continue;
          if (NO_CACHE_FLAG[m] && inst.words.some((w) => NO_CACHE_FLAG[m]?.test(w))) continue;
          if (CLEANUPS[m]?.test(text) || cacheMounted(ins, m)) continue;
          if (m === 'pip' && pipCacheDisabledByEnv(df, [...chain].reverse(), si, ii)) continue;
          seen.add(m);
          ctx.report({ messageId: 'cache', path: instructionPath(si, ii), data: { manager: m, hint: HINT[m] ?? m } });
        }
      });
    }
  },
});
