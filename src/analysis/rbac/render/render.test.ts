// Renderers are pure string builders: checked on a hand-built path (not on analysis output).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EscalationPath } from '../escalation/model.js';
import { renderPathsDot, renderPathsMermaid } from './paths-graph.js';
import { renderPathsJson } from './paths-json.js';
import { pathOneLine, renderPathsText } from './paths-text.js';

const PATH: EscalationPath = {
  from: { kind: 'User', name: 'alice' },
  to: 'cluster-admin',
  severity: 'high',
  steps: [
    { subject: 'user:alice', action: 'create a pod in ci', permission: 'create pods in namespace ci', via: 'RoleBinding/ci/devs → Role/pod-creator' },
    { subject: 'user:alice', action: 'mount service account ci/deployer in the pod', permission: 'pod spec serviceAccountName', via: 'ServiceAccount/ci/deployer' },
    { subject: 'sa:ci/deployer', action: 'use its "cluster-wide" rights', permission: 'every verb on every resource, cluster-wide', via: 'ClusterRoleBinding/deployer-admin → ClusterRole/cluster-admin' },
  ],
};

describe('path renderers', () => {
  it('one line', () => {
    assert.equal(
      pathOneLine(PATH),
      'user:alice → create a pod in ci → mount service account ci/deployer in the pod → use its "cluster-wide" rights → cluster-admin equivalent',
    );
  });

  it('text lists numbered steps with permission and via', () => {
    const text = renderPathsText([PATH]);
    assert.match(text, /^HIGH user:alice ⇒ cluster-admin equivalent \(3 steps\)\n {2}1\. \[user:alice\] create a pod in ci\n {5}permission: create pods in namespace ci\n {5}via: RoleBinding\/ci\/devs → Role\/pod-creator\n/);
    assert.equal(renderPathsText([]), 'No escalation paths found.\n');
  });

  it('json has the documented shape', () => {
    const parsed = JSON.parse(renderPathsJson([PATH])) as { paths: EscalationPath[] };
    assert.deepEqual(parsed, { paths: [PATH] });
  });

  it('dot: identities as boxes, the capability as a double octagon, a foothold node for the pod, escaped quotes', () => {
    const dot = renderPathsDot([PATH]);
    assert.ok(dot.startsWith('digraph escalation {\n'));
    assert.ok(dot.includes('"user:alice" [shape=box];'));
    assert.ok(dot.includes('"sa:ci/deployer" [shape=box];'));
    assert.ok(dot.includes('"cluster-admin equivalent" [shape=doubleoctagon'));
    assert.ok(dot.includes('"user:alice" -> "user:alice: create a pod in ci" [label="create a pod in ci"];'));
    assert.ok(dot.includes('"user:alice: create a pod in ci" -> "sa:ci/deployer" [label="mount service account ci/deployer in the pod"];'));
    assert.ok(dot.includes('"sa:ci/deployer" -> "cluster-admin equivalent" [label="use its \\"cluster-wide\\" rights"];'));
    assert.equal(dot.match(/->/g)?.length, 3);
  });

  it('mermaid: a flowchart with one edge per step and quotes escaped', () => {
    const m = renderPathsMermaid([PATH, PATH]);
    assert.ok(m.startsWith('flowchart LR\n'));
    assert.equal(m.match(/-->/g)?.length, 3, 'shared steps are drawn once');
    assert.ok(m.includes('{{"cluster-admin equivalent"}}'));
    assert.ok(m.includes('|"use its #quot;cluster-wide#quot; rights"|'));
  });
});
