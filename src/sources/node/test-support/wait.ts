/** Polls until `probe` returns a value (or the deadline passes, then throws with `what`). */
export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Whether a test that needs `reason`-less machinery may run; under CI a missing piece is a failure, not a skip. */
export function skipUnlessAvailable(unavailable: string | undefined): string | false {
  if (!unavailable) return false;
  if (process.env.CI === 'true') throw new Error(`the sensor tests need the real kernel scene: ${unavailable}`);
  return unavailable;
}
