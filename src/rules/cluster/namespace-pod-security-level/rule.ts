import type { Resource } from '../../../core/model.js';
import { defineRule } from '../../../core/rule.js';
import { podTemplateOf } from '../../../core/podspec.js';
import { evaluatePod, isPolicyVersion } from '../../../analysis/pss/index.js';
import type { PssLevel } from '../../../analysis/pss/index.js';
import { escapeToken } from '../../../core/pointer.js';
import { formatRef } from '../../../core/ref.js';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const ENFORCE_VERSION = 'pod-security.kubernetes.io/enforce-version';

/** The strictest level every workload of the namespace passes today, and what blocks the next one. */
function achievableLevel(workloads: readonly Resource[], version: string | undefined): { level: PssLevel | 'privileged'; blockers: string[] } {
  const failing = (level: PssLevel): Resource[] =>
    workloads.filter((r) => {
      const t = podTemplateOf(r.object);
      return t !== undefined && !evaluatePod(t.metadata, t.spec, { level, version, specPath: t.specPath, metadataPath: t.metadataPath }).allowed;
    });
  const notRestricted = failing('restricted');
  if (notRestricted.length === 0) return { level: 'restricted', blockers: [] };
  const notBaseline = failing('baseline');
  if (notBaseline.length === 0) return { level: 'baseline', blockers: notRestricted.map((r) => formatRef(r.ref)) };
  return { level: 'privileged', blockers: notBaseline.map((r) => formatRef(r.ref)) };
}

function listed(items: string[]): string {
  return items.slice(0, 3).join(', ') + (items.length > 3 ? ` and ${items.length - 3} more` : '');
}

/**
 * Pod Security admission enforces only what the namespace label `pod-security.kubernetes.io/enforce` says;
 * without it (and without a cluster-wide default in the AdmissionConfiguration, which is not visible) nothing is
 * enforced, and `privileged` enforces nothing by definition. The level each namespace could enforce today is
 * computed with the Pod Security Standards evaluator over its workloads, at the namespace's enforce-version.
 */
export default defineRule({
  id: 'namespace-pod-security-level',
  title: 'Namespace does not enforce a Pod Security Standard',
  description:
    'Pod Security admission only enforces the level a namespace asks for with the pod-security.kubernetes.io/enforce label. ' +
    'A namespace without it, or enforcing "privileged", admits privileged, host-namespace and hostPath pods. The finding says ' +
    'which level the namespace could enforce today without rejecting any of its current workloads.',
  category: 'cluster',
  severity: 'medium',
  severityReason: 'admission would not stop a privileged pod in the namespace; the workloads themselves are judged by the pss-* rules',
  kinds: ['Namespace'],
  messages: {
    missing: 'Namespace "{{name}}" has no {{label}} label: Pod Security admission enforces nothing here; {{advice}}',
    privileged: 'Namespace "{{name}}" enforces "privileged", which allows everything; {{advice}}',
  },
  remediation:
    'Label the namespace with pod-security.kubernetes.io/enforce=<level> (restricted where the workloads allow it, else baseline); ' +
    'try it first with the warn and audit labels, and fix the workloads that block a stricter level.',
  references: ['https://kubernetes.io/docs/concepts/security/pod-security-admission/', 'https://kubernetes.io/docs/tasks/configure-pod-container/migrate-from-psp/'],
  compliance: { cis: ['5.2.1'], nsa: ['Pod security: Pod Security admission'], mitre: ['T1610'] },
  check(ctx, resource) {
    const labels = resource.object.metadata?.labels ?? {};
    const enforce = labels[ENFORCE];
    if (enforce !== undefined && enforce !== 'privileged') return;
    const name = resource.ref.name;
    const versionLabel = labels[ENFORCE_VERSION];
    const version = versionLabel && isPolicyVersion(versionLabel) ? versionLabel : undefined;
    // controllers' templates stand for their pods; bare pods count themselves
    const workloads = ctx.resources.podBearingIn(name).filter((r) => ctx.resources.templateControllerOf(r.object) === undefined);
    const { level, blockers } = achievableLevel(workloads, version);
    const advice =
      workloads.length === 0
        ? 'it has no workloads yet: "restricted" can be enforced now'
        : level === 'privileged'
          ? `no level can be enforced without rejecting ${listed(blockers)} (they fail "baseline")`
          : `its ${workloads.length} workload(s) would all pass "${level}" today` + (level === 'baseline' ? ` (${listed(blockers)} block "restricted")` : '');
    const target = workloads.length === 0 ? 'restricted' : level;
    const hasLabels = resource.object.metadata?.labels !== undefined;
    const fix =
      target === 'privileged'
        ? undefined
        : hasLabels
          ? [{ op: enforce === undefined ? ('add' as const) : ('replace' as const), path: `/metadata/labels/${escapeToken(ENFORCE)}`, value: target }]
          : [{ op: 'add' as const, path: '/metadata/labels', value: { [ENFORCE]: target } }];
    if (enforce === undefined) {
      ctx.report({ messageId: 'missing', path: `/metadata/labels/${escapeToken(ENFORCE)}`, data: { name, label: ENFORCE, advice }, ...(fix ? { fix } : {}) });
    } else {
      ctx.report({ messageId: 'privileged', path: `/metadata/labels/${escapeToken(ENFORCE)}`, data: { name, advice }, ...(fix ? { fix } : {}) });
    }
  },
});
