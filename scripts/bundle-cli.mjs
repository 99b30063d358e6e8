/**
 * Bundles the built CLI (dist/cli/run.js) into dist/bundle/: the entry and one chunk per group of modules that
 * a command loads on demand, so a command reads a handful of files instead of ~300 (start-up time, #25). The scan
 * command, which CI jobs and pre-commit hooks start most, has a bundle of its own (dist/cli/run-scan.js into
 * dist/bundle-scan/): ~20 files instead of the ~50 chunks it shares with the other commands.
 * Packages stay external (node_modules resolves them as before). dist/ stays whole beside the bundle: workers
 * and child scripts run from it, and each bundled module keeps its own import.meta.url (rewritten to its file in
 * dist/), so the data, workers and packages it finds relative to itself are found as before.
 * bin/kubeguard.js runs the bundle when it is there.
 */
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/** import.meta.url of a module as the URL of its file in dist/, written relative to the flat output directory. */
const moduleUrls = (outdir) => ({
  name: 'module-urls',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!args.path.startsWith(dist) || !text.includes('import.meta.url')) return { contents: text, loader: 'js' };
      const own = relative(outdir, args.path).split(sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, import.meta.url).href`), loader: 'js' };
    });
  },
});

for (const [entry, out] of [['run.js', 'bundle'], ['run-scan.js', 'bundle-scan']]) {
  const outdir = join(dist, out);
  await rm(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [join(dist, 'cli', entry)],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // chunks beside the entry: every output file is at the same depth, which the rewritten URLs rely on
    chunkNames: '[name]-[hash]',
    plugins: [moduleUrls(outdir)],
    logLevel: 'warning',
  });
}
