/** Reporters by format name: a registry, not a switch. */
import type { Reporter } from './types.js';
import { table } from './table.js';
import { json } from './json.js';
import { sarif } from './sarif.js';
import { junit } from './junit.js';
import { markdown } from './markdown.js';
import { html } from './html.js';
import { openreports, policyreport } from './policy-reports.js';

export const REPORTERS: Record<string, Reporter> = { table, json, sarif, junit, markdown, html, policyreport, openreports };

export type { Reporter, RenderContext, Rendered } from './types.js';
export { renderedToString } from './types.js';
