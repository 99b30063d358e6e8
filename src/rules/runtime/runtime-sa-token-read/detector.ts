import { defineDetector } from '../../../core/detector.js';
import { SHELLS, TOKEN_PATH_TEXT, isTokenPath } from '../lists.js';
import { clip, commandLine, execCommand, inContainer, systemRoutine } from '../match.js';

/** Programs a person or a script uses to look at or carry away a file; an application reading its token is not one. */
const TOOLS = new Set(['cat', 'head', 'tail', 'less', 'more', 'base64', 'grep', 'egrep', 'strings', 'xxd', 'od', 'hexdump', 'dd', 'cp', 'mv', 'tar', 'nc', 'ncat', 'socat', 'curl', 'wget', 'scp', 'rsync', 'vi', 'vim', 'nano', 'awk', 'sed', 'jq', 'openssl', 'python', 'python3', 'perl', 'ruby', 'busybox', ...SHELLS]);

/**
 * Reading a service account token the way an attacker does: with a tool (cat, base64, curl …) or from a terminal,
 * rather than the application's own API client, which reads it routinely. Also a command line that names the
 * token, and an exec into a pod whose command does (Panther: Kubernetes.Pod.StealServiceAccountToken).
 */
export default defineDetector({
  id: 'runtime-sa-token-read',
  title: 'Service account token read by a tool',
  description:
    'A shell tool or an interactive process read a service account token (the Kubernetes projected token, or an EKS/Azure ' +
    'workload identity token), or a command into the pod names the token. With the token an attacker acts as the ' +
    'workload against the API server, from anywhere.',
  category: 'runtime',
  severity: 'high',
  events: ['file.access', 'process.exec', 'k8s.api'],
  messages: {
    read: '{{process}} read the service account token {{path}} in container {{container}}',
    command: 'A command in container {{container}} reads the service account token: {{command}}',
    exec: '{{user}} ran a command reading the service account token in pod {{pod}}: {{command}}',
  },
  remediation:
    'Treat the token as stolen: delete the pod (its token is bound to it and is invalidated), review what the service account ' +
    'did in the audit log, and set automountServiceAccountToken: false where the workload does not use the API.',
  references: ['https://kubernetes.io/docs/concepts/security/service-accounts/#bound-service-account-tokens'],
  compliance: { mitre: ['T1528', 'T1552.001'] },
  covers: { panther: ['Kubernetes.Pod.StealServiceAccountToken'] },
  create() {
    return (ctx, e) => {
      if (e.kind === 'k8s.api') {
        const r = e.api.resource;
        if (r?.resource !== 'pods' || r.subresource !== 'exec') return;
        const command = execCommand(e.api).join(' ');
        if (!TOKEN_PATH_TEXT.test(command)) return;
        if ((e.api.code ?? 0) >= 400 || systemRoutine(e.api)) return;
        return ctx.report({ messageId: 'exec', data: { user: e.api.user.username, pod: r.name ?? '?', command: clip(command) }, key: e.api.user.username });
      }
      if (!inContainer(e.workload)) return;
      const container = e.workload.container ?? e.workload.pod ?? '?';
      if (e.kind === 'process.exec') {
        const command = commandLine(e.process);
        if (TOKEN_PATH_TEXT.test(e.process.args.join(' '))) ctx.report({ messageId: 'command', data: { container, command: clip(command) } });
        return;
      }
      if (e.kind !== 'file.access' || !isTokenPath(e.file.path)) return;
      if (e.file.op !== 'open' && e.file.op !== 'read') return;
      const p = e.process;
      if (!p || !(TOOLS.has(p.name) || p.tty)) return;
      ctx.report({ messageId: 'read', data: { process: p.name, path: e.file.path, container } });
    };
  },
});
