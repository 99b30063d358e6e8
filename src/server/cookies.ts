/** The session cookie: read from a Cookie header, written with every attribute a session cookie should carry. */

/**
 * With TLS the `__Host-` prefix makes browsers accept the cookie only when Secure, for Path=/ and without Domain
 * (RFC 6265bis 4.1.3.2): no subdomain and no plain-HTTP page can plant or overwrite it.
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-kubeguard-session' : 'kubeguard-session';
}

/** The value of cookie `name` in a Cookie header (the first one), or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header || header.length > 16_384) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const v = part.slice(eq + 1).trim();
    return v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1) : v;
  }
  return undefined;
}

/** Set-Cookie for a session: HttpOnly (no script reads it), SameSite=Strict, Secure under TLS; Max-Age 0 clears it. */
export function sessionCookie(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${name}=${value}; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
