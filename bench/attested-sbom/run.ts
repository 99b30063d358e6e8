/**
 * A verified SBOM attestation instead of the layers: what `image scan REF` pays for an image's package list each
 * way, measured in the same run against the same registry (the real test registry, docker-registry, on loopback):
 *   layers      — pull and analyse every layer (digest checks, layered index, analyzers, hygiene);
 *   attestation — find the image's Sigstore bundles (OCI 1.1 referrers), verify them for the signer (certificate
 *                 chain, SCT, tlog proof, DSSE signature) and read the attested CycloneDX document.
 * The image is synthesised (a dpkg database, 3,000 node_modules packages, python dist-infos, 20,000 small files,
 * ~40 MiB of binaries) and attested with its own SBOM by a private Sigstore instance (@sigstore/mock). Prints each
 * median of 3 (vulnerability matching left out: the same on both sides), the ratio, and the machine's load.
 *
 *   npm run bench -- attested-sbom
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseReference } from '../../src/core/image-ref.js';
import { RegistryClient } from '../../src/sources/images/registry/client.js';
import { pushOciLayout } from '../../src/sources/images/registry/push.js';
import { makeTar, writeOciLayout } from '../../src/sources/images/test-support/build-image.js';
import type { FileSpec } from '../../src/sources/images/test-support/build-image.js';
import { MT } from '../../src/sources/images/oci-types.js';
import { digestOf } from '../../src/sources/images/digest.js';
import { startRegistry } from '../../src/sources/images/test-support/registry.js';
import { mockSigstore, pushReferrerBundles, statementFor } from '../../src/sources/images/test-support/sigstore-sign.js';
import { analyzeImage, imageSbom } from '../../src/usecases/images/analyze.js';
import { scanImage } from '../../src/usecases/images/scan-image.js';

const ID = 'https://github.com/kubeguard/app/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

async function layer(files: FileSpec[]) {
  const tar = await makeTar(files);
  return { blob: gzipSync(tar, { level: 1 }), diffId: digestOf(tar), mediaType: MT.ociLayerGzip };
}

const dir = mkdtempSync(join(tmpdir(), 'kg-bench-attested-'));
const reg = await startRegistry();
try {
  const base: FileSpec[] = [{ path: 'etc/os-release', content: readFileSync('/etc/os-release') }, { path: 'var/lib/dpkg/status', content: readFileSync('/var/lib/dpkg/status', 'utf8') }];
  for (let i = 0; i < 20_000; i++) base.push({ path: `usr/share/misc/d${i % 200}/f${i}.txt`, content: `file ${i}\n`.repeat(20 + (i % 50)) });
  for (let i = 0; i < 20; i++) base.push({ path: `usr/bin/tool${i}`, content: Buffer.concat([Buffer.from('\x7fELF', 'latin1'), randomBytes(1024 * 1024)]), mode: 0o755 });
  const app: FileSpec[] = [];
  for (let i = 0; i < 3000; i++) {
    app.push({ path: `app/node_modules/pkg-${i}/package.json`, content: JSON.stringify({ name: `pkg-${i}`, version: `1.${i % 10}.${i % 7}`, license: 'MIT' }) });
    app.push({ path: `app/node_modules/pkg-${i}/index.js`, content: `module.exports = ${i};\n`.repeat(100) });
  }
  for (let i = 0; i < 300; i++) app.push({ path: `usr/lib/python3/dist-packages/mod${i}-1.0.dist-info/METADATA`, content: `Metadata-Version: 2.1\nName: mod${i}\nVersion: 1.0.${i}\n\nbody\n` });
  for (let i = 0; i < 20; i++) app.push({ path: `opt/blob/data${i}.bin`, content: randomBytes(1024 * 1024) });
  writeOciLayout(join(dir, 'img'), [{ layers: [await layer(base), await layer(app)], config: { config: { User: '1000' } } }]);

  const client = new RegistryClient();
  const ref = `${reg.host}/bench/app:v1`;
  const digest = await pushOciLayout(client, join(dir, 'img'), parseReference(ref));
  const size = (await client.getManifest(parseReference(ref))).body.length;
  const analysed = await analyzeImage(ref, { now: new Date(), client });
  const bom = JSON.parse(imageSbom(analysed, 'cyclonedx-json', new Date())) as Record<string, unknown>;
  const sigstore = await mockSigstore();
  await pushReferrerBundles(client, parseReference(ref), { digest, size }, [await sigstore.signStatement(statementFor('app', digest, 'https://cyclonedx.org/bom', bom), { identity: ID, issuer: ISSUER })]);
  const rootFile = join(dir, 'trusted_root.json');
  writeFileSync(rootFile, JSON.stringify(sigstore.trustedRoot));

  const run = async (attested: boolean) => {
    const t = process.hrtime.bigint();
    const r = await scanImage(ref, {
      now: new Date(),
      client: new RegistryClient(),
      vulns: false,
      sbomSource: attested ? 'attestation' : 'layers',
      signer: { flags: { policy: { identity: ID, issuer: ISSUER }, trustedRoot: rootFile } },
    });
    const source = r.report.images?.[0]?.packages;
    if (source !== (attested ? 'attestation' : 'layers')) throw new Error(`expected ${attested ? 'attestation' : 'layers'}, got ${source}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  await run(false);
  await run(true);
  const layers: number[] = [];
  const attestation: number[] = [];
  for (let i = 0; i < 3; i++) {
    layers.push(await run(false));
    attestation.push(await run(true));
  }
  const l = median(layers);
  const a = median(attestation);
  console.log(`image of ${analysed.packages.length} packages, ${Math.round(analysed.stats.uncompressedBytes / 1048576)} MiB uncompressed; load ${loadavg()[0].toFixed(1)}`);
  console.log(`package list from the layers: ${l.toFixed(0)} ms; from the verified SBOM attestation: ${a.toFixed(0)} ms (${(l / a).toFixed(1)}× faster)`);
} finally {
  await reg.stop();
  rmSync(dir, { recursive: true, force: true });
}
