import { defineRule } from '../../../core/rule.js';
import { finalStageChain, keyValuePairs } from '../../../core/dockerfile/index.js';
import type { DockerfileInstruction, DockerfileObject } from '../../../core/dockerfile/index.js';
import { expandVars } from '../../../core/dockerfile/index.js';
import { dockerfileOf, instructionPath } from '../dockerfile-of.js';

/** Users that mean root: root, 0, and Windows' ContainerAdministrator (user part of user[:group]). */
function isRootUser(user: string): boolean {
  const name = user.split(':')[0].trim().toLowerCase();
  return name === 'root' || name === '0' || name === 'containeradministrator';
}

interface UserDecl {
  stage: number;
  index: number;
  instr: DockerfileInstruction;
}

/** The USER in effect at the end of the final stage: its last USER, or the last USER of the stage it builds on. */
function effectiveUser(df: DockerfileObject): UserDecl | undefined {
  for (const stage of finalStageChain(df)) {
    const ins = df.stages[stage].instructions;
    for (let i = ins.length - 1; i >= 0; i--) if (ins[i].instruction === 'USER') return { stage, index: i, instr: ins[i] };
  }
  return undefined;
}

/** ARG/ENV values visible to an instruction (global ARG defaults, then the chain's ARG/ENV in order). */
function variablesBefore(df: DockerfileObject, decl: UserDecl): Map<string, string | undefined> {
  const vars = new Map<string, string | undefined>();
  for (const a of df.globalArgs) for (const p of keyValuePairs(a)) vars.set(p.key, p.value);
  const chain = finalStageChain(df).reverse();
  for (const stage of chain) {
    const ins = df.stages[stage].instructions;
    const end = stage === decl.stage ? decl.index : ins.length;
    for (let i = 0; i < end; i++) {
      if (ins[i].instruction === 'ARG' || ins[i].instruction === 'ENV') for (const p of keyValuePairs(ins[i])) if (p.value !== undefined || !vars.has(p.key)) vars.set(p.key, p.value);
    }
  }
  return vars;
}

/**
 * The image's default user is the last USER of the final stage (or of the stages it builds on). Without one the
 * container runs as the base image's user, root for nearly every base image; the exception honoured here is a base
 * tag ending in "nonroot" (the distroless convention, https://github.com/GoogleContainerTools/distroless#debug-images).
 */
export default defineRule({
  id: 'dockerfile-root-user',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['DL3002'],
  title: 'Image runs as root',
  description:
    'The final stage sets no USER (so the container runs as the base image\'s user, root for nearly every base image) ' +
    'or sets USER root / 0. A process running as root in the container is root on the host once it escapes, and can ' +
    'modify the image\'s files at runtime.',
  category: 'dockerfile',
  severity: 'medium',
  severityReason: 'a container running as root makes every escape easier; Pod Security restricted (runAsNonRoot) can enforce the fix at deploy time',
  kinds: ['Dockerfile'],
  messages: {
    noUser: 'The final stage sets no USER, so the image runs as the base image\'s user (root unless the base says otherwise)',
    root: 'The final stage runs as root (USER {{user}})',
  },
  remediation: 'Create an unprivileged user (or use a numeric UID such as 65532) and end the final stage with USER <uid>.',
  references: [
    'https://docs.docker.com/build/building/best-practices/#user',
    'https://docs.docker.com/reference/dockerfile/#user',
    'https://github.com/hadolint/hadolint/wiki/DL3002',
  ],
  compliance: { cis: ['5.2.7'], nsa: ['Pod security: non-root containers and rootless container engines'], mitre: ['T1611'] },
  check(ctx, resource) {
    const df = dockerfileOf(resource);
    if (!df) return;
    const decl = effectiveUser(df);
    const last = df.stages.length - 1;
    if (!decl) {
      const base = df.stages[finalStageChain(df).pop() ?? last].from;
      if (base.tag !== undefined && /(^|-)nonroot$/.test(base.tag)) return;
      // the final image's USER, which it lacks (located at the stage's FROM)
      ctx.report({ messageId: 'noUser', path: `/stages/${last}/user` });
      return;
    }
    let user = decl.instr.args[0] ?? decl.instr.value;
    if (user.includes('$')) {
      const expanded = expandVars(user, variablesBefore(df, decl));
      if (expanded.missing.length > 0 || expanded.text === '') {
        ctx.couldNotEvaluate(`USER ${user} at line ${decl.instr.line} uses a variable without a default value`);
        return;
      }
      user = expanded.text;
    }
    if (isRootUser(user)) ctx.report({ messageId: 'root', path: instructionPath(decl.stage, decl.index), data: { user } });
  },
});
