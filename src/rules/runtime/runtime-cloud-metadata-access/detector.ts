import { defineDetector } from '../../../core/detector.js';
import { METADATA_ADDRESSES, METADATA_NAMES } from '../lists.js';
import { inContainer, outgoing } from '../match.js';

interface Options extends Record<string, unknown> {
  /** Namespaces whose workloads use the metadata service by design (node agents, cloud controllers). */
  ignoreNamespaces: string[];
}

/** Paths that hand out credentials: AWS IMDS role credentials, GCP service account tokens, Azure managed identity. */
const CREDENTIAL_PATHS = /\/(?:latest\/meta-data\/iam\/security-credentials|computeMetadata\/v1\/instance\/service-accounts\/[^/]+\/(?:token|identity)|metadata\/identity\/oauth2\/token|latest\/api\/token)/;

function host(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

/**
 * A container reaching the cloud's instance metadata service, where the node's cloud credentials are handed out
 * (Falco "Contact cloud metadata service from container"). Seen in connections and flows to the metadata addresses,
 * Hubble L7 HTTP requests (a credentials path is high severity) and DNS queries for the metadata names. Falco's
 * default exception, kube-system, is the default here too. A locked baseline that has the peer silences it (GKE
 * Workload Identity clients talk to the metadata server by design).
 */
export default defineDetector<Options>({
  id: 'runtime-cloud-metadata-access',
  title: 'Container accesses the cloud metadata service',
  description:
    'A container contacted the instance metadata service (169.254.169.254, fd00:ec2::254, 100.100.100.200, ' +
    'metadata.google.internal). It hands out the node\'s cloud credentials; stealing them is the classic way out of a ' +
    'compromised pod into the cloud account.',
  category: 'runtime',
  severity: 'medium',
  events: ['network.connect', 'network.flow'],
  messages: {
    credentials: 'Container {{container}} requested cloud credentials from the metadata service: {{method}} {{url}}',
    http: 'Container {{container}} requested the metadata service: {{method}} {{url}}',
    connect: 'Container {{container}} connected to the metadata service {{ip}}:{{port}}',
    dns: 'Container {{container}} looked up the metadata service name {{name}}',
  },
  remediation:
    'Block the metadata address for pods (AWS: IMDSv2 with a hop limit of 1; GKE: Workload Identity / metadata ' +
    'concealment; Azure: NetworkPolicy) and give workloads their own cloud identity (IRSA, Workload Identity).',
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html', 'https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity'],
  compliance: { mitre: ['T1552.005'] },
  covers: { falco: ['Contact EC2 Instance Metadata Service From Container', 'Contact cloud metadata service from container'] },
  defaultOptions: { ignoreNamespaces: ['kube-system'] },
  optionsSchema: { type: 'object', properties: { ignoreNamespaces: { type: 'array', items: { type: 'string' } } }, additionalProperties: false },
  create(options) {
    const ignore = new Set(options.ignoreNamespaces);
    return (ctx, e) => {
      if (!outgoing(e) || !inContainer(e.workload) || ignore.has(e.workload.namespace ?? '')) return;
      const n = e.network;
      const container = e.workload.container ?? e.workload.pod ?? '?';
      const d = n.dst;
      if (n.dns) {
        const name = n.dns.query.toLowerCase();
        if (!n.dns.response && METADATA_NAMES.has(name)) ctx.report({ messageId: 'dns', data: { container, name } });
        return;
      }
      const http = n.http && !n.http.response && n.http.url ? n.http : undefined;
      const urlHost = http ? host(http.url!) : undefined;
      const toMetadata = (d.ip !== undefined && METADATA_ADDRESSES.has(d.ip)) || (urlHost !== undefined && (METADATA_ADDRESSES.has(urlHost) || METADATA_NAMES.has(urlHost)));
      if (!toMetadata) return;
      if (ctx.baseline(e.workload)?.hasPeer(d.ip ?? urlHost ?? '', d.port, n.protocol)) return;
      if (http) {
        const credentials = CREDENTIAL_PATHS.test(http.url!);
        return ctx.report({ messageId: credentials ? 'credentials' : 'http', data: { container, method: http.method ?? 'GET', url: http.url! }, ...(credentials ? { severity: 'high' as const } : {}) });
      }
      if (n.http) return;
      ctx.report({ messageId: 'connect', data: { container, ip: d.ip ?? '?', port: d.port ?? '?' } });
    };
  },
});
