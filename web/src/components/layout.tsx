/** The frame of every page: skip link, navigation, who is signed in, and the page's main landmark. */
import type { ComponentChildren } from 'preact';
import { Link, navigate } from '../router';
import { can, logOut, SETTINGS, useSession } from '../session';

const NAV: { href: string; label: string; permission?: string }[] = [
  { href: '/', label: 'Overview' },
  { href: '/findings', label: 'Findings' },
  { href: '/vulnerabilities', label: 'Vulnerabilities' },
  { href: '/network', label: 'Network' },
  { href: '/paths', label: 'Attack paths' },
  { href: '/runtime', label: 'Runtime' },
  { href: '/exceptions', label: 'Exceptions', permission: 'exceptions:read' },
  { href: '/settings', label: 'Settings', permission: SETTINGS },
];

export function Layout({ path, title, children }: { path: string; title: string; children: ComponentChildren }) {
  const { session } = useSession();
  const active = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">kubeguard</span>
        <nav aria-label="Main">
          <ul>
            {NAV.filter((n) => !n.permission || can(session, n.permission)).map((n) => (
              <li key={n.href}>
                <Link href={n.href} aria-current={active(n.href) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {session && (
          <div class="who">
            <span>
              {session.user.name} <span class="muted">({session.user.role})</span>
            </span>
            <button
              type="button"
              onClick={() => {
                void logOut().then(() => navigate('/login'));
              }}
            >
              Log out
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <h1>{title}</h1>
        {children}
      </main>
    </>
  );
}
