import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ManifestParseError } from '../../core/errors.js';
import { parseDockerfile } from './parse.js';
import type { DockerfileObject } from '../../core/dockerfile/index.js';

/** A generated instruction: keyword, argument chunks (joined by continuations), and blank/comment lines before it. */
interface GenInstruction {
  keyword: string;
  chunks: string[];
  before: ('blank' | 'comment')[];
  /** Comment lines inside the continuation (dropped by the parser). */
  innerComments: boolean;
}

// No word starts with '-': a leading `--name=…` is an instruction flag (RUN --mount, COPY --from), not part of the value.
const word = fc.stringMatching(/^[a-z0-9_./=][a-z0-9_./=-]{0,11}$/);
const keyword = fc.constantFrom('RUN', 'COPY', 'ENV', 'LABEL', 'WORKDIR', 'EXPOSE', 'USER', 'CMD', 'ARG');
const instruction: fc.Arbitrary<GenInstruction> = fc.record({
  keyword,
  chunks: fc.array(fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' ')), { minLength: 1, maxLength: 4 }),
  before: fc.array(fc.constantFrom<'blank' | 'comment'>('blank', 'comment'), { maxLength: 2 }),
  innerComments: fc.boolean(),
});
const stage = fc.record({ image: fc.constantFrom('alpine:3.20', 'debian:bookworm', 'scratch', 'nginx'), instructions: fc.array(instruction, { maxLength: 6 }) });

/** Renders the Dockerfile and records, independently of the parser, the line where each instruction starts. */
function render(stages: { image: string; instructions: GenInstruction[] }[]): { text: string; lines: number[][] } {
  const out: string[] = [];
  const lines: number[][] = [];
  for (const s of stages) {
    out.push(`FROM ${s.image}`);
    const starts = [out.length];
    for (const ins of s.instructions) {
      for (const b of ins.before) out.push(b === 'blank' ? '' : '# a comment');
      starts.push(out.length + 1);
      ins.chunks.forEach((chunk, i) => {
        const first = i === 0 ? `${ins.keyword} ` : '    ';
        const last = i === ins.chunks.length - 1;
        out.push(`${first}${chunk}${last ? '' : ' \\'}`);
        if (!last && ins.innerComments) out.push('    # dropped comment');
      });
    }
    lines.push(starts);
  }
  return { text: out.join('\n') + '\n', lines };
}

describe('parseDockerfile properties', () => {
  it('reports the start line of every instruction, whatever the continuations, comments and blank lines', () => {
    fc.assert(
      fc.property(fc.array(stage, { minLength: 1, maxLength: 3 }), (stages) => {
        const { text, lines } = render(stages);
        const res = parseDockerfile(text, 'Dockerfile');
        const df = res.object as DockerfileObject;
        assert.deepEqual(df.stages.map((s) => s.instructions.map((i) => i.line)), lines);
        df.stages.forEach((s, si) => s.instructions.forEach((ins, ii) => assert.equal(res.source?.locate?.(`/stages/${si}/instructions/${ii}/args/0`), ins.line)));
      }),
      { numRuns: 300 },
    );
  });

  it('joins continuation chunks into one value', () => {
    fc.assert(
      fc.property(instruction, (ins) => {
        const df = parseDockerfile(render([{ image: 'alpine:3.20', instructions: [ins] }]).text, 'Dockerfile').object as DockerfileObject;
        const parsed = df.stages[0].instructions[1];
        assert.equal(parsed.instruction, ins.keyword);
        assert.equal(parsed.value.split(/\s+/).join(' '), ins.chunks.join(' ').split(/\s+/).join(' '));
      }),
      { numRuns: 300 },
    );
  });

  it('either parses or throws ManifestParseError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.constantFrom('', 'FROM alpine\n', '# escape=`\nFROM alpine\n'), (junk, prefix) => {
        try {
          parseDockerfile(prefix + junk, 'Dockerfile');
        } catch (e) {
          assert.ok(e instanceof ManifestParseError, `unexpected ${String(e)}`);
        }
      }),
      { numRuns: 500 },
    );
  });
});
