/**
 * `admission.images` → the gates to run: only what needs I/O. The registry allowlist and digest pinning are decided
 * by the rules image-registry-not-allowed and image-not-pinned-by-digest (src/engine/image-policy.ts), as in `scan`.
 * Signature and scan-result gates need functions from the image (cosign) and vulnerability modules, passed in as
 * providers; configuring such a gate without its provider is a configuration error at start-up, never a silent pass.
 */
import { ConfigError } from '../../../core/errors.js';
import type { ImageGateSettings } from '../config.js';
import type { VerifySignature } from './signature.js';
import { signatureGate } from './signature.js';
import { signaturePolicies } from '../../../sources/sigstore/signature-settings.js';
import type { ImageGate } from './types.js';
import type { ScanResultLookup } from './vulnerabilities.js';
import type { ResolveDigest } from '../pin-digests.js';
import { vulnerabilityGate } from './vulnerabilities.js';

export interface GateProviders {
  /** Tag → digest resolution for `mutate.pinDigests`. */
  resolveDigest?: ResolveDigest;
  verifySignature?: VerifySignature;
  lookupScanResult?: ScanResultLookup;
  requestScan?: (image: string) => void;
}

export function gatesFromConfig(settings: ImageGateSettings | undefined, providers: GateProviders = {}): ImageGate[] {
  if (!settings) return [];
  const gates: ImageGate[] = [];
  if (settings.signature) {
    if (!providers.verifySignature) throw new ConfigError('admission.images.signature is configured but this build has no cosign signature verification available');
    const { keys, policies } = settings.signature;
    gates.push(
      signatureGate({
        verify: providers.verifySignature,
        ...(keys && { keys }),
        ...(policies && { policies: signaturePolicies(settings.signature) }),
      }),
    );
  }
  if (settings.vulnerabilities) {
    if (!providers.lookupScanResult) throw new ConfigError('admission.images.vulnerabilities is configured but this build has no vulnerability scan results available');
    gates.push(
      vulnerabilityGate({
        lookup: providers.lookupScanResult,
        failOn: settings.vulnerabilities.failOn,
        ...(settings.vulnerabilities.onMissing && { onMissing: settings.vulnerabilities.onMissing }),
        ...(providers.requestScan && { requestScan: providers.requestScan }),
      }),
    );
  }
  return gates;
}
