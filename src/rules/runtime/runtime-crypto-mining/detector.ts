import { defineDetector } from '../../../core/detector.js';
import { baseName } from '../../../core/events/model.js';
import { MINER_BINARIES, MINING_POOL_DOMAINS, STRATUM, isMiningPoolName } from '../lists.js';
import { clip, commandLine, outgoing } from '../match.js';

const POOL_IN_ARGS = new RegExp(`(?:^|[/@=\\s])(?:[a-z0-9-]+\\.)*(?:${MINING_POOL_DOMAINS.map((d) => d.replace(/\./g, '\\.')).join('|')})(?::\\d+)?(?:$|[/\\s])`, 'i');

/**
 * Mining seen in processes and connections: a known miner binary, a Stratum pool URI or a pool host in the command
 * line, a connection to a pool (its name, from DNS or the producer, is a pool domain; Falco's pool-port rule also
 * asks for the name, since its ports include 8080 and 8888). DNS queries for pools are runtime-suspicious-dns.
 */
export default defineDetector({
  id: 'runtime-crypto-mining',
  title: 'Cryptocurrency mining',
  description:
    'A process or connection shows cryptocurrency mining: a known miner binary, a Stratum pool URI or mining pool host ' +
    'in a command line, or a connection to a mining pool. Mining is the most common payload of compromised containers.',
  category: 'runtime',
  severity: 'critical',
  events: ['process.exec', 'network.connect', 'network.flow'],
  messages: {
    binary: 'Miner {{binary}} ran in {{where}}: {{command}}',
    stratum: 'A Stratum mining pool URI is in a command line in {{where}}: {{command}}',
    poolArgument: 'A mining pool host is in a command line in {{where}}: {{command}}',
    poolConnection: 'Connection to mining pool {{pool}} ({{ip}}:{{port}}) from {{where}}',
  },
  remediation:
    'Treat the workload as compromised: capture forensics (kubeguard forensics capture), quarantine the pod, find the ' +
    'entry point (exposed service, vulnerable image, stolen credentials), rebuild from a clean image and rotate its secrets.',
  references: ['https://attack.mitre.org/techniques/T1496/'],
  compliance: { mitre: ['T1496'] },
  covers: { falco: ['Detect crypto miners using the Stratum protocol', 'Known Cryptominer Process Executed', 'Detect outbound connections to common miner pool ports'] },
  create() {
    return (ctx, e) => {
      const where = e.workload.host ? `node ${e.workload.node ?? '?'}` : `container ${e.workload.container ?? e.workload.pod ?? '?'}`;
      if (e.kind === 'process.exec') {
        const p = e.process;
        const command = commandLine(p);
        const bin = p.binary ? baseName(p.binary) : p.name;
        if (MINER_BINARIES.has(p.name.toLowerCase()) || MINER_BINARIES.has(bin.toLowerCase())) return ctx.report({ messageId: 'binary', data: { binary: bin, where, command: clip(command) } });
        if (STRATUM.test(command)) return ctx.report({ messageId: 'stratum', data: { where, command: clip(command) } });
        if (POOL_IN_ARGS.test(p.args.join(' '))) return ctx.report({ messageId: 'poolArgument', data: { where, command: clip(command) } });
        return;
      }
      if (!outgoing(e)) return;
      const pool = e.network.dst.names?.find(isMiningPoolName);
      if (pool) ctx.report({ messageId: 'poolConnection', data: { pool: pool.replace(/\.$/, ''), ip: e.network.dst.ip ?? '?', port: e.network.dst.port ?? '?', where } });
    };
  },
});
