import { defineRule } from '../../../core/rule.js';
import { keyValuePairs, shellText } from '../../../core/dockerfile/index.js';
import { dockerfileOf, instructionPath } from '../dockerfile-of.js';
import { apkVirtualName, commandName, packageBaseName, packageInstalls, removedPackages, simpleCommands } from '../shell-commands.js';

/** System packages that are compilers or build tools. */
const BUILD_PACKAGES = new Set([
  'gcc', 'g++', 'gcc-c++', 'cpp', 'clang', 'llvm', 'make', 'cmake', 'ninja-build', 'meson', 'build-essential', 'build-base',
  'autoconf', 'automake', 'libtool', 'pkg-config', 'pkgconf', 'bison', 'flex', 'musl-dev', 'libc-dev', 'libc6-dev',
  'glibc-devel', 'linux-headers', 'kernel-headers', 'python3-dev', 'python-dev', 'python3-devel', 'golang', 'golang-go',
  'go', 'rust', 'rustc', 'cargo', 'maven', 'gradle', 'default-jdk', 'openjdk', 'dotnet-sdk', 'nodejs-dev',
]);
const BUILD_PACKAGE_PATTERNS = [/^openjdk-?\d+-jdk(-headless)?$/, /^java-[\d.]+-openjdk-devel$/, /^gcc-\d+$/, /^g\+\+-\d+$/, /^clang-\d+$/, /^dotnet-sdk-[\d.]+$/, /^golang-[\d.]+(-go)?$/];

/** Python packages that are development tools, not runtime dependencies. */
const PY_DEV_TOOLS = new Set(['pytest', 'tox', 'nox', 'black', 'flake8', 'mypy', 'pylint', 'ruff', 'isort', 'coverage', 'cython', 'pre-commit', 'ipython', 'ipdb', 'pytest-cov', 'bandit']);
const DEV_REQUIREMENTS = /(^|\/)(requirements[-_.]?(dev|test|tests|develop|build)|(dev|test)[-_]requirements)\.(txt|in)$/i;

/** Base images that are toolchains. */
const TOOLCHAIN_IMAGES = new Set(['golang', 'rust', 'gcc', 'maven', 'gradle', 'buildpack-deps', 'clang', 'sbt', 'haskell', 'swift']);

/** npm/yarn/pnpm installs that skip devDependencies. */
const PROD_ONLY = /^(--production(=true)?|--omit=dev|--only=prod(uction)?|--prod)$/;

/** Build commands that compile in place. */
const BUILD_COMMANDS: [string, (w: string[]) => boolean][] = [
  ['go build', (w) => w[0] === 'go' && w[1] === 'build'],
  ['cargo build', (w) => w[0] === 'cargo' && w[1] === 'build'],
  ['mvn', (w) => w[0] === 'mvn' || w[0] === 'mvnw' || w[0] === './mvnw'],
  ['gradle', (w) => w[0] === 'gradle' || w[0] === 'gradlew' || w[0] === './gradlew'],
  ['make', (w) => w[0] === 'make' || w[0] === 'cmake'],
  ['dotnet build', (w) => w[0] === 'dotnet' && (w[1] === 'build' || w[1] === 'publish')],
];

function buildToolsIn(text: string, productionEnv: boolean): string[] {
  const found: string[] = [];
  // Build dependencies installed and removed in the same RUN never reach the image (apk add --virtual .build-deps … && apk del .build-deps).
  const removed = removedPackages(text);
  for (const inst of packageInstalls(text)) {
    if (['apt', 'apk', 'yum', 'zypper'].includes(inst.manager)) {
      const virtual = inst.manager === 'apk' ? apkVirtualName(inst.words) : undefined;
      if (virtual !== undefined && removed.has(virtual.toLowerCase())) continue;
      if (inst.manager === 'apt' && removed.has('*apt')) continue;
      for (const p of inst.packages.map(packageBaseName)) {
        if (removed.has(p)) continue;
        if (BUILD_PACKAGES.has(p) || BUILD_PACKAGE_PATTERNS.some((re) => re.test(p))) found.push(p);
      }
    } else if (inst.manager === 'pip') {
      for (const p of inst.packages.map(packageBaseName)) if (PY_DEV_TOOLS.has(p)) found.push(`pip ${p}`);
      inst.words.forEach((w, i) => {
        const file = w === '-r' || w === '--requirement' ? inst.words[i + 1] : w.startsWith('--requirement=') ? w.slice(14) : undefined;
        if (file !== undefined && DEV_REQUIREMENTS.test(file)) found.push(`pip -r ${file}`);
      });
    } else if (inst.manager === 'npm' || inst.manager === 'yarn' || inst.manager === 'pnpm') {
      const dev = inst.words.some((w) => w === '-D' || w === '--save-dev' || w === '--dev');
      const bare = inst.packages.length === 0 && !inst.words.some((w) => PROD_ONLY.test(w)) && !productionEnv;
      if (dev || bare) found.push(`${inst.manager} ${inst.words[1]}${dev ? ' --save-dev' : ' (with devDependencies)'}`);
    }
  }
  // Compiling in a RUN that removes its build dependencies again leaves only the artifacts.
  if (removed.size > 0) return [...new Set(found)];
  for (const cmd of simpleCommands(text)) {
    const words = [commandName(cmd), ...cmd.words.slice(1)];
    for (const [label, test] of BUILD_COMMANDS) if (test(words)) found.push(label);
  }
  return [...new Set(found)];
}

/**
 * A Dockerfile with a single stage that installs compilers or build tools, installs devDependencies, or compiles:
 * the runtime image then ships the toolchain (attack surface, size, CVEs). A multi-stage build compiles in a
 * builder stage and copies only the artifacts (https://docs.docker.com/build/building/multi-stage/).
 */
export default defineRule({
  id: 'dockerfile-single-stage-build-tools',
  title: 'Build tools shipped in a single-stage image',
  description:
    'The only stage of the Dockerfile installs compilers or build tools (gcc, make, go, cargo, build-essential, dev ' +
    'packages of pip/npm) or builds from a toolchain base image, so the runtime image carries them: more CVEs, more ' +
    'tools for an attacker, bigger images.',
  category: 'dockerfile',
  severity: 'low',
  severityReason: 'compilers and package managers in the final image help an attacker who is already in; hygiene',
  kinds: ['Dockerfile'],
  messages: {
    tools: 'Single-stage build installs or runs build tools ({{tools}}); build in a separate stage',
    toolchainBase: 'Single-stage build uses the toolchain image "{{image}}" as the runtime base; build in a separate stage',
  },
  remediation:
    'Use a multi-stage build: compile in a builder stage (FROM golang:… AS build) and COPY --from=build only the ' +
    'artifacts into a minimal runtime stage (distroless, alpine, slim).',
  references: ['https://docs.docker.com/build/building/multi-stage/', 'https://docs.docker.com/build/building/best-practices/#use-multi-stage-builds'],
  compliance: { nsa: ['Pod security: building secure container images'] },
  check(ctx, resource) {
    const df = dockerfileOf(resource);
    if (!df || df.stages.length !== 1) return;
    const stage = df.stages[0];
    const base = stage.from.image.split('/').pop() ?? '';
    if (!stage.from.scratch && TOOLCHAIN_IMAGES.has(base)) ctx.report({ messageId: 'toolchainBase', path: '/stages/0/from', data: { image: stage.from.raw } });
    let productionEnv = false;
    stage.instructions.forEach((ins, i) => {
      if (ins.instruction === 'ENV' && keyValuePairs(ins).some((p) => p.key === 'NODE_ENV' && p.value === 'production')) productionEnv = true;
      if (ins.instruction !== 'RUN') return;
      const tools = buildToolsIn(shellText(ins), productionEnv);
      if (tools.length > 0) ctx.report({ messageId: 'tools', path: instructionPath(0, i), data: { tools: tools.join(', ') } });
    });
  },
});
