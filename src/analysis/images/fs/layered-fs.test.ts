import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LayeredFs } from './layered-fs.js';
import { ImageSecurityError } from '../errors.js';
import type { EntryHeader } from './layered-fs.js';

const file = (name: string, extra: Partial<EntryHeader> = {}): EntryHeader => ({ name, type: 'file', mode: 0o644, size: 1, ...extra });
const dir = (name: string): EntryHeader => ({ name, type: 'directory', mode: 0o755, size: 0 });
const link = (name: string, linkname: string): EntryHeader => ({ name, type: 'symlink', mode: 0o777, size: 0, linkname });

function paths(fs: LayeredFs): string[] {
  return [...fs.walk()].map(([p]) => p).sort();
}

// OCI image-spec layer.md "Whiteouts": `.wh.<name>` removes <name> of lower layers.
test('a whiteout file deletes the path (and its children) from lower layers', () => {
  const fs = new LayeredFs();
  fs.beginLayer(0);
  for (const e of [dir('./etc/my-app.d/'), file('./etc/my-app.d/default.cfg'), file('./bin/my-app-tools'), file('./etc/my-app-config')]) fs.addEntry(e);
  fs.beginLayer(1);
  fs.addEntry(file('./etc/.wh.my-app-config'));
  fs.addEntry(file('./etc/.wh.my-app.d'));
  assert.deepEqual(paths(fs), ['/bin', '/bin/my-app-tools', '/etc']);
});

// image-spec layer.md "Opaque Whiteout": a/.wh..wh..opq hides every lower child of a/, not same-layer ones.
test('an opaque whiteout hides lower-layer children but keeps entries of its own layer', () => {
  const fs = new LayeredFs();
  fs.beginLayer(0);
  for (const e of [dir('a/'), dir('a/b/'), dir('a/b/c/'), file('a/b/c/bar')]) fs.addEntry(e);
  fs.beginLayer(1);
  for (const e of [dir('a/'), file('a/.wh..wh..opq'), dir('a/b/'), dir('a/b/c/'), file('a/b/c/foo')]) fs.addEntry(e);
  assert.deepEqual(paths(fs), ['/a', '/a/b', '/a/b/c', '/a/b/c/foo']);
});

test('a later layer replaces a file, and its layer index is recorded', () => {
  const fs = new LayeredFs();
  fs.beginLayer(0);
  fs.addEntry(file('etc/passwd'));
  fs.beginLayer(3);
  fs.addEntry(file('etc/passwd', { mode: 0o600 }));
  assert.equal(fs.stat('/etc/passwd')?.layer, 3);
  assert.equal(fs.stat('/etc/passwd')?.mode, 0o600);
});

test('symlinks resolve inside the image root only: ".." and absolute targets are clamped at the root', () => {
  const fs = new LayeredFs();
  fs.beginLayer(0);
  const n = fs.addEntry(file('etc/os-release'))!;
  n.content = Buffer.from('ID=inside');
  fs.addEntry(link('escape', '../../../../../../etc/os-release'));
  fs.addEntry(link('abs', '/etc/os-release'));
  fs.addEntry(dir('usr/lib/'));
  fs.addEntry(link('lib', 'usr/lib'));
  fs.addEntry(file('usr/lib/x.so'));
  assert.equal(fs.readFile('/escape')?.toString(), 'ID=inside');
  assert.equal(fs.readFile('/abs')?.toString(), 'ID=inside');
  assert.equal(fs.resolve('/lib/x.so')?.path, '/usr/lib/x.so');
  assert.equal(fs.lstat('/escape')?.type, 'symlink');
});

test('symlink loops end without hanging', () => {
  const fs = new LayeredFs();
  fs.beginLayer(0);
  fs.addEntry(link('a', 'b'));
  fs.addEntry(link('b', 'a'));
  assert.equal(fs.stat('/a'), undefined);
});

test('tar-slip entries ("..") are refused', () => {
  const fs = new LayeredFs();
  fs.beginLayer(0);
  assert.throws(() => fs.addEntry(file('../../etc/cron.d/evil')), ImageSecurityError);
  assert.throws(() => fs.addEntry(file('usr/../../x')), /tar-slip/);
});

test('entries written through a symlink that points outside the root are refused', () => {
  const fs = new LayeredFs();
  fs.beginLayer(0);
  fs.addEntry(link('evil', '../../../../tmp'));
  assert.throws(() => fs.addEntry(file('evil/pwned')), (e: unknown) => e instanceof ImageSecurityError && /outside the image root/.test(e.message));
});

test('entries through an in-image symlink land at the link target', () => {
  const fs = new LayeredFs();
  fs.beginLayer(0);
  fs.addEntry(dir('usr/lib/'));
  fs.addEntry(link('lib', '/usr/lib'));
  fs.beginLayer(1);
  fs.addEntry(file('lib/libz.so'));
  assert.equal(fs.lstat('/usr/lib/libz.so')?.layer, 1);
});

test('hard links share the target content', () => {
  const fs = new LayeredFs();
  fs.beginLayer(0);
  const n = fs.addEntry(file('bin/a'))!;
  n.content = Buffer.from('x');
  fs.addEntry({ name: 'bin/b', type: 'link', mode: 0, size: 0, linkname: 'bin/a' });
  assert.equal(fs.readFile('/bin/b')?.toString(), 'x');
});

test('a hard link to a directory (which tar cannot write, but a hostile archive can) is ignored, not a crash', () => {
  const fs = new LayeredFs();
  fs.beginLayer(0);
  fs.addEntry(dir('etc/'));
  fs.addEntry({ name: 'alias', type: 'link', mode: 0, size: 0, linkname: 'etc' });
  fs.addEntry(file('alias/passwd'));
  assert.deepEqual(paths(fs), ['/alias', '/alias/passwd', '/etc']);
});

test('the file-count bound is enforced', () => {
  const fs = new LayeredFs({ maxFiles: 3 });
  fs.beginLayer(0);
  fs.addEntry(file('a'));
  fs.addEntry(file('b'));
  fs.addEntry(file('c'));
  assert.throws(() => fs.addEntry(file('d')), /more than 3/);
});
