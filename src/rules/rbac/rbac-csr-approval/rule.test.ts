import { it } from 'node:test';
import assert from 'node:assert/strict';
import { gradesOf } from '../../test-support/rule-tester.js';
import rule from './rule.js';


it('approving takes both halves in one role: high once; one half alone is low', () => {
  assert.deepEqual(gradesOf(rule, import.meta.url, 'fail-approver.yaml'), [
    'high ClusterRole "csr-approver" grants update on certificatesigningrequests/approval and approve on signers (kubernetes.io/kube-apiserver-client): it can approve certificate requests',
  ]);
  assert.deepEqual(gradesOf(rule, import.meta.url, 'fail-half-approval.yaml'), [
    'low ClusterRole "patches-approval-only" grants patch on certificatesigningrequests/approval, but no approve on signers: half of what approving needs',
  ]);
});
