/**
 * GET /api/v1/network (a namespace's NetworkPolicy graph), POST /api/v1/network/proposal (what proposed policies
 * would change) and GET /api/v1/attack-paths, from a cluster's latest whole-cluster scan.
 */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../sources/store/open.js';
import { attackPathsView, graphClusters, networkView } from '../../usecases/history/graphs.js';
import { MAX_PROPOSAL_CHARS, proposePolicies } from '../../usecases/history/network-proposal.js';
import { authErrors, errorBody } from './schemas.js';
import { baselineSummarySchema } from './workload-context.js';

const name = { type: 'string', maxLength: 253 } as const;
const technique = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } }, required: ['id', 'name'] } as const;
const hop = { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, edge: { type: 'string' }, evidence: { type: 'string' }, technique }, required: ['from', 'to', 'edge', 'evidence', 'technique'] } as const;
const path = {
  type: 'object',
  properties: {
    from: { type: 'string' },
    to: { type: 'string' },
    hops: { type: 'array', items: hop },
    score: { type: 'number', description: 'how likely the whole path works, in (0, 1]' },
    cuts: { type: 'array', description: 'the steps the cut removes', items: { type: 'object', properties: { hop: { type: 'integer' }, change: { type: 'string' } }, required: ['hop', 'change'] } },
  },
  required: ['from', 'to', 'hops', 'score', 'cuts'],
} as const;
const endpoint = { type: 'object', properties: { id: { type: 'string', description: 'Kind/namespace/name, or external:CIDR' }, label: { type: 'string' }, namespace: { type: 'string' } }, required: ['id', 'label'] } as const;
const change = { type: 'object', properties: { from: endpoint, to: endpoint, connections: { type: 'string', description: 'the connections gained or lost' }, before: { type: 'string' }, after: { type: 'string' } }, required: ['from', 'to', 'connections', 'before', 'after'] } as const;
const patch = { type: 'array', items: { type: 'object', properties: { object: { type: 'string' }, operations: { type: 'array', items: { type: 'object', additionalProperties: true } } }, required: ['object', 'operations'] } } as const;

export function graphRoutes(app: FastifyInstance, store: Store): void {
  app.get(
    '/api/v1/network/clusters',
    {
      config: { permission: 'findings:read' },
      schema: {
        summary: 'The clusters whose latest whole-cluster scan uploaded a network and attack paths, and when',
        tags: ['graphs'],
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { cluster: { type: 'string' }, scannedAt: { type: 'string', format: 'date-time' } }, required: ['cluster', 'scannedAt'] } } }, required: ['items'] }, ...authErrors },
      },
    },
    async () => ({ items: await graphClusters(store) }),
  );

  app.get<{ Querystring: { cluster?: string; namespace?: string } }>(
    '/api/v1/network',
    {
      config: { permission: 'findings:read' },
      schema: {
        summary: "A namespace's network as its cluster's latest whole-cluster scan found it: workloads, other namespaces (one node each) and the internet, the connections NetworkPolicy allows between them, and the ways in from outside",
        tags: ['graphs'],
        querystring: { type: 'object', properties: { cluster: { ...name, description: 'default: the first cluster with a network' }, namespace: { ...name, description: 'default: the first namespace' } }, additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: {
              cluster: { type: 'string' },
              clusters: { type: 'array', items: { type: 'string' }, description: 'the clusters with a network (from a whole-cluster scan)' },
              scannedAt: { type: 'string', format: 'date-time' },
              namespaces: { type: 'array', items: { type: 'object', properties: { namespace: { type: 'string' }, workloads: { type: 'integer' } }, required: ['namespace', 'workloads'] } },
              namespace: { type: 'string' },
              nodes: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, label: { type: 'string' }, type: { type: 'string', enum: ['workload', 'namespace', 'internet', 'peer'] }, kind: { type: 'string' }, hostNetwork: { type: 'boolean' } }, required: ['id', 'label', 'type'] } },
              edges: { type: 'array', items: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, conn: { type: 'string' } }, required: ['from', 'to', 'conn'] } },
              exposures: { type: 'array', items: { type: 'object', properties: { workload: { type: 'string' }, via: { type: 'string' }, connections: { type: 'string' }, admitted: { type: 'string', enum: ['yes', 'no', 'depends'] } }, required: ['workload', 'via', 'connections', 'admitted'] } },
              truncated: { type: 'boolean', description: 'more connections than the graph shows (2,000)' },
              observed: {
                type: 'array',
                description: "connections the cluster's runtime baseline saw the namespace's workloads make or accept (PUT /api/v1/baselines); a peer that is no workload of the cluster is a node of type peer",
                items: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, conn: { type: 'string' } }, required: ['from', 'to', 'conn'] },
              },
              baseline: { ...baselineSummarySchema, description: 'the runtime baseline the observed connections come from (null: none uploaded)' },
            },
            required: ['cluster', 'clusters', 'scannedAt', 'namespaces', 'namespace', 'nodes', 'edges', 'exposures', 'truncated', 'observed', 'baseline'],
          },
          400: errorBody,
          404: errorBody,
          ...authErrors,
        },
      },
    },
    async (req) => networkView(store, req.query.cluster, req.query.namespace),
  );

  app.post<{ Body: { cluster?: string; namespace?: string; policies: string } }>(
    '/api/v1/network/proposal',
    {
      config: { permission: 'findings:read' },
      bodyLimit: MAX_PROPOSAL_CHARS * 2,
      schema: {
        summary: "What proposed NetworkPolicies would change (as `kubeguard netpol diff`): the cluster's network from its latest whole-cluster scan with them applied (same namespace and name: replaced, else added), compared connection by connection. Nothing is stored",
        tags: ['graphs'],
        body: {
          type: 'object',
          properties: {
            cluster: { ...name, description: 'default: the first cluster with a network' },
            namespace: { ...name, description: 'the namespace of a proposed policy without one (default: default)' },
            policies: { type: 'string', maxLength: MAX_PROPOSAL_CHARS, description: 'NetworkPolicy objects, YAML (several documents) or JSON' },
          },
          required: ['policies'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              cluster: { type: 'string' },
              scannedAt: { type: 'string', format: 'date-time' },
              policies: { type: 'array', items: { type: 'object', properties: { namespace: { type: 'string' }, name: { type: 'string' }, replaces: { type: 'boolean', description: 'a policy of that name is in the cluster' } }, required: ['namespace', 'name', 'replaces'] } },
              gained: { type: 'array', description: 'connections allowed with the proposal and not before', items: change },
              lost: { type: 'array', description: 'connections allowed before and not with the proposal', items: change },
              counts: { type: 'object', properties: { gained: { type: 'integer' }, lost: { type: 'integer' } }, required: ['gained', 'lost'] },
              truncated: { type: 'boolean', description: 'more changes than listed (2,000 per direction)' },
              warnings: { type: 'array', items: { type: 'string' } },
            },
            required: ['cluster', 'scannedAt', 'policies', 'gained', 'lost', 'counts', 'truncated', 'warnings'],
          },
          400: errorBody,
          404: errorBody,
          422: { ...errorBody, description: 'the evaluation ran over its time or memory budget' },
          429: { ...errorBody, description: 'as many proposals as allowed are being evaluated: try again after Retry-After' },
          ...authErrors,
        },
      },
    },
    async (req) => proposePolicies(store, req.body),
  );

  app.get<{ Querystring: { cluster?: string } }>(
    '/api/v1/attack-paths',
    {
      config: { permission: 'findings:read' },
      schema: {
        summary: "Attack paths of a cluster's latest whole-cluster scan (as `kubeguard paths -o json`): each step with its evidence and MITRE technique, the steps the cut removes, the nodes, and the cut",
        tags: ['graphs'],
        querystring: { type: 'object', properties: { cluster: { ...name, description: 'default: the first cluster with attack paths uploaded' } }, additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: {
              cluster: { type: 'string' },
              clusters: { type: 'array', items: { type: 'string' } },
              scannedAt: { type: 'string', format: 'date-time' },
              paths: { type: 'array', items: path },
              nodes: { type: 'object', additionalProperties: { type: 'object', properties: { type: { type: 'string' }, label: { type: 'string' } }, required: ['type', 'label'] } },
              cut: { type: 'array', items: { type: 'object', properties: { change: { type: 'string' }, patch, breaks: { type: 'integer' } }, required: ['change', 'patch', 'breaks'] } },
            },
            required: ['cluster', 'clusters', 'scannedAt', 'paths', 'nodes', 'cut'],
          },
          400: errorBody,
          404: errorBody,
          ...authErrors,
        },
      },
    },
    async (req) => attackPathsView(store, req.query.cluster),
  );
}
