/**
 * Which Services reach outside the cluster: type LoadBalancer or NodePort, or a Service that an Ingress or a
 * Gateway API route sends traffic to. Computed once per scan.
 */
import type { Resource } from '../../core/model.js';
import type { ResourceIndex } from '../../core/resource-index.js';
import { namespaceOf } from '../../core/ref.js';

export interface ExposedService {
  name: string;
  selector: Record<string, string>;
  /** e.g. "Service web (LoadBalancer)", "Ingress shop/web → Service web". */
  how: string;
}

const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

interface IngressBackend {
  service?: { name?: string };
}

function ingressBackends(ing: Resource): string[] {
  const spec = (ing.object.spec ?? {}) as { defaultBackend?: IngressBackend; rules?: { http?: { paths?: { backend?: IngressBackend }[] } }[] };
  const names = [spec.defaultBackend?.service?.name];
  for (const rule of spec.rules ?? []) for (const p of rule?.http?.paths ?? []) names.push(p?.backend?.service?.name);
  return names.filter((n): n is string => typeof n === 'string' && n !== '');
}

function routeBackends(route: Resource): { name: string; namespace?: string }[] {
  const rules = ((route.object.spec ?? {}) as { rules?: { backendRefs?: { kind?: string; group?: string; name?: string; namespace?: string }[] }[] }).rules ?? [];
  return rules
    .flatMap((r) => r?.backendRefs ?? [])
    .filter((b) => (b?.kind ?? 'Service') === 'Service' && (b?.group ?? '') === '' && typeof b?.name === 'string')
    .map((b) => ({ name: b.name!, namespace: b.namespace }));
}

export function exposedServices(index: ResourceIndex): Map<string, ExposedService[]> {
  return index.memo('cluster/exposedServices', () => {
    const services = new Map<string, Resource>();
    for (const s of index.ofKind('Service')) services.set(`${namespaceOf(s.object)}/${s.ref.name}`, s);
    const out = new Map<string, ExposedService[]>();
    const add = (svc: Resource | undefined, how: string): void => {
      if (!svc) return;
      const selector = ((svc.object.spec ?? {}) as { selector?: Record<string, string> }).selector;
      if (!selector || Object.keys(selector).length === 0) return; // no selector: endpoints managed by hand
      const ns = namespaceOf(svc.object) ?? 'default';
      (out.get(ns) ?? out.set(ns, []).get(ns)!).push({ name: svc.ref.name, selector, how });
    };
    for (const svc of services.values()) {
      const type = ((svc.object.spec ?? {}) as { type?: string }).type;
      if (type === 'LoadBalancer' || type === 'NodePort') add(svc, `Service ${svc.ref.name} (${type})`);
    }
    for (const ing of index.ofKind('Ingress')) {
      const ns = namespaceOf(ing.object);
      for (const name of ingressBackends(ing)) add(services.get(`${ns}/${name}`), `Ingress ${ing.ref.name} → Service ${name}`);
    }
    for (const kind of ROUTE_KINDS) {
      for (const route of index.ofKind(kind)) {
        const ns = namespaceOf(route.object);
        for (const b of routeBackends(route)) add(services.get(`${b.namespace ?? ns}/${b.name}`), `${kind} ${route.ref.name} → Service ${b.name}`);
      }
    }
    return out;
  });
}

export function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  if (!labels) return false;
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}
