/**
 * The `admission:` section of kubeguard.yaml. Everything is optional: with no config the webhook enforces the
 * rules whose effective severity is at or above `failOn` (high by default, i.e. the recommended preset's high and
 * critical rules) and warns for the rest — exactly what `kubeguard scan` fails on.
 */
import type { Severity } from '../../core/model.js';
import type { LabelSelector } from '../../core/label-selector.js';
import type { RuleMode } from '../../engine/config.js';
import type { SignatureSettings } from '../../sources/sigstore/signature-settings.js';

export type FailureMode = 'deny' | 'allow';

/** A mode for objects in matching namespaces, optionally limited to some rules (ids, aliases or `*`). */
export interface NamespaceModeSetting {
  /** Namespace names or globs (`team-*`). */
  namespaces: string[];
  mode: RuleMode;
  /** Limit to these rule ids/aliases (and `image-gate/<name>` for gates); every rule when absent. */
  rules?: string[];
}

export interface MutateSettings {
  /** The /mutate endpoint adds safe defaults only when true (off by default). */
  enabled?: boolean;
  /** Pod-level seccompProfile RuntimeDefault when no profile is set. Default true. */
  seccompRuntimeDefault?: boolean;
  /** capabilities.drop gains "ALL". Default true. */
  dropAllCapabilities?: boolean;
  /** allowPrivilegeEscalation: false when unset (and not privileged / not adding SYS_ADMIN). Default true. */
  disallowPrivilegeEscalation?: boolean;
  /** Rewrite image tags to `tag@digest` resolved from the registry. Default false. */
  pinDigests?: boolean;
}

/** `images.signature`: keys and keyless policies per registry/namespace (documented where they are read). */
export type SignatureGateSettings = SignatureSettings;
export type SignaturePolicySettings = NonNullable<SignatureSettings['policies']>[number];

export interface VulnerabilityGateSettings {
  /** Deny when the image's scan result has a vulnerability at or above this severity (as `scan --fail-on`). */
  failOn: Severity;
  /** When no scan result exists yet: deny with a message, or allow and ask for a background scan. */
  onMissing?: 'deny' | 'allow-and-scan';
  /** A result scanned longer ago than this counts as missing. Default 168 (a week). */
  maxAgeHours?: number;
  /** The scan-results store `kubeguard image scan --record` writes. Default: scan-results.db next to the vulnerability database. */
  store?: string;
}

export interface ImageGateSettings {
  /** Registry prefixes or globs (same matching as the image-registry-not-allowed rule). */
  allowedRegistries?: string[];
  /** Every image must be pinned by digest. */
  requireDigest?: boolean;
  signature?: SignatureGateSettings;
  vulnerabilities?: VulnerabilityGateSettings;
  /** Mode of image gate violations (default enforce). Namespace settings may override it per gate. */
  mode?: RuleMode;
}

export interface AdmissionConfig {
  /** Rules without an explicit mode enforce at or above this severity and warn below. Default: failOn, else high. */
  enforceAtOrAbove?: Severity;
  /**
   * Rules (ids or aliases) not run at admission. For cross-object rules whose data the webhook does not have
   * (it sees one object, not the cluster), e.g. rules about a namespace's NetworkPolicies; `scan --cluster`
   * still judges them. Everything else is decided exactly as `scan` decides it.
   */
  skipRules?: string[];
  /** Per-namespace modes; the first matching entry wins and overrides rule modes. */
  namespaces?: NamespaceModeSetting[];
  /** Namespaces (names or globs) whose objects are admitted without checks. */
  exemptNamespaces?: string[];
  /** Objects whose labels match this selector are admitted without checks. */
  exemptSelector?: LabelSelector;
  /** Requesting users (names or globs, e.g. `system:serviceaccount:kube-system:*`) admitted without checks. */
  exemptUsernames?: string[];
  /** Time budget of one request in milliseconds; must stay below the webhook's timeoutSeconds. Default 3000. */
  budgetMs?: number;
  /** What a gate or rule that cannot decide (timeout, error) yields. Default deny (the webhook failurePolicy Fail analogue). */
  failureMode?: FailureMode;
  /** Largest accepted request body in bytes. Default 8 MiB. */
  maxBodyBytes?: number;
  mutate?: MutateSettings;
  images?: ImageGateSettings;
  /**
   * ValidatingAdmissionPolicy files or folders (with their bindings and params), relative to the config file:
   * evaluated as rules `vap:<policy name>` exactly as `scan --policy` does; a policy without a binding acts as
   * bound with validationActions [Deny]. The mode of their findings follows the bindings' validationActions.
   */
  policies?: string[];
}

export const DEFAULT_BUDGET_MS = 3000;
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
export const DEFAULT_SCAN_RESULT_MAX_AGE_HOURS = 168;
