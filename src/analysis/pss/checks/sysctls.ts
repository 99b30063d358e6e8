/**
 * sysctls (baseline). Upstream: policy/check_sysctls.go.
 * spec.securityContext.sysctls[*].name must be in the allowed ("safe", namespaced) set, which grows by version.
 */
import { join } from '../../../core/pointer.js';
import { listAt, podSecurityContext, stringAt } from '../fields.js';
import type { CheckDefinition, CheckFailure, CheckFn, PodInput, PssField } from '../types.js';

const ALLOWED_1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const ALLOWED_1_27 = [...ALLOWED_1_0, 'net.ipv4.ip_local_reserved_ports'];
const ALLOWED_1_29 = [
  ...ALLOWED_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const ALLOWED_1_32 = [...ALLOWED_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const ALLOWED_1_37 = [...ALLOWED_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

function sysctlsCheck(allowedList: readonly string[]): CheckFn {
  const allowed = new Set(allowedList);
  return (pod: PodInput): CheckFailure | undefined => {
    const forbidden: string[] = [];
    const fields: PssField[] = [];
    listAt(podSecurityContext(pod), 'sysctls').forEach((s, i) => {
      const name = stringAt(s, 'name') ?? '';
      if (allowed.has(name)) return;
      forbidden.push(name);
      fields.push({ path: join(pod.specPath, 'securityContext', 'sysctls', i, 'name'), message: `pod sets forbidden sysctl ${name}` });
    });
    if (forbidden.length === 0) return undefined;
    return { reason: 'forbidden sysctls', detail: forbidden.join(', '), fields };
  };
}

export const sysctls: CheckDefinition = {
  id: 'sysctls',
  level: 'baseline',
  versions: [
    { minimumVersion: 0, check: sysctlsCheck(ALLOWED_1_0) },
    { minimumVersion: 27, check: sysctlsCheck(ALLOWED_1_27) },
    { minimumVersion: 29, check: sysctlsCheck(ALLOWED_1_29) },
    { minimumVersion: 32, check: sysctlsCheck(ALLOWED_1_32) },
    { minimumVersion: 37, check: sysctlsCheck(ALLOWED_1_37) },
  ],
};
