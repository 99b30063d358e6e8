/** The admission webhook: the manifests of `kubeguard admission install`, without the namespace the bundle owns. */
import { installManifests, NAME } from '../../admission/install/manifests.js';
import { issueCertificates, serviceDnsNames } from '../../admission/tls/certificates.js';
import type { InstallComponent } from '../component.js';

export const webhookComponent: InstallComponent = {
  name: 'webhook',
  summary: 'validating (and optionally mutating) admission webhook: the rules of `scan`, enforced at deploy time',
  needs: [
    'no RBAC and no service-account token: it judges the AdmissionReview the API server sends and reads nothing back',
    'ingress on 8443/TCP from the API server (whose source address depends on the control plane, so the port is the limit)',
    'egress to DNS and 443/TCP: image gates resolve tags and fetch signatures from registries',
    'a serving certificate the API server trusts: generated into a Secret, or issued by cert-manager with --cert-manager',
    'two replicas, a PodDisruptionBudget and anti-affinity: with failurePolicy Fail an unavailable webhook blocks deployments',
  ],
  placement: 'restricted',
  async manifests(s) {
    const certificates = s.certManager
      ? undefined
      : await issueCertificates({ dnsNames: serviceDnsNames(NAME, s.namespace), notBefore: s.now, validDays: s.validDays });
    const objects = installManifests({
      namespace: s.namespace,
      replicas: s.replicas,
      failurePolicy: s.failurePolicy,
      image: s.image,
      mutate: false,
      catalog: s.catalog,
      certManager: s.certManager,
      ...(certificates && { certificates }),
    });
    return objects.filter((o) => o.kind !== 'Namespace');
  },
};
