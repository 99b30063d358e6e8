import { defineDetector } from '../../../core/detector.js';
import type { RuntimeEvent } from '../../../core/events/model.js';
import { RecentSet } from '../../../analysis/runtime/state.js';
import { clip, commandLine, inContainer } from '../match.js';

interface Options extends Record<string, unknown> {
  /** How long a written file is remembered for a later execution of it (ms). */
  windowMs: number;
  /** Written files remembered at once, over all containers. */
  capacity: number;
}

const containerKey = (e: RuntimeEvent) => `${e.workload.containerId ?? ''}|${e.workload.namespace ?? ''}/${e.workload.pod ?? ''}/${e.workload.container ?? ''}`;

/**
 * A program that is not part of the image runs. Three signals: the producer says the executable lives in the
 * overlay's upper layer (written after the container started: Falco proc.is_exe_upper_layer, the kubeguard
 * sensor) or only in memory; it lives on a tmpfs (/dev/shm); or this detector saw the same container write the
 * file shortly before running it (download then execute).
 */
export default defineDetector<Options>({
  id: 'runtime-drift-exec',
  title: 'Program not in the image executed',
  description:
    'A container ran an executable that is not part of its image: written after the container started (overlayfs upper ' +
    'layer), held only in memory, placed on a tmpfs, or written by the container shortly before it ran. Dropping a ' +
    'binary and running it is how most intrusions continue after the first foothold.',
  category: 'runtime',
  severity: 'high',
  events: ['process.exec', 'file.access'],
  messages: {
    upperLayer: '{{binary}} ran in container {{container}} but is not part of its image (written after the container started): {{command}}',
    memory: '{{binary}} ran from memory (memfd or a deleted file) in container {{container}}: {{command}}',
    tmpfs: '{{binary}} ran from a tmpfs in container {{container}}: {{command}}',
    downloaded: '{{binary}} was written by {{writer}} and then executed in container {{container}}: {{command}}',
  },
  remediation:
    'Make the root filesystem read-only (securityContext.readOnlyRootFilesystem) and mount writable volumes noexec; ' +
    'investigate where the file came from (the evidence shows the writer) and rebuild the workload from its image.',
  references: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'],
  compliance: { mitre: ['T1105', 'T1204.002'] },
  covers: { falco: ['Drop and execute new binary in container', 'Container Drift Detected (open+create)', 'Container Drift Detected (chmod)', 'Execution from /dev/shm', 'Fileless execution via memfd_create'] },
  state: 'files written in each container, remembered for `windowMs` (default 10 minutes), at most `capacity` at once',
  defaultOptions: { windowMs: 10 * 60_000, capacity: 50_000 },
  optionsSchema: { type: 'object', properties: { windowMs: { type: 'integer', minimum: 1 }, capacity: { type: 'integer', minimum: 1 } }, additionalProperties: false },
  create(options) {
    const written = new RecentSet<RuntimeEvent>(options.windowMs, options.capacity);
    return (ctx, e) => {
      if (!inContainer(e.workload)) return;
      if (e.kind === 'file.access') {
        const op = e.file.op;
        if (op === 'create' || op === 'write' || op === 'chmod' || op === 'rename') written.remember(`${containerKey(e)}|${e.file.path}`, e.ts, e);
        return;
      }
      if (e.kind !== 'process.exec') return;
      const p = e.process;
      const binary = p.binary ?? p.name;
      const data = { binary, container: e.workload.container ?? e.workload.pod ?? '?', command: clip(commandLine(p)), writer: '' };
      const key = `${containerKey(e)}|${binary}`;
      const write = p.binary ? written.recall(key, e.ts) : undefined;
      if (write) {
        written.forget(key);
        const writer = 'process' in write && write.process ? write.process.name : 'a process';
        return ctx.report({ messageId: 'downloaded', data: { ...data, writer }, evidence: [write, e] });
      }
      if (p.exeMemory) return ctx.report({ messageId: 'memory', data });
      if (p.exeUpperLayer) return ctx.report({ messageId: 'upperLayer', data });
      if (/^\/(?:dev|run)\/shm\//.test(binary)) ctx.report({ messageId: 'tmpfs', data });
    };
  },
});
