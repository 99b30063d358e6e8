import { defineDetector } from '../../../core/detector.js';
import { PACKAGE_MANAGERS } from '../lists.js';
import { clip, commandLine, inContainer } from '../match.js';

/** rpm and pacman spell their operations as combined flags (`-ivh`, `-Syu`). */
const COMBINED: Record<string, RegExp> = { rpm: /^-[a-zA-Z]*[iUFe][a-zA-Z]*$/, pacman: /^-[SUR][a-zA-Z]*$/ };

function changesPackages(name: string, args: string[]): string | undefined {
  const verbs = PACKAGE_MANAGERS[name];
  if (!verbs) return undefined;
  if (verbs === 'any') return name;
  const combined = COMBINED[name];
  for (const a of args) if (verbs.has(a) || combined?.test(a)) return a;
  return undefined;
}

export default defineDetector({
  id: 'runtime-package-manager-in-container',
  title: 'Package manager changes a running container',
  description:
    'A package manager installed, updated or removed software inside a running container. Images are immutable by ' +
    'design: a container that installs tools at run time has drifted from what was built and scanned, and attackers ' +
    'install their tools this way. Queries (dpkg -l, rpm -q, pip list) and scripts (npm start) are not reported.',
  category: 'runtime',
  severity: 'medium',
  events: ['process.exec'],
  messages: { install: '{{manager}} {{verb}} ran in container {{container}}: {{command}}' },
  remediation:
    'Install what the workload needs in its image and redeploy; make the root filesystem read-only ' +
    '(securityContext.readOnlyRootFilesystem) so a running container cannot change its software.',
  references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/'],
  compliance: { mitre: ['T1105', 'T1072'] },
  covers: { falco: ['Launch Package Management Process in Container', 'Update Package Repository'] },
  create() {
    return (ctx, e) => {
      if (e.kind !== 'process.exec' || !inContainer(e.workload)) return;
      const p = e.process;
      // apt runs dpkg, pip runs pip: report the command the person or script typed, once
      if (p.parent?.name && PACKAGE_MANAGERS[p.parent.name]) return;
      const verb = changesPackages(p.name, p.args);
      if (!verb) return;
      ctx.report({ messageId: 'install', data: { manager: p.name, verb, container: e.workload.container ?? e.workload.pod ?? '?', command: clip(commandLine(p)) } });
    };
  },
});
