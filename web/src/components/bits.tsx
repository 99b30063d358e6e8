/** Small shared pieces: severity and status labels (text, never colour alone), loading and error notes. */
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api';

export function Severity({ value }: { value: string }) {
  return <span class={`sev sev-${value}`}>{value}</span>;
}

export function Status({ value }: { value: string }) {
  return <span class={`status status-${value}`}>{value}</span>;
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Failure({ error }: { error: Error }) {
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <p class="error" role="alert">
      {forbidden ? 'Your role may not see this. ' : 'Could not load: '}
      {error.message}
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="muted">{children}</p>;
}

export function Section({ title, children, id, wide }: { title: string; id?: string; wide?: boolean; children: ComponentChildren }) {
  return (
    <section class={wide ? 'card wide' : 'card'} aria-labelledby={id ? `${id}-h` : undefined}>
      <h2 id={id ? `${id}-h` : undefined}>{title}</h2>
      {children}
    </section>
  );
}
