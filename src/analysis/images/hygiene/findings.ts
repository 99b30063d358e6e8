/**
 * Image hygiene: the checks Docker's CIS benchmark (section 4) and tools such as dockle apply to an image,
 * reported as core Findings against a synthetic `ContainerImage` resource. Pure: `now` is a parameter.
 */
import { scanEnv, scanLayerFiles } from './secrets.js';
import type { LayerFile } from './secrets.js';
import type { LayeredFs } from '../fs/layered-fs.js';
import type { ImageConfig } from '../model.js';
import type { Finding, NotEvaluated, ResourceRef, Severity } from '../../../core/model.js';

export const IMAGE_RESOURCE_API = 'kubeguard.dev/v1';

export function imageResource(name: string): ResourceRef {
  return { apiVersion: IMAGE_RESOURCE_API, kind: 'ContainerImage', name };
}

export interface HygieneInput {
  /** The image reference or path as the user gave it. */
  image: string;
  config?: ImageConfig;
  fs: LayeredFs;
  layerFiles: readonly LayerFile[];
  now: Date;
  options?: HygieneOptions;
}

export interface HygieneOptions {
  /** image-age: older than this many days is reported (default 180). */
  maxAgeDays?: number;
  /** image-build-tools: tool names not to report (e.g. ['npm'] for an image that runs npm). */
  allowTools?: string[];
}

export interface HygieneReport {
  findings: Finding[];
  notEvaluated: NotEvaluated[];
}

/** Tools that belong in a build stage, not in a runtime image. */
export const BUILD_TOOLS: { name: string; kind: 'compiler' | 'build tool' | 'package manager'; paths: string[] }[] = [
  { name: 'gcc', kind: 'compiler', paths: ['/usr/bin/gcc', '/usr/local/bin/gcc'] },
  { name: 'cc', kind: 'compiler', paths: ['/usr/bin/cc'] },
  { name: 'g++', kind: 'compiler', paths: ['/usr/bin/g++'] },
  { name: 'clang', kind: 'compiler', paths: ['/usr/bin/clang'] },
  { name: 'go', kind: 'compiler', paths: ['/usr/local/go/bin/go', '/usr/bin/go', '/usr/lib/go/bin/go'] },
  { name: 'rustc', kind: 'compiler', paths: ['/usr/bin/rustc', '/usr/local/cargo/bin/rustc'] },
  { name: 'javac', kind: 'compiler', paths: ['/usr/bin/javac', '/opt/java/openjdk/bin/javac'] },
  { name: 'make', kind: 'build tool', paths: ['/usr/bin/make'] },
  { name: 'cmake', kind: 'build tool', paths: ['/usr/bin/cmake'] },
  { name: 'cargo', kind: 'build tool', paths: ['/usr/bin/cargo', '/usr/local/cargo/bin/cargo'] },
  { name: 'mvn', kind: 'build tool', paths: ['/usr/bin/mvn', '/usr/share/maven/bin/mvn'] },
  { name: 'gradle', kind: 'build tool', paths: ['/usr/bin/gradle', '/opt/gradle/bin/gradle'] },
  { name: 'apt', kind: 'package manager', paths: ['/usr/bin/apt', '/usr/bin/apt-get'] },
  { name: 'dpkg', kind: 'package manager', paths: ['/usr/bin/dpkg'] },
  { name: 'apk', kind: 'package manager', paths: ['/sbin/apk'] },
  { name: 'yum', kind: 'package manager', paths: ['/usr/bin/yum'] },
  { name: 'dnf', kind: 'package manager', paths: ['/usr/bin/dnf', '/usr/bin/microdnf'] },
  { name: 'rpm', kind: 'package manager', paths: ['/usr/bin/rpm'] },
  { name: 'pip', kind: 'package manager', paths: ['/usr/bin/pip', '/usr/bin/pip3', '/usr/local/bin/pip', '/usr/local/bin/pip3'] },
  { name: 'npm', kind: 'package manager', paths: ['/usr/bin/npm', '/usr/local/bin/npm', '/usr/lib/node_modules/npm/bin/npm-cli.js', '/usr/local/lib/node_modules/npm/bin/npm-cli.js'] },
  { name: 'yarn', kind: 'package manager', paths: ['/usr/bin/yarn', '/usr/local/bin/yarn'] },
  { name: 'gem', kind: 'package manager', paths: ['/usr/bin/gem', '/usr/local/bin/gem'] },
];

function ptr(...parts: string[]): string {
  return parts.map((p) => '/' + p.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** A pointer to a file of the image: /rootfs then one token per path component. */
export function filePointer(path: string): string {
  return ptr('rootfs', ...path.split('/').filter(Boolean));
}

function isRootUser(user: string | undefined): boolean {
  const u = (user ?? '').trim();
  if (u === '') return true;
  const name = u.split(':')[0];
  return name === '0' || name === 'root';
}

/** Epoch-0 / pre-1980 timestamps come from reproducible builds (SOURCE_DATE_EPOCH=0): the age is unknown. */
const REPRODUCIBLE_EPOCH_CUTOFF = Date.UTC(1980, 0, 2);

export function imageHygiene(input: HygieneInput): HygieneReport {
  const { image, config, fs, now } = input;
  const resource = imageResource(image);
  const findings: Finding[] = [];
  const notEvaluated: NotEvaluated[] = [];
  const add = (ruleId: string, severity: Severity, message: string, path: string, remediation: string, evidence?: string): void => {
    findings.push({ ruleId, severity, message, resource, path, location: { file: image }, remediation, ...(evidence ? { evidence } : {}) });
  };

  // image-runs-as-root
  if (!config?.config && !config) {
    notEvaluated.push({ ruleId: 'image-runs-as-root', resource, reason: 'the image has no config (a root filesystem): its user is unknown' });
  } else if (isRootUser(config.config?.User)) {
    const u = config.config?.User ?? '';
    add('image-runs-as-root', 'high', u ? `Image runs as root (User "${u}")` : 'Image runs as root (no User set)', '/config/User',
      'Set USER to a non-root numeric UID in the Dockerfile (e.g. USER 10001) and runAsNonRoot in the pod.');
  }

  // image-build-tools
  const allow = new Set(input.options?.allowTools ?? []);
  // A package manager the image's own command runs (`npm start`, `yarn serve`) is needed at run time.
  const command = [...(config?.config?.Entrypoint ?? []), ...(config?.config?.Cmd ?? [])].join(' ');
  for (const t of ['npm', 'yarn', 'pip', 'gem']) if (new RegExp(`(^|[\\s/])${t}(\\s|$)`).test(command)) allow.add(t);
  for (const t of BUILD_TOOLS) {
    if (allow.has(t.name)) continue;
    const hit = t.paths.find((p) => {
      const n = fs.stat(p);
      return n?.type === 'file';
    });
    if (hit) {
      add('image-build-tools', t.kind === 'package manager' ? 'low' : 'medium', `Image contains ${t.kind} ${t.name} (${hit})`, filePointer(hit),
        'Build in a separate stage and copy only the artefacts into a minimal runtime image (distroless, scratch).', hit);
    }
  }

  // image-setuid-binaries
  for (const [path, node] of fs.walk((n) => n.type === 'file' && (n.mode & 0o6000) !== 0)) {
    const bits = [(node.mode & 0o4000) !== 0 ? 'setuid' : '', (node.mode & 0o2000) !== 0 ? 'setgid' : ''].filter(Boolean).join('+');
    add('image-setuid-binaries', 'medium', `${bits} file ${path} (mode ${(node.mode & 0o7777).toString(8)})`, filePointer(path),
      'Remove the setuid/setgid bits in the Dockerfile (chmod u-s,g-s) or drop the binary; run with allowPrivilegeEscalation: false.', path);
  }

  // image-secrets: files of every layer, and config env
  const finalPaths = new Set<string>();
  for (const hit of scanLayerFiles(input.layerFiles)) {
    const key = `${hit.path}\0${hit.kind}`;
    if (finalPaths.has(key)) continue;
    finalPaths.add(key);
    const deleted = fs.lstat(hit.path) === undefined || (fs.lstat(hit.path)?.layer ?? -1) > hit.layer;
    add('image-secrets', 'critical',
      `${hit.kind} in ${hit.path}:${hit.line} (layer ${hit.layer}${deleted ? ', removed by a later layer but still in the image' : ''})`,
      filePointer(hit.path), 'Remove the secret from the build (use build secrets mounts), rotate it, and rebuild without the layer that held it.',
      `${hit.path}:${hit.line}`);
  }
  for (const e of scanEnv(config?.config?.Env ?? [])) {
      add('image-secrets', 'critical', `${e.kind} in config environment variable ${e.name}`, `/config/Env/${e.index}`,
        'Pass secrets at run time (Kubernetes Secret, secret store), never as image ENV.', e.name);
  }

  // image-exposed-ports
  for (const port of Object.keys(config?.config?.ExposedPorts ?? {})) {
    const n = Number(port.split('/')[0]);
    const risky = [21, 22, 23, 2375, 2376, 3389, 5900].includes(n);
    add('image-exposed-ports', risky ? 'medium' : 'info', `Image exposes port ${port}${risky ? ' (remote administration/insecure service)' : ''}`,
      ptr('config', 'ExposedPorts', port), 'Expose only the ports the application serves; never SSH, Telnet or the Docker API.');
  }

  // image-age
  const maxAge = input.options?.maxAgeDays ?? 180;
  const created = config?.created ? Date.parse(config.created) : NaN;
  if (Number.isNaN(created) || created < REPRODUCIBLE_EPOCH_CUTOFF) {
    notEvaluated.push({ ruleId: 'image-age', resource, reason: config?.created ? `creation time ${config.created} is a reproducible-build placeholder` : 'the image config has no creation time' });
  } else {
    const days = Math.floor((now.getTime() - created) / 86_400_000);
    if (days > maxAge) {
      add('image-age', days > maxAge * 2 ? 'medium' : 'low', `Image was built ${days} days ago (limit ${maxAge})`, '/created',
        'Rebuild images regularly so base-image security fixes reach production.', config!.created);
    }
  }
  return { findings, notEvaluated };
}
