/**
 * The filter bar of a list page: a search form whose fields are URL query parameters. Submitting puts every field
 * into the URL (empty ones removed, paging reset), so the filtered view is a link to share.
 */
import type { ComponentChildren } from 'preact';
import { SEVERITIES } from '../api';
import { Link, navigate, withQuery } from '../router';

export function FilterForm({ url, label, clearHref, children }: { url: URL; label: string; clearHref: string; children: ComponentChildren }) {
  return (
    <form
      class="filters"
      role="search"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const changes: Record<string, string | string[]> = { after: '' };
        for (const el of Array.from(form.elements) as HTMLInputElement[]) {
          if (!el.name) continue;
          if (el.type === 'checkbox') changes[el.name] = new FormData(form).getAll(el.name).map(String);
          else changes[el.name] = el.value.trim();
        }
        navigate(withQuery(url, changes));
      }}
    >
      {children}
      <div class="actions">
        <button type="submit">Apply</button>
        <Link href={clearHref}>Clear</Link>
      </div>
    </form>
  );
}

export function TextFilter({ url, name, label }: { url: URL; name: string; label: string }) {
  return (
    <label>
      {label}
      <input name={name} defaultValue={url.searchParams.get(name) ?? ''} />
    </label>
  );
}

export function SeverityFilter({ url }: { url: URL }) {
  const chosen = (url.searchParams.get('severity') ?? '').split(',').filter(Boolean);
  return (
    <fieldset>
      <legend>Severity</legend>
      {SEVERITIES.map((s) => (
        <label key={s} class="inline">
          <input type="checkbox" name="severity" value={s} defaultChecked={chosen.includes(s)} /> {s}
        </label>
      ))}
    </fieldset>
  );
}
