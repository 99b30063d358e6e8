/**
 * Names the runtime detectors match, in one place. Where Falco keeps the same list (falcosecurity/rules,
 * rules/falco_rules.yaml and the incubating/sandbox files) it is the starting point and is cited; the additions
 * are ours and say why.
 */

/** Falco `shell_binaries`. */
export const SHELLS = new Set(['ash', 'bash', 'csh', 'ksh', 'sh', 'tcsh', 'zsh', 'dash', 'fish', 'busybox-sh']);

/**
 * Package managers with the subcommands that change what is installed. Falco `package_mgmt_binaries` matches the
 * binary alone; a query (`dpkg -l`, `rpm -q`, `pip list`, `npm start`) changes nothing, so it is not reported.
 */
export const PACKAGE_MANAGERS: Record<string, Set<string> | 'any'> = {
  'apt': new Set(['install', 'update', 'upgrade', 'dist-upgrade', 'full-upgrade', 'remove', 'purge', 'autoremove', 'reinstall']),
  'apt-get': new Set(['install', 'update', 'upgrade', 'dist-upgrade', 'remove', 'purge', 'autoremove', 'build-dep', 'source']),
  'aptitude': new Set(['install', 'update', 'upgrade', 'safe-upgrade', 'full-upgrade', 'remove', 'purge', 'reinstall']),
  'dpkg': new Set(['-i', '--install', '--unpack', '-r', '--remove', '-P', '--purge', '--configure']),
  'yum': new Set(['install', 'update', 'upgrade', 'remove', 'erase', 'reinstall', 'downgrade', 'localinstall', 'groupinstall']),
  'dnf': new Set(['install', 'update', 'upgrade', 'remove', 'erase', 'reinstall', 'downgrade', 'distro-sync', 'group']),
  'microdnf': new Set(['install', 'update', 'upgrade', 'remove', 'reinstall']),
  'rpm': new Set(['-i', '-U', '-F', '-e', '--install', '--upgrade', '--freshen', '--erase', '-ivh', '-Uvh', '-Fvh']),
  'zypper': new Set(['install', 'in', 'update', 'up', 'remove', 'rm', 'dist-upgrade', 'dup', 'patch']),
  'apk': new Set(['add', 'del', 'update', 'upgrade', 'fix']),
  'pacman': new Set(['-S', '-Sy', '-Syu', '-U', '-R', '-Rs']),
  'pip': new Set(['install', 'uninstall', 'download']),
  'pip3': new Set(['install', 'uninstall', 'download']),
  'uv': new Set(['pip', 'add', 'sync', 'tool']),
  'conda': new Set(['install', 'update', 'remove', 'create', 'upgrade']),
  'npm': new Set(['install', 'i', 'add', 'ci', 'update', 'up', 'uninstall', 'remove', 'rm', 'exec', 'x']),
  'yarn': new Set(['add', 'install', 'upgrade', 'remove', 'dlx']),
  'pnpm': new Set(['add', 'install', 'i', 'update', 'remove', 'dlx']),
  'gem': new Set(['install', 'update', 'uninstall']),
  'snap': new Set(['install', 'refresh', 'remove']),
  'go': new Set(['install', 'get']),
  'cargo': new Set(['install']),
};

/** Falco `miner_binaries` (sandbox rules) and the common renamed builds. */
export const MINER_BINARIES = new Set([
  'xmrig', 'xmr-stak', 'xmr-stak-cpu', 'minerd', 'minergate', 'minergate-cli', 'cpuminer', 'cpuminer-multi', 'ccminer', 'ethminer', 'cgminer', 'bfgminer', 'sgminer',
  'claymore', 'nbminer', 't-rex', 'gminer', 'lolminer', 'phoenixminer', 'teamredminer', 'nanominer', 'bminer', 'wildrig', 'srbminer', 'srbminer-multi', 'xmrig-notls', 'kdevtmpfsi', 'kinsing',
]);

/** Falco "Detect crypto miners using the Stratum protocol": the pool URI schemes. */
export const STRATUM = /\bstratum2?\+(?:tcp|ssl|tls):\/\//i;

/**
 * Mining pool domains: Falco `miner_domains`, `https_miner_domains`, `http_miner_domains` (sandbox rules) reduced to
 * their registered domains, plus the large pools those lists predate. A name matches when it is one of these or
 * a subdomain of one.
 */
export const MINING_POOL_DOMAINS = [
  'antpool.com', 'ethpool.org', 'ethermine.org', 'minexmr.com', 'nanopool.org', 'dwarfpool.com', 'slushpool.com', 'moneropool.com', 'xmrpool.net',
  'supportxmr.com', 'hashvault.pro', 'crypto-pool.fr', 'minergate.com', 'unmineable.com',
  // not in Falco's lists: the largest Monero and multi-coin pools today
  'moneroocean.stream', 'c3pool.com', '2miners.com', 'f2pool.com', 'herominers.com', 'nicehash.com', 'xmrpool.eu', 'viabtc.com', 'poolin.com', 'hashcity.org', 'zergpool.com', 'kryptex.network',
];

/** Falco `miner_ports` without the ports every web service uses (80, 443, 8000, 8080, 8888, …). */
export const MINING_POOL_PORTS = new Set([3333, 3334, 3335, 3336, 3357, 4444, 5555, 5556, 5588, 5730, 6099, 6666, 7777, 7778, 8333, 9332, 9999, 14433, 14444, 45560, 45700]);

export function isMiningPoolName(name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  return MINING_POOL_DOMAINS.some((d) => n === d || n.endsWith('.' + d));
}

/** Service account token files: the kubelet's projected token and the cloud identity tokens mounted beside it. */
export const TOKEN_PATHS = [
  /^\/(?:var\/)?run\/secrets\/kubernetes\.io\/serviceaccount\/token$/,
  /^\/(?:var\/)?run\/secrets\/kubernetes\.io\/serviceaccount\/\.\.[^/]+\/token$/,
  /^\/(?:var\/)?run\/secrets\/eks\.amazonaws\.com\/serviceaccount\/token$/,
  /^\/(?:var\/)?run\/secrets\/azure\/tokens\/azure-identity-token$/,
  /^\/(?:var\/)?run\/secrets\/tokens\/[^/]+$/,
];
export const TOKEN_PATH_TEXT = /\/(?:var\/)?run\/secrets\/(?:kubernetes\.io\/serviceaccount|eks\.amazonaws\.com\/serviceaccount|azure\/tokens|tokens)\b/;

export function isTokenPath(path: string): boolean {
  return TOKEN_PATHS.some((r) => r.test(path));
}

/**
 * Sensitive files: Falco `sensitive_file_names` and the `/etc/sudoers.d`, `/etc/pam.d` directories, plus what an
 * attacker in a Kubernetes node or pod reads for credentials (kubeconfigs and keys, SSH keys, cloud credentials,
 * other processes' environment).
 */
export const SENSITIVE_FILES: RegExp[] = [
  /^\/etc\/(?:shadow|gshadow|sudoers|pam\.conf|security\/pwquality\.conf|master\.passwd)$/,
  /^\/etc\/(?:sudoers\.d|pam\.d)\/[^/]+$/,
  /^\/etc\/kubernetes\/(?:admin|super-admin|kubelet|controller-manager|scheduler)\.conf$/,
  /^\/etc\/kubernetes\/pki\/.+\.key$/,
  /^\/var\/lib\/kubelet\/(?:pki\/.+\.(?:key|pem)|kubeconfig)$/,
  /^\/(?:root|home\/[^/]+)\/\.ssh\/(?:id_[a-z0-9_]+|authorized_keys|identity)$/,
  /^\/(?:root|home\/[^/]+)\/\.(?:aws\/credentials|kube\/config|docker\/config\.json|config\/gcloud\/credentials\.db|azure\/accessTokens\.json)$/,
  /^\/proc\/(?:\d+|self)\/environ$/,
  /^\/etc\/ssl\/private\/.+$/,
];
export const SENSITIVE_FILE_TEXT = /(?:^|[\s='"])(\/etc\/(?:shadow|gshadow|sudoers)|\/etc\/kubernetes\/(?:admin|super-admin)\.conf|\/root\/\.ssh\/id_\w+|\/proc\/(?:\d+|self)\/environ)(?=$|[\s'";|])/;

export function isSensitiveFile(path: string): boolean {
  return SENSITIVE_FILES.some((r) => r.test(path));
}

/**
 * Programs that read sensitive files by design: Falco `user_mgmt_binaries` (login, passwd and shadow-utils),
 * `userexec_binaries`, `read_sensitive_file_binaries` and the package managers.
 */
export const SENSITIVE_FILE_READERS = new Set([
  'login', 'systemd', 'systemd-logind', 'su', 'sudo', 'suexec', 'nologin', 'faillog', 'lastlog', 'newgrp', 'sg', 'dzdo',
  'shadowconfig', 'grpck', 'pwunconv', 'grpconv', 'pwck', 'groupmod', 'vipw', 'pwconv', 'useradd', 'newusers', 'cppw', 'chpasswd', 'usermod',
  'groupadd', 'groupdel', 'grpunconv', 'chgpasswd', 'userdel', 'chage', 'chsh', 'gpasswd', 'chfn', 'expiry', 'passwd', 'vigr', 'cpgr',
  'adduser', 'addgroup', 'deluser', 'delgroup', 'groupmems', 'unix_chkpwd',
  'iptables', 'ps', 'lsb_release', 'dumpe2fs', 'accounts-daemon', 'sshd', 'sshd-session', 'vsftpd', 'psql', 'screen', 'sosreport', 'cockpit-session', 'userhelper',
  'dpkg', 'apt', 'apt-get', 'rpm', 'yum', 'dnf', 'apk',
]);

/**
 * Cloud instance metadata services. Addresses: AWS, GCP, Azure, OpenStack, Oracle, DigitalOcean and others
 * (169.254.169.254), AWS over IPv6 (fd00:ec2::254), Alibaba (100.100.100.200). Names: GCP metadata.google.internal,
 * Azure's and Alibaba's are addresses only.
 */
export const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);
export const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.google.internal.', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

/** Falco `web_server_binaries`, `db_server_binaries` and language runtimes that serve requests: parents a shell should not have. */
export const SERVER_PROCESSES = new Set([
  'nginx', 'httpd', 'httpd-foregroun', 'apache', 'apache2', 'lighttpd', 'php-fpm', 'php', 'php-cgi', 'php7', 'php8', 'gunicorn', 'uwsgi', 'caddy', 'traefik', 'envoy', 'haproxy',
  'mysqld', 'postgres', 'sqlplus', 'mongod', 'redis-server', 'memcached', 'java', 'node', 'tomcat', 'catalina.sh', 'jboss', 'dotnet',
]);

/** Processes that start an interactive exec in a container: the runtime's shim and runc. */
export const CONTAINER_EXEC_PARENTS = new Set(['runc', 'runc:[2:INIT]', 'containerd-shim', 'containerd-shim-runc-v2', 'conmon', 'crun', 'cri-o']);
