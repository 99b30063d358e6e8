import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDockerfile } from './parse.js';
import { ManifestParseError } from '../../core/errors.js';
import { flagValues, keyValuePairs, finalStageChain, shellText } from '../../core/dockerfile/index.js';
import type { DockerfileObject } from '../../core/dockerfile/index.js';

// Expected values below follow the Dockerfile reference (https://docs.docker.com/reference/dockerfile/):
// line numbers are counted by hand from the testdata files.

function load(name: string): { text: string; file: string } {
  const file = fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
  return { text: readFileSync(file, 'utf8'), file };
}

function parse(text: string, file = 'Dockerfile'): DockerfileObject {
  return parseDockerfile(text, file).object as DockerfileObject;
}

describe('parseDockerfile: multi-stage Go build', () => {
  const { text, file } = load('go-multistage.Dockerfile');
  const res = parseDockerfile(text, file);
  const df = res.object as DockerfileObject;

  it('models the file as a Dockerfile resource named after the file', () => {
    assert.deepEqual(res.ref, { apiVersion: 'kubeguard.io/v1', kind: 'Dockerfile', name: 'go-multistage.Dockerfile' });
    assert.equal(df.metadata.name, 'go-multistage.Dockerfile');
    assert.equal(res.source?.file, file);
  });

  it('reads parser directives and the ARGs before FROM', () => {
    assert.deepEqual(df.directives, { syntax: 'docker/dockerfile:1.7', check: 'error=true' });
    assert.deepEqual(df.globalArgs.map((a) => [a.line, a.args]), [[4, ['GO_VERSION=1.22']], [5, ['BASE=gcr.io/distroless/static-debian12:nonroot']]]);
  });

  it('splits stages, substitutes global ARG defaults into FROM and keeps --platform', () => {
    assert.equal(df.stages.length, 2);
    assert.equal(df.stages[0].name, 'build');
    assert.deepEqual(df.stages[0].from, {
      image: 'golang', tag: '1.22-alpine', raw: 'golang:${GO_VERSION}-alpine', resolved: true, platform: '$BUILDPLATFORM',
    });
    assert.deepEqual(df.stages[1].from, {
      image: 'gcr.io/distroless/static-debian12', tag: 'nonroot', raw: '${BASE}', resolved: true,
    });
  });

  it('joins continuation lines, drops comment and blank lines inside them, and records the start line', () => {
    const runs = df.stages[0].instructions.filter((x) => x.instruction === 'RUN');
    assert.equal(runs.length, 2);
    assert.equal(runs[0].line, 11);
    assert.equal(runs[0].endLine, 13);
    assert.deepEqual(flagValues(runs[0], 'mount'), ['type=cache,target=/go/pkg/mod', 'type=cache,target=/root/.cache/go-build']);
    assert.match(runs[0].value, /^go mod download$/);
    assert.equal(runs[1].line, 15);
    assert.equal(runs[1].endLine, 19);
    assert.deepEqual(runs[1].args, ['CGO_ENABLED=0', 'GOOS=linux', 'go', 'build', '-trimpath', '-ldflags=-s -w', '-o', '/out/app', './cmd/app']);
  });

  it('parses COPY --from, USER and exec-form ENTRYPOINT', () => {
    const [from, copy, user, entry] = df.stages[1].instructions;
    assert.equal(from.instruction, 'FROM');
    assert.equal(from.line, 21);
    assert.deepEqual(copy.flags, { from: 'build', chown: '65532:65532' });
    assert.deepEqual(copy.args, ['/out/app', '/app']);
    assert.equal(user.value, '65532:65532');
    assert.equal(entry.form, 'exec');
    assert.deepEqual(entry.args, ['/app']);
  });

  it('locates pointers at instruction lines', () => {
    const locate = res.source?.locate;
    assert.ok(locate);
    assert.equal(locate('/stages/0/instructions/3'), 11);
    assert.equal(locate('/stages/0/instructions/3/value'), 11);
    assert.equal(locate('/stages/1/instructions/2'), 23);
    assert.equal(locate('/stages/1'), 21);
    assert.equal(locate('/stages/1/from'), 21);
    assert.equal(locate('/globalArgs/1'), 5);
    assert.equal(locate('/stages/9/instructions/0'), undefined);
  });

  it('knows the final stage does not build on an earlier stage', () => {
    assert.deepEqual(finalStageChain(df), [1]);
  });
});

describe('parseDockerfile: escape directive (Windows)', () => {
  const { text } = load('windows.Dockerfile');
  const df = parse(text);
  it('uses the backtick as the escape and continuation character', () => {
    assert.deepEqual(df.directives, { escape: '`' });
    const run = df.stages[0].instructions[2];
    assert.equal(run.instruction, 'RUN');
    assert.equal(run.line, 5);
    assert.equal(run.endLine, 7);
    assert.ok(run.value.includes('-OutFile C:\\tool.zip ;'));
    assert.ok(run.value.includes('Expand-Archive C:\\tool.zip'));
  });
  it('keeps backslashes literal in shell words', () => {
    const copy = df.stages[0].instructions[3];
    assert.deepEqual(copy.args, ['app\\', 'C:\\app\\']);
    const cmd = df.stages[0].instructions[5];
    assert.deepEqual(cmd.args, ['C:\\app\\run.exe']);
  });
});

describe('parseDockerfile: heredocs, ENV forms, digests and HEALTHCHECK', () => {
  const { text } = load('heredoc.Dockerfile');
  const df = parse(text);
  const ins = df.stages[0].instructions;
  it('reads the digest of the base image', () => {
    assert.equal(df.stages[0].from.image, 'debian');
    assert.equal(df.stages[0].from.tag, 'bookworm-slim');
    assert.equal(df.stages[0].from.digest, 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
  });
  it('takes heredoc bodies up to the delimiter, stripping tabs for <<-', () => {
    assert.equal(ins[1].instruction, 'RUN');
    assert.equal(ins[1].line, 2);
    assert.equal(ins[1].endLine, 7);
    assert.deepEqual(ins[1].heredocs?.map((h) => [h.delimiter, h.line]), [['EOF', 3]]);
    assert.equal(ins[1].heredocs?.[0].content.split('\n').length, 4);
    assert.ok(shellText(ins[1]).includes('rm -rf /var/lib/apt/lists/*'));
    assert.equal(ins[2].instruction, 'COPY');
    assert.equal(ins[2].heredocs?.[0].content, 'listen = 8080');
    assert.equal(ins[3].instruction, 'ENV');
    assert.equal(ins[3].line, 11);
  });
  it('reads ENV key=value pairs with quotes and the legacy space form', () => {
    assert.deepEqual(keyValuePairs(ins[3]), [{ key: 'APP_HOME', value: '/srv/app' }, { key: 'LANG', value: 'C.UTF-8' }]);
    assert.deepEqual(keyValuePairs(ins[4]), [{ key: 'LEGACY_FORM', value: 'value with spaces' }]);
  });
  it('reads HEALTHCHECK flags', () => {
    assert.deepEqual(ins[5].flags, { interval: '30s', timeout: '3s' });
    assert.equal(ins[5].value, 'CMD curl -f http://localhost:8080/ || exit 1');
  });
});

describe('parseDockerfile: stages and errors', () => {
  it('resolves FROM <stage> case-insensitively and builds the final chain', () => {
    const df = parse('FROM node:20 AS Deps\nRUN npm ci\nFROM deps AS build\nRUN npm run build\nFROM build\nCMD ["node","x"]\n');
    assert.equal(df.stages[1].from.stage, 0);
    assert.equal(df.stages[2].from.stage, 1);
    assert.deepEqual(finalStageChain(df), [2, 1, 0]);
  });
  it('marks scratch and unresolved variables', () => {
    const df = parse('FROM scratch\nCOPY a /a\nFROM $UNSET_IMAGE\n');
    assert.equal(df.stages[0].from.scratch, true);
    assert.equal(df.stages[1].from.resolved, false);
  });
  it('expands ${VAR:-default} in FROM', () => {
    const df = parse('ARG TAG\nFROM alpine:${TAG:-3.20}\n');
    assert.equal(df.stages[0].from.tag, '3.20');
    assert.equal(df.stages[0].from.resolved, true);
  });
  it('accepts lower-case keywords and CRLF line ends', () => {
    const df = parse('from alpine:3.20\r\nrun echo hi \\\r\n  there\r\n');
    assert.equal(df.stages[0].instructions[1].instruction, 'RUN');
    assert.equal(df.stages[0].instructions[1].value, 'echo hi   there');
  });
  it('rejects unknown instructions with the file and line', () => {
    assert.throws(() => parse('FROM alpine\nRUNN echo\n', 'x/Dockerfile'), (e: unknown) => e instanceof ManifestParseError && e.line === 2 && e.file === 'x/Dockerfile');
  });
  it('rejects a file without FROM and instructions before FROM', () => {
    assert.throws(() => parse('# only a comment\n'), ManifestParseError);
    assert.throws(() => parse('RUN echo\nFROM alpine\n'), (e: unknown) => e instanceof ManifestParseError && e.line === 1);
  });
  it('rejects an unterminated heredoc', () => {
    assert.throws(() => parse('FROM alpine\nRUN <<EOF\necho hi\n'), (e: unknown) => e instanceof ManifestParseError && e.line === 2);
  });
  it('treats a directive after a comment as a comment', () => {
    const df = parse('# hello\n# escape=`\nFROM alpine\nRUN echo a \\\n b\n');
    assert.deepEqual(df.directives, {});
    assert.equal(df.stages[0].instructions[1].endLine, 5);
  });
});

describe('parseDockerfile: heredoc markers', () => {
  it('ignores << inside quotes and here-strings', () => {
    const df = parse('FROM alpine:3.20\nRUN echo "a <<EOF b" && cat <<< "x"\nCMD ["sh"]\n');
    assert.equal(df.stages[0].instructions[1].heredocs, undefined);
    assert.equal(df.stages[0].instructions[2].instruction, 'CMD');
  });
  it('reads several heredocs on one line in order', () => {
    const df = parse('FROM alpine:3.20\nCOPY <<A <<"B" /dest/\nfirst\nA\nsecond\nB\nUSER 1000\n');
    const copy = df.stages[0].instructions[1];
    assert.deepEqual(copy.heredocs?.map((h) => [h.delimiter, h.content, h.line]), [['A', 'first', 3], ['B', 'second', 5]]);
    assert.equal(df.stages[0].instructions[2].line, 7);
  });
});

describe('parseDockerfile: ARG-selected stages (moby-style)', () => {
  const df = parse([
    'ARG CROSS="false"',
    'ARG GO_VERSION=1.19.3',
    'ARG GOLANG_IMAGE="golang:${GO_VERSION}-bullseye"',
    'FROM ${GOLANG_IMAGE} AS base',
    'FROM base AS cross-false',
    'FROM --platform=linux/amd64 base AS cross-true',
    'FROM cross-${CROSS} AS dev-base',
    'FROM dev-base',
    '',
  ].join('\n'));
  it('expands quoted ARG defaults that refer to earlier ARGs', () => {
    assert.equal(df.stages[0].from.image, 'golang');
    assert.equal(df.stages[0].from.tag, '1.19.3-bullseye');
  });
  it('resolves a stage name built from an ARG', () => {
    assert.equal(df.stages[3].from.stage, 1);
    assert.equal(df.stages[2].from.platform, 'linux/amd64');
    assert.deepEqual(finalStageChain(df), [4, 3, 1, 0]);
  });
});
