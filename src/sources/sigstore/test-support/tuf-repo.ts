/**
 * A TUF repository written by the test (TUF specification 1.0, @tufjs/models for the metadata classes): one Ed25519
 * key per top-level role, `N.root.json` for every root version (rotation: version N+1 signed by N's and N+1's keys),
 * timestamp → snapshot → targets, and the targets under `targets/` (no consistent snapshots). A copy of a mirror,
 * as `kubeguard trust update --from DIR` reads it.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Key, Metadata, MetaFile, Root, Signature, Snapshot, TargetFile, Targets, Timestamp } from '@tufjs/models';

interface RoleKey {
  key: Key;
  priv: KeyObject;
}

function newKey(): RoleKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  const keyVal = { public: raw };
  const keyID = createHash('sha256').update(JSON.stringify({ keytype: 'ed25519', scheme: 'ed25519', keyval: keyVal })).digest('hex');
  return { key: new Key({ keyID, keyType: 'ed25519', scheme: 'ed25519', keyVal }), priv: privateKey };
}

const signer = (k: RoleKey) => (data: Buffer) => new Signature({ keyID: k.key.keyID, sig: sign(null, data, k.priv).toString('hex') });
const expires = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class TestTufRepo {
  private rootKey = newKey();
  private readonly roleKeys = { targets: newKey(), snapshot: newKey(), timestamp: newKey() };
  private rootVersion = 0;
  private version = 0;
  private readonly targets = new Map<string, Buffer>();

  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'targets'), { recursive: true });
    this.writeRoot([this.rootKey]);
  }

  /** The path of root version 1: the TUF root a client starts from. */
  get initialRoot(): string {
    return join(this.dir, '1.root.json');
  }

  private writeRoot(signers: RoleKey[]): void {
    this.rootVersion++;
    const root = new Root({ specVersion: '1.0.31', version: this.rootVersion, expires: expires(365), consistentSnapshot: false });
    root.addKey(this.rootKey.key, 'root');
    root.addKey(this.roleKeys.targets.key, 'targets');
    root.addKey(this.roleKeys.snapshot.key, 'snapshot');
    root.addKey(this.roleKeys.timestamp.key, 'timestamp');
    const md = new Metadata(root);
    for (const s of signers) md.sign(signer(s));
    writeFileSync(join(this.dir, `${this.rootVersion}.root.json`), JSON.stringify(md.toJSON()));
  }

  /** Rotates the root key: the new root is signed by the old key and the new one. */
  rotateRoot(): void {
    const old = this.rootKey;
    this.rootKey = newKey();
    this.writeRoot([old, this.rootKey]);
  }

  /** Publishes targets (name → content) with fresh targets, snapshot and timestamp metadata. */
  publish(files: Record<string, string | Buffer>, opts: { expiresDays?: number } = {}): void {
    for (const [name, content] of Object.entries(files)) this.targets.set(name, Buffer.from(content));
    this.version++;
    const targets = new Targets({ specVersion: '1.0.31', version: this.version, expires: expires(opts.expiresDays ?? 30) });
    for (const [name, content] of this.targets) {
      writeFileSync(join(this.dir, 'targets', name), content);
      targets.targets[name] = new TargetFile({ path: name, length: content.length, hashes: { sha256: createHash('sha256').update(content).digest('hex') } });
    }
    const targetsMd = new Metadata(targets);
    targetsMd.sign(signer(this.roleKeys.targets));
    const targetsJson = Buffer.from(JSON.stringify(targetsMd.toJSON()));
    writeFileSync(join(this.dir, 'targets.json'), targetsJson);
    const snapshot = new Metadata(new Snapshot({ specVersion: '1.0.31', version: this.version, expires: expires(opts.expiresDays ?? 30), meta: { 'targets.json': new MetaFile({ version: this.version }) } }));
    snapshot.sign(signer(this.roleKeys.snapshot));
    const snapshotJson = Buffer.from(JSON.stringify(snapshot.toJSON()));
    writeFileSync(join(this.dir, 'snapshot.json'), snapshotJson);
    const timestamp = new Metadata(new Timestamp({ specVersion: '1.0.31', version: this.version, expires: expires(opts.expiresDays ?? 1), snapshotMeta: new MetaFile({ version: this.version, length: snapshotJson.length, hashes: { sha256: createHash('sha256').update(snapshotJson).digest('hex') } }) }));
    timestamp.sign(signer(this.roleKeys.timestamp));
    writeFileSync(join(this.dir, 'timestamp.json'), JSON.stringify(timestamp.toJSON()));
  }
}
