/**
 * A seeded corpus of node-sensor events in the wire form (docs/runtime.md): mostly what healthy workloads do
 * (their own processes, connections inside the cluster, DNS, config reads), with a little of what detectors look
 * for (shells, package managers, connections out of the cluster, a scan), spread over many workloads.
 */
import { rng } from '../support/rng.js';

const BENIGN = [
  ['nginx', '/usr/sbin/nginx', ['-g', 'daemon off;']],
  ['python3', '/usr/bin/python3', ['-m', 'gunicorn', 'app:wsgi']],
  ['java', '/opt/java/bin/java', ['-jar', '/app/app.jar']],
  ['node', '/usr/local/bin/node', ['server.js']],
  ['sleep', '/bin/sleep', ['5']],
  ['pg_isready', '/usr/bin/pg_isready', ['-h', 'localhost']],
] as const;

/** `n` events as JSON lines, yielded in chunks of about 1,000 lines. */
export function* eventLines(n: number, workloads: number, seed: number): Generator<string> {
  const r = rng(seed);
  const start = Date.parse('2026-12-01T00:00:00Z');
  let chunk: string[] = [];
  for (let i = 0; i < n; i++) {
    const w = Math.floor(r() * workloads);
    const ns = `team-${w % 100}`;
    const workload = { cluster: 'bench', node: `node-${w % 500}`, namespace: ns, pod: `app-${w}-7d4b9c6f5d-x2x7k`, owner: { kind: 'Deployment', name: `app-${w}` }, container: 'app', image: `registry.example.com/app-${w % 300}:1.0` };
    const time = new Date(start + i).toISOString();
    const ip = `10.${(w >> 8) & 255}.${w & 255}.7`;
    const p = r();
    let e: Record<string, unknown>;
    if (p < 0.55) {
      const [name, binary, args] = BENIGN[Math.floor(r() * BENIGN.length)];
      e = { v: 1, kind: 'process.exec', time, workload, process: { pid: 1000 + (i % 30000), name, binary, args, uid: 1000 } };
    } else if (p < 0.56) {
      e = { v: 1, kind: 'process.exec', time, workload, process: { pid: 1000 + (i % 30000), name: 'sh', binary: '/bin/sh', args: ['-c', 'id'], uid: 0, tty: true } };
    } else if (p < 0.561) {
      e = { v: 1, kind: 'process.exec', time, workload, process: { pid: 1000 + (i % 30000), name: 'apt-get', binary: '/usr/bin/apt-get', args: ['install', '-y', 'curl'], uid: 0 } };
    } else if (p < 0.86) {
      const outside = r() < 0.01;
      const dst = outside ? { ip: `198.51.100.${Math.floor(r() * 250) + 1}`, port: 443 } : { ip: `10.96.${Math.floor(r() * 40)}.${Math.floor(r() * 250) + 1}`, port: [5432, 6379, 443, 8080][Math.floor(r() * 4)] };
      e = { v: 1, kind: 'network.connect', time, workload, network: { protocol: 'TCP', src: { ip, port: 30000 + (i % 30000) }, dst, direction: 'egress' } };
    } else if (p < 0.94) {
      e = { v: 1, kind: 'network.flow', time, workload, network: { protocol: 'UDP', src: { ip, port: 53000 }, dst: { ip: '10.96.0.10', port: 53 }, direction: 'egress', dns: { query: `svc-${w % 50}.${ns}.svc.cluster.local.`, qtypes: ['A'], response: false } } };
    } else {
      e = { v: 1, kind: 'file.access', time, workload, process: { pid: 1000 + (i % 30000), name: 'node', binary: '/usr/local/bin/node', args: ['server.js'] }, file: { path: '/etc/app/config.yaml', op: 'open', flags: 'O_RDONLY' } };
    }
    chunk.push(JSON.stringify(e));
    if (chunk.length === 1000) {
      yield chunk.join('\n') + '\n';
      chunk = [];
    }
  }
  if (chunk.length) yield chunk.join('\n') + '\n';
}
