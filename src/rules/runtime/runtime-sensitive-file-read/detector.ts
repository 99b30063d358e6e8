import { defineDetector } from '../../../core/detector.js';
import { SENSITIVE_FILE_READERS, SENSITIVE_FILE_TEXT, isSensitiveFile } from '../lists.js';
import { clip, commandLine, execCommand, inContainer, systemRoutine } from '../match.js';

/**
 * Falco's "Read sensitive file untrusted" (shadow, sudoers, PAM) extended to what a Kubernetes intruder reads for
 * credentials: control-plane kubeconfigs and keys, kubelet credentials, SSH keys, cloud credential files, other
 * processes' environment. Programs that read them by design (login, passwd, sshd, package managers) are not reported.
 */
export default defineDetector({
  id: 'runtime-sensitive-file-read',
  title: 'Sensitive file read',
  description:
    'A program read a file holding credentials or password hashes (/etc/shadow, sudoers, Kubernetes admin kubeconfigs and ' +
    'private keys, kubelet credentials, SSH keys, cloud credential files, /proc/*/environ), or a command names one. ' +
    'Programs that read such files by design are not reported.',
  category: 'runtime',
  severity: 'high',
  events: ['file.access', 'process.exec', 'k8s.api'],
  messages: {
    read: '{{process}} read {{path}} in {{where}}',
    command: 'A command in {{where}} reads {{path}}: {{command}}',
    exec: '{{user}} ran a command reading {{path}} in pod {{pod}}: {{command}}',
  },
  remediation:
    'Find which process read the file and why (the evidence has its parent and command line); rotate the credentials the ' +
    'file holds. In containers, avoid hostPath mounts of /etc, /root and /etc/kubernetes.',
  references: ['https://kubernetes.io/docs/concepts/storage/volumes/#hostpath'],
  compliance: { mitre: ['T1003.008', 'T1552.001', 'T1552.004'] },
  covers: { falco: ['Read sensitive file untrusted', 'Read sensitive file trusted after startup', 'Read environment variable from /proc files', 'Read ssh information'] },
  create() {
    return (ctx, e) => {
      const where = e.workload.host ? `node ${e.workload.node ?? '?'}` : `container ${e.workload.container ?? e.workload.pod ?? '?'}`;
      if (e.kind === 'k8s.api') {
        const r = e.api.resource;
        if (r?.resource !== 'pods' || r.subresource !== 'exec' || (e.api.code ?? 0) >= 400 || systemRoutine(e.api)) return;
        const command = execCommand(e.api).join(' ');
        const m = SENSITIVE_FILE_TEXT.exec(command);
        if (m) ctx.report({ messageId: 'exec', data: { user: e.api.user.username, pod: r.name ?? '?', path: m[1], command: clip(command) }, key: e.api.user.username });
        return;
      }
      if (e.kind === 'process.exec') {
        if (!inContainer(e.workload) || SENSITIVE_FILE_READERS.has(e.process.name)) return;
        const m = SENSITIVE_FILE_TEXT.exec(e.process.args.join(' '));
        if (m) ctx.report({ messageId: 'command', data: { where, path: m[1], command: clip(commandLine(e.process)) } });
        return;
      }
      if (e.kind !== 'file.access' || (e.file.op !== 'open' && e.file.op !== 'read') || !isSensitiveFile(e.file.path)) return;
      const p = e.process;
      if (p && (SENSITIVE_FILE_READERS.has(p.name) || (p.parent?.name !== undefined && SENSITIVE_FILE_READERS.has(p.parent.name)))) return;
      ctx.report({ messageId: 'read', data: { process: p?.name ?? 'a process', path: e.file.path, where } });
    };
  },
});
