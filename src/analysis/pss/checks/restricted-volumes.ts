/**
 * restrictedVolumes (restricted, v1.0+). Upstream: policy/check_restrictedVolumes.go.
 * Inline volumes may only be configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim,
 * projected or secret. Replaces hostPathVolumes. Upstream patched `image` into its single 1.0 variant (v1.33 code),
 * so image volumes pass at every policy version.
 */
import { join } from '../../../core/pointer.js';
import { isMap, isSet, joinQuote, listAt, pluralize, sortedUnique, stringAt } from '../fields.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';
import { CHECK_HOST_PATH_VOLUMES } from './host-path-volumes.js';

const ALLOWED_SOURCES = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
] as const;

/** Known restricted sources, in upstream's order of precedence. */
const RESTRICTED_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume',
  'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk',
  'portworxVolume', 'scaleIO', 'storageos',
] as const;

function restrictedVolumes_1_0(pod: PodInput): CheckFailure | undefined {
  const bad: string[] = [];
  const types: string[] = [];
  const fields: PssField[] = [];
  listAt(pod.spec, 'volumes').forEach((v, i) => {
    if (!isMap(v)) return;
    if (ALLOWED_SOURCES.some((s) => isSet(v, s))) return;
    const sourceKeys = Object.keys(v).filter((k) => k !== 'name' && isSet(v, k));
    // A volume without any source is defaulted to emptyDir by the API server (SetDefaults_Volume).
    if (sourceKeys.length === 0) return;
    const type = RESTRICTED_SOURCES.find((s) => isSet(v, s));
    const name = stringAt(v, 'name') ?? '';
    bad.push(name);
    types.push(type ?? 'unknown');
    fields.push({
      path: join(pod.specPath, 'volumes', i, type ?? sourceKeys[0]),
      message: `volume "${name}" uses restricted volume type ${type ?? `unknown (${sourceKeys[0]})`}`,
    });
  });
  if (bad.length === 0) return undefined;
  const typeList = sortedUnique(types);
  return {
    reason: 'restricted volume types',
    detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', typeList.length)} ${joinQuote(typeList)}`,
    fields,
  };
}

export const restrictedVolumes: CheckDefinition = {
  id: 'restrictedVolumes',
  level: 'restricted',
  versions: [{ minimumVersion: 0, check: restrictedVolumes_1_0, overrides: [CHECK_HOST_PATH_VOLUMES] }],
};
