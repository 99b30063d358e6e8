/**
 * `admission.images.allowedRegistries` and `admission.images.requireDigest` are settings of the rules that decide
 * them — image-registry-not-allowed and image-not-pinned-by-digest — so `kubeguard scan`, `scan --cluster` and the
 * webhook give one answer for one config. Their findings take `admission.images.mode` (default enforce) unless
 * the rule's own setting names a mode. Signatures and recorded scan results stay webhook gates (they need I/O).
 */
import { ConfigError } from '../core/errors.js';
import type { KubeguardConfig, RuleMode, RuleSetting } from './config.js';

export const REGISTRY_RULE = 'image-registry-not-allowed';
export const DIGEST_RULE = 'image-not-pinned-by-digest';

interface ImageSettings {
  allowedRegistries?: unknown;
  requireDigest?: unknown;
  mode?: unknown;
}

function imageSettings(config: KubeguardConfig): ImageSettings | undefined {
  const images = config.admission?.images;
  return images !== null && typeof images === 'object' ? (images as ImageSettings) : undefined;
}

/**
 * Folds the image settings into the rule settings (by rule id, as resolveRules normalised them). A rule whose own
 * setting already names a registry allowlist cannot take a second one from the admission section.
 */
export function applyImagePolicy(config: KubeguardConfig, settings: Map<string, RuleSetting>): void {
  const images = imageSettings(config);
  const registries = Array.isArray(images?.allowedRegistries) && images.allowedRegistries.length > 0 ? (images.allowedRegistries as string[]) : undefined;
  const mode: RuleMode = images?.mode === 'warn' || images?.mode === 'audit' ? images.mode : 'enforce';
  if (registries) {
    const s = settings.get(REGISTRY_RULE) ?? {};
    if (s.enabled === false) throw new ConfigError(`admission.images.allowedRegistries is decided by rule ${REGISTRY_RULE}, which the config turns off`);
    if (s.options?.allowedRegistries !== undefined) {
      throw new ConfigError(`the registry allowlist is set twice (admission.images.allowedRegistries and rules.${REGISTRY_RULE}.options.allowedRegistries): keep one`);
    }
    settings.set(REGISTRY_RULE, { ...s, enabled: true, options: { ...s.options, allowedRegistries: registries }, mode: s.mode ?? mode });
  }
  if (images?.requireDigest === true) {
    const s = settings.get(DIGEST_RULE) ?? {};
    if (s.enabled === false) throw new ConfigError(`admission.images.requireDigest is decided by rule ${DIGEST_RULE}, which the config turns off`);
    settings.set(DIGEST_RULE, { ...s, enabled: true, mode: s.mode ?? mode });
  }
}
