import { defineDetector } from '../../../core/detector.js';
import { CONTAINER_EXEC_PARENTS, SERVER_PROCESSES, SHELLS } from '../lists.js';
import { clip, commandLine, inContainer } from '../match.js';

/**
 * A shell that someone works in, not one a script runs: Falco's "Terminal shell in container" asks for a
 * terminal, which Tetragon and the audit log do not report. Here a shell counts as interactive when it has a
 * terminal, or when the container runtime started it (kubectl exec) without a command to run (`-c`); a shell a
 * server process spawned is reported whatever its arguments (a web shell). Scripted shells (entrypoints, exec
 * probes: `sh -c …` under runc) are quiet here; one a locked baseline lacks is a runtime-baseline-deviation.
 */
export default defineDetector({
  id: 'runtime-shell-in-container',
  title: 'Interactive shell in a container',
  description:
    'A shell was started in a container interactively (with a terminal, or by the container runtime without a command), ' +
    'or by a server process. Containers run one program; a person or an exploit working in a shell inside one is the ' +
    'first step of most container compromises.',
  category: 'runtime',
  severity: 'high',
  events: ['process.exec'],
  messages: {
    terminal: 'Shell {{shell}} with a terminal in container {{container}}: {{command}}',
    interactive: 'Interactive shell {{shell}} started by {{parent}} in container {{container}} (kubectl exec or docker exec)',
    server: 'Shell {{shell}} spawned by server process {{parent}} in container {{container}}: {{command}}',
  },
  remediation:
    'Find who started the shell (audit log: pods/exec by user, see audit-exec-attach) and why. Remove shells from production ' +
    'images (distroless, scratch) and restrict pods/exec in RBAC. For debugging use ephemeral containers, which are audited.',
  references: ['https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/#ephemeral-container'],
  compliance: { mitre: ['T1059.004', 'T1609'] },
  covers: { falco: ['Terminal shell in container', 'Run shell untrusted', 'Web Server Spawned Shell'] },
  create() {
    return (ctx, e) => {
      if (e.kind !== 'process.exec' || !inContainer(e.workload)) return;
      const p = e.process;
      if (!SHELLS.has(p.name)) return;
      const data = { shell: p.name, container: e.workload.container ?? e.workload.pod ?? e.workload.containerId ?? '?', command: clip(commandLine(p)), parent: p.parent?.name ?? '?' };
      if (p.tty) return ctx.report({ messageId: 'terminal', data });
      const parent = p.parent?.name;
      const scripted = p.args.includes('-c');
      if (parent && CONTAINER_EXEC_PARENTS.has(parent) && !scripted) return ctx.report({ messageId: 'interactive', data });
      if (parent && SERVER_PROCESSES.has(parent)) ctx.report({ messageId: 'server', data });
    };
  },
});
