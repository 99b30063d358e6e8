/** The dashboard: routes → pages; anyone not signed in is sent to /login (and back afterwards). */
import type { ComponentChildren } from 'preact';
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import './styles.css';
import { setUnauthorizedHandler } from './api';
import { Layout } from './components/layout';
import { ExceptionPage, ExceptionsPage } from './pages/exceptions';
import { FindingPage } from './pages/finding';
import { FindingsPage } from './pages/findings';
import { LoginPage } from './pages/login';
import { OverviewPage } from './pages/overview';
import { RuntimePage } from './pages/runtime';
import { WorkloadPage } from './pages/workload';
import { AdvisoryPage, VulnerabilitiesPage } from './pages/vulnerabilities';
import { SettingsPage } from './pages/settings';
import { NetworkPage } from './pages/network';
import { PathsPage } from './pages/paths';
import { match, navigate, useUrl } from './router';
import { forgetSession, refreshSession, useSession } from './session';

setUnauthorizedHandler(() => {
  forgetSession();
  const here = location.pathname + location.search;
  if (location.pathname !== '/login') navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
});

interface View {
  title: string;
  body: ComponentChildren;
}

function route(url: URL): View | null {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  let m: Record<string, string> | null;
  if (path === '/') return { title: 'Overview', body: <OverviewPage /> };
  if (path === '/findings') return { title: 'Findings', body: <FindingsPage url={url} /> };
  if ((m = match('/findings/:cluster/:fingerprint', path))) return { title: 'Finding', body: <FindingPage cluster={m.cluster} fingerprint={m.fingerprint} /> };
  if ((m = match('/workloads/:cluster/:namespace/:kind/:name', path))) return { title: `${m.kind} ${m.namespace === '-' ? '' : `${m.namespace}/`}${m.name}`, body: <WorkloadPage cluster={m.cluster} namespace={m.namespace === '-' ? '' : m.namespace} kind={m.kind} name={m.name} /> };
  if (path === '/vulnerabilities') return { title: 'Vulnerabilities', body: <VulnerabilitiesPage url={url} /> };
  if ((m = match('/vulnerabilities/:id', path))) return { title: m.id, body: <AdvisoryPage id={m.id} url={url} /> };
  if (path === '/settings') return { title: 'Settings', body: <SettingsPage /> };
  if (path === '/network') return { title: 'Network', body: <NetworkPage url={url} /> };
  if (path === '/paths') return { title: 'Attack paths', body: <PathsPage url={url} /> };
  if (path === '/runtime') return { title: 'Runtime incidents', body: <RuntimePage url={url} /> };
  if (path === '/exceptions') return { title: 'Exceptions', body: <ExceptionsPage url={url} /> };
  if ((m = match('/exceptions/:id', path))) return { title: `Exception #${m.id}`, body: <ExceptionPage id={m.id} /> };
  return null;
}

function App() {
  const url = useUrl();
  const { session, loaded } = useSession();
  const view = route(url);
  useEffect(() => {
    document.title = url.pathname === '/login' ? 'Sign in · kubeguard' : `${view?.title ?? 'Not found'} · kubeguard`;
    // a new page: focus its main landmark so keyboard and screen-reader users start at its content
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [url.pathname]);
  if (url.pathname === '/login') return <LoginPage url={url} />;
  // the page and its requests start while the session is asked for (a request without a valid session is answered
  // 401, which sends the browser to /login like a missing session does); what the role may do shows once it is known
  if (loaded && !session) {
    navigate(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, { replace: true });
    return null;
  }
  return (
    <Layout path={url.pathname} title={view?.title ?? 'Not found'}>
      {view?.body ?? <p>There is no page at this address.</p>}
    </Layout>
  );
}

// asked before the first render, so the server (one request at a time) answers it before the page's data
void refreshSession();
render(<App />, document.getElementById('app')!);
