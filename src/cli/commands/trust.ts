/**
 * `kubeguard trust update [--from DIR|URL] [--tuf-root FILE] | status` — the Sigstore trusted root used by
 * `image verify`, `image verify-blob` and the webhook's signature gate. Parsing and rendering only; the work is in
 * src/sources/sigstore. Exit 0 updated, 2 usage, 3 could not update (the stored root is left as it was).
 */
import type { Command } from 'commander';
import { TrustError } from '../../analysis/images/sigstore/errors.js';
import { trustFrom } from '../../analysis/images/sigstore/trust.js';
import { EXIT } from '../../core/outcome.js';
import { loadTrustedRoot } from '../../sources/sigstore/trusted-root.js';
import { PUBLIC_GOOD_MIRROR, updateTrust } from '../../sources/sigstore/tuf-update.js';
import { note, writeOutput } from '../io.js';

const counted = (c: ReturnType<typeof trustFrom>['counts']) => `${c.certificateAuthorities} certificate authorities, ${c.tlogs} transparency logs, ${c.ctlogs} CT logs, ${c.timestampAuthorities} timestamp authorities`;

export function registerTrust(program: Command): void {
  const trust = program.command('trust').description('Sigstore trust material (trusted root) for signature verification');
  trust
    .command('update')
    .description(`fetch the trusted root through TUF and store it (default mirror ${PUBLIC_GOOD_MIRROR})`)
    .option('--from <dir|url>', 'a TUF mirror URL, or a directory holding a copy of one (N.root.json, timestamp.json, snapshot.json, targets.json, targets/)')
    .option('--tuf-root <file>', 'the TUF root to start from (default: the one the last update ended with, else the shipped public-good root)')
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (flags: { from?: string; tufRoot?: string; quiet?: boolean }) => {
      note(`updating the Sigstore trusted root from ${flags.from ?? PUBLIC_GOOD_MIRROR}`, flags.quiet);
      try {
        const u = await updateTrust({ from: flags.from, tufRoot: flags.tufRoot });
        writeOutput(`Updated: ${u.path} from ${u.mirror} (TUF root version ${u.tufRootVersion}): ${counted(u.counts)}\n`);
      } catch (e) {
        if (!(e instanceof TrustError)) throw e;
        writeOutput(`Could not update: ${e.message} (the stored trusted root is unchanged)\n`);
        process.exitCode = EXIT.incomplete;
      }
    });
  trust
    .command('status')
    .description('which trusted root verification uses, and what it holds')
    .action(() => {
      try {
        const r = loadTrustedRoot();
        writeOutput(`trusted root: ${r.source}\n${counted(trustFrom(r.json).counts)}\n`);
      } catch (e) {
        if (!(e instanceof TrustError)) throw e;
        writeOutput(`Could not evaluate: ${e.message}\n`);
        process.exitCode = EXIT.incomplete;
      }
    });
}
