import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apkVirtualName, packageBaseName, packageInstalls, removedPackages, simpleCommands } from './shell-commands.js';

describe('simpleCommands', () => {
  it('splits at operators and pipes, removing quotes, assignments and sudo', () => {
    const cmds = simpleCommands('set -eux; A=1 sudo -E apt-get install -y "curl" && curl -fsSL https://x | bash -s -- --yes || true');
    assert.deepEqual(cmds.map((c) => [c.words, c.pipesInto]), [
      [['set', '-eux'], false],
      [['apt-get', 'install', '-y', 'curl'], false],
      [['curl', '-fsSL', 'https://x'], true],
      [['bash', '-s', '--', '--yes'], false],
      [['true'], false],
    ]);
  });
  it('ignores operators inside quotes and comments', () => {
    assert.deepEqual(simpleCommands('echo "a | b && c" # | sh').map((c) => c.words), [['echo', 'a | b && c']]);
  });
});

describe('packageInstalls', () => {
  it('reads the package arguments of common package managers', () => {
    const got = packageInstalls('apt-get update && apt-get -y install --no-install-recommends gcc=4:12.2 make && apk add --no-cache --virtual .deps musl-dev && python3 -m pip install -r req.txt pytest==8.2 && npm ci');
    assert.deepEqual(got.map((g) => [g.manager, g.packages]), [
      ['apt', ['gcc=4:12.2', 'make']],
      ['apk', ['musl-dev']],
      ['pip', ['pytest==8.2']],
      ['npm', []],
    ]);
  });
  it('sees build dependencies removed in the same RUN', () => {
    const text = "apk add --virtual .build-deps gcc && make && apk del .build-deps; apt-get purge -y gcc-12";
    assert.deepEqual([...removedPackages(text)].sort(), ['.build-deps', 'gcc-12']);
    assert.equal(apkVirtualName(['apk', 'add', '--virtual', '.build-deps', 'gcc']), '.build-deps');
    assert.ok(removedPackages("apt-mark auto '.*'; apt-get purge -y --auto-remove").has('*apt'));
    assert.ok(!removedPackages('apt-get purge -y --auto-remove').has('*apt'));
  });
  it('strips version pins from package names', () => {
    assert.equal(packageBaseName('gcc=4:12.2-1'), 'gcc');
    assert.equal(packageBaseName('pytest==8.0'), 'pytest');
    assert.equal(packageBaseName('requests[socks]>=2'), 'requests');
    assert.equal(packageBaseName('g++'), 'g++');
  });
});
