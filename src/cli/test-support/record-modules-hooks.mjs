// Module resolution hooks (loader thread) for record-modules.mjs.
import { appendFileSync } from 'node:fs';

let file;
export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  // a built-in module also with the module that imports it: `node:x <- file:///…`
  if (file) appendFileSync(file, resolved.url + '\n' + (resolved.url.startsWith('node:') && context.parentURL ? `${resolved.url} <- ${context.parentURL}\n` : ''));
  return resolved;
}
