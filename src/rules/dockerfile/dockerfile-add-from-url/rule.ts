import { defineRule } from '../../../core/rule.js';
import { flagValues } from '../../../core/dockerfile/index.js';
import { dockerfileOf, instructionPath } from '../dockerfile-of.js';

const REMOTE = /^(https?|ftp):\/\//i;

/**
 * ADD <url> downloads at build time with no integrity check unless --checksum is given
 * (https://docs.docker.com/reference/dockerfile/#add---checksum). Sources are every argument but the destination.
 */
export default defineRule({
  id: 'dockerfile-add-from-url',
  title: 'ADD downloads a remote file without a checksum',
  description:
    'ADD with a URL fetches whatever the server returns at build time, without verifying it, and the result is ' +
    'baked into a layer. A compromised or changed download silently enters the image.',
  category: 'dockerfile',
  severity: 'medium',
  severityReason: 'the build trusts whatever the URL serves at build time (no checksum): a supply-chain risk, not a running exposure',
  kinds: ['Dockerfile'],
  messages: { url: 'ADD downloads {{url}} without --checksum' },
  remediation:
    'Use ADD --checksum=sha256:<digest> <url>, or RUN curl -fsSL <url> -o file && echo "<sha256>  file" | sha256sum -c - ' +
    '(and remove the download tools in the same layer), or COPY a vendored file.',
  references: ['https://docs.docker.com/reference/dockerfile/#add', 'https://docs.docker.com/build/building/best-practices/#add-or-copy'],
  compliance: { nsa: ['Pod security: building secure container images'], mitre: ['T1195.002'] },
  check(ctx, resource) {
    const df = dockerfileOf(resource);
    if (!df) return;
    df.stages.forEach((s, si) => {
      s.instructions.forEach((ins, ii) => {
        if (ins.instruction !== 'ADD' || flagValues(ins, 'checksum').length > 0) return;
        for (const src of ins.args.slice(0, -1)) {
          if (REMOTE.test(src)) ctx.report({ messageId: 'url', path: instructionPath(si, ii), data: { url: src.replace(/\/\/[^/@]*@/, '//<redacted>@').replace(/\?.*$/, '?…') } });
        }
      });
    });
  },
});
