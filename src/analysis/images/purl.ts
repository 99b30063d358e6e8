import { PackageURL } from 'packageurl-js';

/** Builds a canonical purl string (packageurl-js handles per-type normalisation and encoding). */
export function purl(
  type: string,
  namespace: string | undefined,
  name: string,
  version: string | undefined,
  qualifiers?: Record<string, string | undefined>,
  subpath?: string,
): string {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(qualifiers ?? {})) if (v !== undefined && v !== '') q[k] = v;
  return new PackageURL(type, namespace || undefined, name, version || undefined, Object.keys(q).length ? q : undefined, subpath).toString();
}
