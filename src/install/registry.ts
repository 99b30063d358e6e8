/**
 * Every component `kubeguard install` knows. To add one: write `components/<name>.ts` exporting an
 * InstallComponent, list it here, and describe it in docs/install.md; the registry-wide tests
 * (bundle.test.ts) then hold it to the pss-restricted preset (or to its declared host exceptions) and to
 * `kubectl kustomize`.
 */
import type { InstallComponent } from './component.js';
import { webhookComponent } from './components/webhook.js';
import { sensorComponent } from './components/sensor.js';
import { serverComponent } from './components/server.js';
import { agentComponent } from './components/agent.js';
import { nodeCheckComponent } from './components/node-check.js';

export const COMPONENTS: readonly InstallComponent[] = [webhookComponent, sensorComponent, serverComponent, agentComponent, nodeCheckComponent];

export function componentNames(registry: readonly InstallComponent[] = COMPONENTS): string[] {
  return registry.map((c) => c.name);
}
