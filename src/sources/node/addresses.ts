/** The node's own addresses (a connection from one is the node's): the sensor's interfaces, or those of another network namespace. */
import { execFileSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';

export function nodeAddresses(netns?: string): Set<string> {
  const out = new Set<string>();
  if (!netns) {
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.add(a.address);
    return out;
  }
  try {
    const text = execFileSync('nsenter', [`--net=${netns}`, '--', 'ip', '-j', 'addr', 'show'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    for (const link of JSON.parse(text) as { addr_info?: { local?: string }[] }[]) for (const a of link.addr_info ?? []) if (a.local) out.add(a.local);
  } catch {
    /* unknown: connections from the node are then not attributed to it */
  }
  return out;
}
