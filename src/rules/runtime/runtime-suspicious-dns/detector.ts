import { defineDetector } from '../../../core/detector.js';
import { DistinctCounter } from '../../../analysis/runtime/state.js';
import { isMiningPoolName } from '../lists.js';
import { inContainer } from '../match.js';

interface Options extends Record<string, unknown> {
  /** A name longer than this (without the final dot) is reported. */
  maxName: number;
  /** A label at least this long is judged for randomness. */
  entropyLabel: number;
  /** Shannon entropy (bits per character) at or above which such a label is reported. */
  entropy: number;
  /** NXDOMAIN answers for distinct names within `windowMs` that make a burst. */
  nxdomain: number;
  windowMs: number;
  capacity: number;
  /** Name suffixes never judged (cluster-internal names, reverse lookups, large CDNs and clouds). */
  ignoreSuffixes: string[];
}

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * DNS seen in L7 records (Hubble, the kubeguard sensor): queries for mining pools; names built to carry data
 * (tunnelling, DGA) — very long names, or a long label of high entropy; and a burst of NXDOMAIN answers for distinct
 * names. Cluster search-path expansions (`name.ns.svc.cluster.local.`, `….svc.`, `….internal.`) and reverse lookups
 * are never judged: a pod with ndots:5 produces NXDOMAIN for them all day.
 */
export default defineDetector<Options>({
  id: 'runtime-suspicious-dns',
  title: 'Suspicious DNS lookups',
  description:
    'A workload looked up a cryptocurrency mining pool, a name shaped like DNS tunnelling or a generated domain (very ' +
    'long, or a long random-looking label), or received a burst of NXDOMAIN answers for different names (a generated ' +
    'domain list being tried).',
  category: 'runtime',
  severity: 'medium',
  events: ['network.flow', 'network.connect'],
  messages: {
    pool: '{{where}} looked up mining pool {{name}}',
    long: '{{where}} looked up a {{length}}-character name ({{name}}): DNS tunnelling carries data in names this long',
    random: '{{where}} looked up a name with a random-looking label ({{name}}, {{bits}} bits per character)',
    nxdomain: '{{where}} received NXDOMAIN for {{count}} different names within {{window}} s (e.g. {{sample}})',
  },
  remediation:
    'Find the process making the lookups (sensor or Falco events for the same pod and time). Restrict egress DNS to the ' +
    'cluster resolver and, where the resolver supports it, block mining pools and newly registered domains.',
  references: ['https://attack.mitre.org/techniques/T1071/004/', 'https://attack.mitre.org/techniques/T1568/002/'],
  compliance: { mitre: ['T1071.004', 'T1568.002', 'T1496'] },
  state: 'per workload, the distinct names answered NXDOMAIN within `windowMs`; at most `capacity` workloads',
  defaultOptions: {
    maxName: 120,
    entropyLabel: 32,
    entropy: 4.2,
    nxdomain: 50,
    windowMs: 60_000,
    capacity: 50_000,
    ignoreSuffixes: ['.cluster.local', '.svc', '.local', '.internal', '.in-addr.arpa', '.ip6.arpa', '.amazonaws.com', '.cloudfront.net', '.akamaiedge.net', '.googleapis.com', '.azure.com', '.windows.net', '.cloudflare.net'],
  },
  optionsSchema: {
    type: 'object',
    properties: {
      maxName: { type: 'integer', minimum: 1 },
      entropyLabel: { type: 'integer', minimum: 1 },
      entropy: { type: 'number', minimum: 0 },
      nxdomain: { type: 'integer', minimum: 2 },
      windowMs: { type: 'integer', minimum: 1 },
      capacity: { type: 'integer', minimum: 1 },
      ignoreSuffixes: { type: 'array', items: { type: 'string' } },
    },
    additionalProperties: false,
  },
  create(options) {
    const bursts = new DistinctCounter(options.windowMs, options.nxdomain, options.capacity);
    const ignored = (name: string) => options.ignoreSuffixes.some((s) => name.endsWith(s)) || !name.includes('.');
    return (ctx, e) => {
      if (e.kind !== 'network.flow' && e.kind !== 'network.connect') return;
      const dns = e.network.dns;
      if (!dns || e.workload.host) return;
      const name = dns.query.toLowerCase().replace(/\.$/, '');
      const where = inContainer(e.workload) ? `${e.workload.namespace ?? '?'}/${e.workload.owner?.name ?? e.workload.pod ?? '?'}` : (e.workload.node ?? 'a node');
      if (dns.response) {
        if (dns.rcode !== 3 || ignored(name)) return;
        const key = `${e.workload.namespace ?? ''}/${e.workload.owner?.name ?? e.workload.pod ?? e.network.src.ip ?? ''}`;
        if (bursts.add(key, name, e.ts)) ctx.report({ messageId: 'nxdomain', data: { where, count: options.nxdomain, window: Math.round(options.windowMs / 1000), sample: bursts.values(key).slice(0, 3).join(', ') }, key: 'nxdomain' });
        return;
      }
      if (isMiningPoolName(name)) return ctx.report({ messageId: 'pool', data: { where, name }, severity: 'high', key: 'pool' });
      if (ignored(name)) return;
      if (name.length > options.maxName) return ctx.report({ messageId: 'long', data: { where, length: name.length, name: name.slice(0, 60) + '…' }, key: 'shape' });
      const label = name.split('.').reduce((a, b) => (b.length > a.length ? b : a), '');
      if (label.length >= options.entropyLabel) {
        const bits = entropy(label);
        if (bits >= options.entropy) ctx.report({ messageId: 'random', data: { where, name: name.length > 80 ? name.slice(0, 79) + '…' : name, bits: bits.toFixed(1) }, key: 'shape' });
      }
    };
  },
});
