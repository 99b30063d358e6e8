/**
 * Client routes over the History API: every view is a real URL (path + query), so a filtered list or a graph can
 * be shared by copying the address bar, and Back/Forward work. The server answers index.html for these paths.
 */
import type { AnchorHTMLAttributes, ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

type Listener = () => void;
const listeners = new Set<Listener>();

export function currentUrl(): URL {
  return new URL(window.location.href);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.href);
  if (url.href === window.location.href) return;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  for (const l of listeners) l();
}

window.addEventListener('popstate', () => {
  for (const l of listeners) l();
});

/** The current URL; components re-render when it changes. */
export function useUrl(): URL {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((t) => t + 1);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  return currentUrl();
}

/** Matches `/workloads/:cluster/:namespace/:kind/:name` against a path; parameters are decoded. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) out[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return out;
}

/** A path built from segments, each encoded. */
export function pathOf(...segments: string[]): string {
  return '/' + segments.map(encodeURIComponent).join('/');
}

/** The query of the current URL with some parameters changed (empty → removed). */
export function withQuery(url: URL, changes: Record<string, string | string[] | undefined | null>): string {
  const q = new URLSearchParams(url.search);
  for (const [k, v] of Object.entries(changes)) {
    const s = Array.isArray(v) ? v.join(',') : v;
    if (s === undefined || s === null || s === '') q.delete(k);
    else q.set(k, s);
  }
  const qs = q.toString();
  return url.pathname + (qs ? `?${qs}` : '');
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; children?: ComponentChildren };

/** An anchor that navigates in place (a modified click — new tab, download — is left to the browser). */
export function Link({ href, children, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={href}
      onClick={(e) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
