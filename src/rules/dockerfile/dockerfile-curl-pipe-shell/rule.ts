import { defineRule } from '../../../core/rule.js';
import { shellText } from '../../../core/dockerfile/index.js';
import { dockerfileOf, instructionPath } from '../dockerfile-of.js';
import { commandName, simpleCommands } from '../shell-commands.js';

const DOWNLOADERS = new Set(['curl', 'wget', 'fetch']);
const INTERPRETERS = /^(sh|bash|zsh|dash|ash|ksh|mksh|fish|python[0-9.]*|perl|ruby|node|php|pwsh|powershell|iex)$/i;

/** `sh -c "$(curl …)"`, `bash <(curl …)`, `. <(wget -O- …)`, `iex (iwr …)`: the download is executed directly. */
const SUBSTITUTION = /(?:\b(?:ba|z|da|k|a)?sh\b[^\n|;&]{0,200}?-c\s{0,5}["']?\$\(\s{0,5}|(?:\b(?:ba|z|da|k)?sh|\bsource|(?:^|\s)\.)\s{1,5}<\(\s{0,5})(?:curl|wget)\b|\biex\b[^\n]{0,200}?\b(?:iwr|irm|invoke-webrequest|invoke-restmethod)\b/i;

/**
 * A RUN that downloads a script and executes it in one go (`curl … | sh`, `wget -qO- … | bash`,
 * `sh -c "$(curl …)"`): nothing verifies what was executed.
 */
export default defineRule({
  id: 'dockerfile-curl-pipe-shell',
  title: 'Downloaded script piped into a shell',
  description:
    'curl | sh executes whatever the server sends at build time, unverified: a compromised server, a DNS or TLS ' +
    'interception, or a truncated download runs arbitrary code in the build with its credentials.',
  category: 'dockerfile',
  severity: 'high',
  severityReason: 'a script from the network runs as root during the build, unreviewed and unpinned: one compromised server owns the image',
  kinds: ['Dockerfile'],
  messages: { pipe: 'RUN pipes a download from {{downloader}} into {{interpreter}}' },
  remediation:
    'Download to a file, verify its checksum or signature (sha256sum -c, gpg --verify), then run it; or install ' +
    'the tool from a package repository or a pinned release artifact.',
  references: [
    'https://docs.docker.com/build/building/best-practices/#run',
    'https://www.seancassidy.me/dont-pipe-to-your-shell.html',
  ],
  compliance: { nsa: ['Pod security: building secure container images'], mitre: ['T1195.002', 'T1105'] },
  check(ctx, resource) {
    const df = dockerfileOf(resource);
    if (!df) return;
    df.stages.forEach((s, si) => {
      s.instructions.forEach((ins, ii) => {
        if (ins.instruction !== 'RUN') return;
        const text = shellText(ins);
        const cmds = simpleCommands(text);
        for (let k = 0; k < cmds.length; k++) {
          const name = commandName(cmds[k]);
          if (!DOWNLOADERS.has(name) || !cmds[k].pipesInto) continue;
          // Follow the pipeline: curl … | tee x | sh
          for (let j = k + 1; j < cmds.length; j++) {
            const next = commandName(cmds[j]);
            if (INTERPRETERS.test(next)) {
              ctx.report({ messageId: 'pipe', path: instructionPath(si, ii), data: { downloader: name, interpreter: next } });
              return;
            }
            if (!cmds[j].pipesInto) break;
          }
        }
        const m = SUBSTITUTION.exec(text);
        if (m) ctx.report({ messageId: 'pipe', path: instructionPath(si, ii), data: { downloader: /wget/i.test(m[0]) ? 'wget' : /iwr|irm|invoke/i.test(m[0]) ? 'Invoke-WebRequest' : 'curl', interpreter: 'a shell (command substitution)' } });
      });
    });
  },
});
