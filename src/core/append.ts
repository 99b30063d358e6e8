/** Appends without spreading: `push(...xs)` overflows the call stack for a few hundred thousand elements. */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
}
