import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoBuildInfoProbe, GO_BUILDINFO_MAGIC, parseGoBuildInfo } from './go-buildinfo.js';

// Layout from Go's src/debug/buildinfo/buildinfo.go (inline strings, flag 2) and cmd/go modinfo framing.
function buildInfoBlob(version: string, modinfo: string): Buffer {
  const uv = (n: number): Buffer => {
    const out: number[] = [];
    while (n >= 0x80) {
      out.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.push(n);
    return Buffer.from(out);
  };
  const start = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
  const end = Buffer.from('f932433186182072008242104116d8f2', 'hex');
  const mod = Buffer.concat([start, Buffer.from(modinfo), end]);
  const header = Buffer.alloc(32);
  GO_BUILDINFO_MAGIC.copy(header);
  header[14] = 8;
  header[15] = 2;
  return Buffer.concat([header, uv(version.length), Buffer.from(version), uv(mod.length), mod]);
}

const modinfo = 'path\texample.com/cmd\nmod\texample.com/cmd\tv1.2.3\th1:abc=\ndep\tgolang.org/x/net\tv0.17.0\th1:def=\ndep\tgithub.com/old/mod\tv1.0.0\n=>\tgithub.com/new/mod\tv1.1.0\th1:ghi=\nbuild\tGOOS=linux\n';

test('build info is parsed like runtime/debug.ParseBuildInfo, module replacements applied', () => {
  const info = parseGoBuildInfo(buildInfoBlob('go1.21.5', modinfo))!;
  assert.equal(info.goVersion, 'go1.21.5');
  assert.deepEqual(info.main, { path: 'example.com/cmd', version: 'v1.2.3', sum: 'h1:abc=' });
  assert.deepEqual(info.deps.map((d) => `${d.path}@${d.version}`), ['golang.org/x/net@v0.17.0', 'github.com/new/mod@v1.1.0']);
  assert.equal(info.settings.GOOS, 'linux');
});

test('the streaming probe finds build info split across chunk boundaries and skips a literal decoy', () => {
  const decoy = Buffer.concat([GO_BUILDINFO_MAGIC, Buffer.from('not really build info')]);
  const elf = Buffer.concat([Buffer.from('\x7fELF', 'latin1'), Buffer.alloc(5000, 1), decoy, Buffer.alloc(300_000, 2), buildInfoBlob('go1.22.0', modinfo), Buffer.alloc(1000)]);
  for (const size of [7, 4096, 65536]) {
    const probe = new GoBuildInfoProbe();
    for (let i = 0; i < elf.length; i += size) probe.push(elf.subarray(i, i + size));
    const found = probe.end();
    assert.ok(found, `chunk ${size}`);
    assert.equal(parseGoBuildInfo(found)!.goVersion, 'go1.22.0');
  }
  const notElf = new GoBuildInfoProbe();
  notElf.push(buildInfoBlob('go1.22.0', modinfo));
  assert.equal(notElf.end(), undefined);
});
