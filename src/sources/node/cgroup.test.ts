import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { containerOfCgroupFile, containerOfCgroupPath } from './cgroup.js';
import type { CgroupContainer } from './cgroup.js';

const ID = 'a3f1c5e2b4d6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081';
const UID = '0f4c2a4e-9a7b-4c8e-8d2b-5e6f7a8b9c0d';
const UID_ = UID.replace(/-/g, '_');

describe('containerOfCgroupPath', () => {
  const cases: [string, string, Partial<CgroupContainer>][] = [
    ['cgroupfs, containerd', `/kubepods/besteffort/pod${UID}/${ID}`, { podUid: UID, containerId: ID, qos: 'besteffort', layout: 'cgroupfs', runtime: undefined }],
    ['cgroupfs, guaranteed pod', `/kubepods/pod${UID}/${ID}`, { podUid: UID, containerId: ID, qos: 'guaranteed' }],
    ['cgroupfs, CRI-O', `/kubepods/burstable/pod${UID}/crio-${ID}`, { podUid: UID, containerId: ID, runtime: 'cri-o', qos: 'burstable' }],
    ['systemd, containerd', `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/cri-containerd-${ID}.scope`, { podUid: UID, containerId: ID, runtime: 'containerd', qos: 'burstable', layout: 'systemd' }],
    ['systemd, guaranteed', `/kubepods.slice/kubepods-pod${UID_}.slice/cri-containerd-${ID}.scope`, { podUid: UID, containerId: ID, qos: 'guaranteed', layout: 'systemd' }],
    ['systemd, CRI-O on v2 with its container child', `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID_}.slice/crio-${ID}.scope/container`, { podUid: UID, containerId: ID, runtime: 'cri-o' }],
    ['systemd, cri-dockerd', `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID_}.slice/docker-${ID}.scope`, { containerId: ID, runtime: 'docker' }],
    ['kind: under kubelet.slice', `/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod${UID_}.slice/cri-containerd-${ID}.scope`, { containerId: ID }],
    ['a kubelet tree under a parent cgroup (node in a container)', `/docker/${'b'.repeat(64)}/kubepods/besteffort/pod${UID}/${ID}`, { podUid: UID, containerId: ID }],
    ['pod cgroup itself (no container)', `/kubepods/besteffort/pod${UID}`, { podUid: UID, containerId: undefined }],
    ['a runtime container outside Kubernetes', `/system.slice/docker-${ID}.scope`, { podUid: undefined, containerId: ID, runtime: 'docker' }],
  ];
  for (const [name, path, want] of cases) {
    it(name, () => {
      const got = containerOfCgroupPath(path, 1);
      assert.ok(got, path);
      for (const [k, v] of Object.entries(want)) assert.equal(got[k as keyof typeof got], v, `${k} of ${path}`);
    });
  }
  it('host processes and look-alikes are not containers', () => {
    assert.equal(containerOfCgroupPath('/user.slice/user-0.slice/session-1.scope', 2), undefined);
    assert.equal(containerOfCgroupPath('/', 2), undefined);
    assert.equal(containerOfCgroupPath(`/system.slice/${ID}`, 1), undefined, 'a bare 64-hex name outside a pod');
    assert.equal(containerOfCgroupPath(`/kubepods/besteffort/podnot-a-uid/${ID}`, 1), undefined);
    assert.equal(containerOfCgroupPath(`/kubepods.slice/kubepods-besteffort-pod${UID_}.slice/crio-conmon-${ID}.scope`, 2), undefined, "CRI-O's monitor");
  });
});

describe('containerOfCgroupFile', () => {
  it('cgroup v2: the unified line', () => {
    const got = containerOfCgroupFile(`0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID_}.slice/cri-containerd-${ID}.scope\n`);
    assert.equal(got?.version, 2);
    assert.equal(got?.containerId, ID);
  });
  it('cgroup v1 (hybrid): a controller line names the container when the unified line does not', () => {
    const text = [`12:pids:/kubepods/besteffort/pod${UID}/${ID}`, '11:name=systemd:/user.slice', '1:cpu,cpuacct:/', '0::/'].join('\n');
    const got = containerOfCgroupFile(text);
    assert.equal(got?.version, 1);
    assert.equal(got?.containerId, ID);
    assert.equal(got?.podUid, UID);
  });
  it('a path holding ":" is read whole', () => {
    assert.equal(containerOfCgroupFile(`0::/odd:name/kubepods/pod${UID}/${ID}`)?.containerId, ID);
  });
  it('a host process has no container', () => {
    assert.equal(containerOfCgroupFile('0::/init.scope\n'), undefined);
    assert.equal(containerOfCgroupFile(''), undefined);
  });
});
