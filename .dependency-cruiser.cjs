/**
 * Architecture rules (GUIDE.md §2): dependencies point down only, and the pure layers do no I/O.
 * Checked by src/architecture.test.ts.
 */
const PURE = '^src/(core|rules|engine|analysis)/';
const NOT_TEST = '(\\.test\\.ts$|/test-support|test-helpers\\.ts$|/testdata/)';

module.exports = {
  forbidden: [
    {
      name: 'dashboard-talks-http',
      comment: 'The dashboard (web/src) is a browser page: it knows the server only through HTTP (/api/v1, /openapi.json).',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^(src|bench|scripts)/' },
    },
    {
      name: 'adapters-on-top',
      comment: 'Nothing below an adapter imports an adapter (cli, admission, server, sensor).',
      severity: 'error',
      from: { path: '^src/(core|rules|engine|analysis|sources|reporters|usecases)/', pathNot: NOT_TEST },
      to: { path: '^src/(cli|admission|server|sensor)/' },
    },
    {
      name: 'adapters-call-usecases',
      comment:
        'Adapters parse, call a use case and render: they do not pair sources with the engine themselves — running the rules (engine/scan, VAP/CEL rules), applying exceptions, loading manifests or images, matching vulnerabilities are use-case steps (src/usecases).',
      severity: 'error',
      from: { path: '^src/(cli|admission|server|sensor)/', pathNot: NOT_TEST },
      to: { path: '^src/(engine/(scan|vap-rules|cel-rules|exceptions)\\.ts|sources/files/load\\.ts|sources/images/load-image\\.ts|analysis/vulns/(report|scan)\\.ts)$' },
    },
    {
      name: 'usecases-above-the-rest',
      comment: 'Use cases orchestrate sources, engines and stores; nothing they orchestrate imports them.',
      severity: 'error',
      from: { path: '^src/(core|rules|engine|analysis|sources|reporters)/', pathNot: NOT_TEST },
      to: { path: '^src/usecases/' },
    },
    {
      name: 'core-is-the-bottom',
      severity: 'error',
      from: { path: '^src/core/', pathNot: NOT_TEST },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'engine-reads-no-sources',
      comment: 'The engine judges what sources hand it; it never loads anything itself.',
      severity: 'error',
      from: { path: '^src/engine/', pathNot: NOT_TEST },
      to: { path: '^src/(sources|reporters)/' },
    },
    {
      name: 'rules-are-pure',
      comment: 'Rules see core (and analysis engines), never the engine, sources or reporters.',
      severity: 'error',
      from: { path: '^src/rules/', pathNot: NOT_TEST },
      to: { path: '^src/(engine|sources|reporters)/' },
    },
    {
      name: 'analysis-is-pure',
      severity: 'error',
      from: { path: '^src/analysis/', pathNot: NOT_TEST },
      to: { path: '^src/(engine|sources|reporters)/' },
    },
    {
      name: 'no-test-code-in-product',
      comment: 'What dist/ is built from (tsconfig.build.json leaves out tests, test-support and test-helpers) imports no test code.',
      severity: 'error',
      from: { path: '^src/', pathNot: NOT_TEST },
      to: { path: NOT_TEST },
    },
    {
      name: 'no-test-runner-in-product',
      severity: 'error',
      from: { path: '^src/', pathNot: NOT_TEST },
      to: { dependencyTypes: ['core'], path: '^(node:)?(test|assert|assert/strict)$' },
    },
    {
      name: 'pure-layers-do-no-io',
      comment: 'core, rules, engine and analysis do no I/O: sources feed them, reporters render them.',
      severity: 'error',
      from: { path: PURE, pathNot: NOT_TEST },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|fs/promises|net|http|https|http2|tls|dgram|child_process|worker_threads|cluster|readline|process)$' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycle (type-only imports included): a cycle means two modules are one idea split in two, or a layer leaks.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js'] },
  },
};
