/**
 * On a workload's page, from its cluster's latest whole-cluster scan: what can reach it and what it can reach
 * (NetworkPolicy), how outside traffic gets in, and the attack paths that pass through it.
 */
import type { AttackPathsView, NetworkView } from '../api';
import { Empty, Failure, Loading } from '../components/bits';
import { Link, withQuery } from '../router';
import { useApi } from '../use-api';

export function WorkloadReach({ cluster, namespace, kind, name }: { cluster: string; namespace: string; kind: string; name: string }) {
  const known = useApi<{ items: { cluster: string }[] }>('/network/clusters');
  const has = known.data?.items.some((c) => c.cluster === cluster);
  const net = useApi<NetworkView>(has && namespace ? '/network' : null, { cluster, namespace });
  const paths = useApi<AttackPathsView>(has ? '/attack-paths' : null, { cluster });
  if (known.error) return <Failure error={known.error} />;
  if (!known.data) return <Loading what="the network" />;
  if (!has) return <Empty>No whole-cluster scan of {cluster} uploaded its network (kubeguard scan --cluster --upload does).</Empty>;
  const id = `${kind}/${namespace}/${name}`;
  const label = (n: string) => net.data?.nodes.find((x) => x.id === n)?.label ?? n;
  const inbound = net.data?.edges.filter((e) => e.to === id && e.from !== id) ?? [];
  const outbound = net.data?.edges.filter((e) => e.from === id && e.to !== id) ?? [];
  const through = paths.data?.paths.filter((p) => p.hops.some((h) => h.from === id || h.to === id)) ?? [];
  const pathLabel = (n: string) => paths.data?.nodes[n]?.label ?? n;
  const networkLink = withQuery(new URL('/network', location.origin), { cluster, namespace });
  return (
    <>
      {net.error && <Failure error={net.error} />}
      {!net.data && !net.error && namespace && <Loading what="the network" />}
      {net.data && (
        <>
          <h3>What can reach it</h3>
          {inbound.length === 0 ? <Empty>Nothing: NetworkPolicy admits no connection to it.</Empty> : <ReachList items={inbound.map((e) => ({ peer: label(e.from), conn: e.conn }))} />}
          <h3>What it can reach</h3>
          {outbound.length === 0 ? <Empty>Nothing: NetworkPolicy allows it no connection.</Empty> : <ReachList items={outbound.map((e) => ({ peer: label(e.to), conn: e.conn }))} />}
          <p>
            <Link href={networkLink}>The network of namespace {namespace}</Link>
          </p>
        </>
      )}
      <h3>Attack paths through it</h3>
      {paths.error ? (
        <Failure error={paths.error} />
      ) : !paths.data ? (
        <Loading what="attack paths" />
      ) : through.length === 0 ? (
        <Empty>No attack path found by the last scan passes through it.</Empty>
      ) : (
        <ul>
          {through.map((p, i) => (
            <li key={i}>
              <Link href={withQuery(new URL('/paths', location.origin), { cluster })}>
                {pathLabel(p.from)} → {pathLabel(p.to)}
              </Link>{' '}
              <span class="muted">({p.hops.length} steps{p.cuts[0] ? `; cut: ${p.cuts[0].change}` : ''})</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ReachList({ items }: { items: { peer: string; conn: string }[] }) {
  return (
    <ul class="reach">
      {items.map((x) => (
        <li key={x.peer}>
          {x.peer}: <span class="muted">{x.conn}</span>
        </li>
      ))}
    </ul>
  );
}
