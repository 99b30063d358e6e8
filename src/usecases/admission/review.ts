/**
 * AdmissionReview wire format, admission.k8s.io/v1 and v1beta1 (identical shapes for what we read and write).
 * Reference: https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#request
 * and k8s.io/api/admission/v1/types.go. Parsing is strict about what we rely on and lenient about the rest:
 * a body we cannot interpret is a BadReviewError (HTTP 400), never a crash.
 */
import type { KubeObject } from '../../core/model.js';
import { isJsonMap as isMap } from '../../core/json.js';
import { parseJson } from '../../core/json-error.js';

export const REVIEW_API_VERSIONS = ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1'] as const;
export type ReviewApiVersion = (typeof REVIEW_API_VERSIONS)[number];

export const OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface AdmissionRequest {
  uid: string;
  kind?: GroupVersionKind;
  resource?: { group: string; version: string; resource: string };
  subResource?: string;
  name?: string;
  namespace?: string;
  operation: Operation;
  userInfo?: { username?: string; uid?: string; groups?: string[] };
  object?: KubeObject | null;
  oldObject?: KubeObject | null;
  dryRun?: boolean;
}

export interface ParsedReview {
  apiVersion: ReviewApiVersion;
  request: AdmissionRequest;
}

export interface ReviewStatus {
  code: number;
  message: string;
  reason?: string;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: ReviewStatus;
  warnings?: string[];
  patchType?: 'JSONPatch';
  patch?: string;
  auditAnnotations?: Record<string, string>;
}

export interface AdmissionReviewReply {
  apiVersion: ReviewApiVersion;
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

export class BadReviewError extends Error {
  override name = 'BadReviewError';
}

/** A value from the body, as shown in an error: its JSON, clipped (a 400 reply and its log line stay small). */
function shown(v: unknown): string {
  const text = JSON.stringify(v ?? null) ?? 'null';
  return text.length <= 64 ? text : `${text.slice(0, 63)}…`;
}

function optionalString(req: Record<string, unknown>, key: string): string | undefined {
  const v = req[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new BadReviewError(`request.${key} must be a string`);
  return v;
}

function objectField(req: Record<string, unknown>, key: 'object' | 'oldObject'): KubeObject | null | undefined {
  const v = req[key];
  if (v === undefined || v === null) return v;
  if (!isMap(v)) throw new BadReviewError(`request.${key} must be an object or null`);
  if (v.metadata !== undefined && v.metadata !== null && !isMap(v.metadata)) throw new BadReviewError(`request.${key}.metadata must be an object`);
  return v as KubeObject;
}

/** Parses and checks a request body. Throws BadReviewError with a message that names the offending field. */
export function parseReview(body: string): ParsedReview {
  let value: unknown;
  try {
    value = parseJson(body);
  } catch (e) {
    throw new BadReviewError(`body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isMap(value)) throw new BadReviewError('body must be a JSON object (an AdmissionReview)');
  if (value.kind !== 'AdmissionReview') throw new BadReviewError(`kind must be "AdmissionReview" (got ${shown(value.kind)})`);
  const apiVersion = value.apiVersion;
  if (typeof apiVersion !== 'string' || !(REVIEW_API_VERSIONS as readonly string[]).includes(apiVersion)) {
    throw new BadReviewError(`apiVersion must be one of ${REVIEW_API_VERSIONS.join(', ')} (got ${shown(apiVersion)})`);
  }
  const req = value.request;
  if (!isMap(req)) throw new BadReviewError('request is missing or not an object');
  const uid = req.uid;
  if (typeof uid !== 'string' || uid === '') throw new BadReviewError('request.uid must be a non-empty string');
  const operation = req.operation;
  if (typeof operation !== 'string' || !(OPERATIONS as readonly string[]).includes(operation)) {
    throw new BadReviewError(`request.operation must be one of ${OPERATIONS.join(', ')} (got ${shown(operation)})`);
  }
  const request: AdmissionRequest = { uid, operation: operation as Operation };
  if (isMap(req.kind) && typeof req.kind.kind === 'string') {
    request.kind = { group: String(req.kind.group ?? ''), version: String(req.kind.version ?? ''), kind: req.kind.kind };
  }
  if (isMap(req.resource) && typeof req.resource.resource === 'string') {
    request.resource = { group: String(req.resource.group ?? ''), version: String(req.resource.version ?? ''), resource: req.resource.resource };
  }
  const subResource = optionalString(req, 'subResource');
  if (subResource) request.subResource = subResource;
  const name = optionalString(req, 'name');
  if (name) request.name = name;
  const namespace = optionalString(req, 'namespace');
  if (namespace) request.namespace = namespace;
  if (isMap(req.userInfo)) {
    const u = req.userInfo;
    request.userInfo = {
      ...(typeof u.username === 'string' && { username: u.username }),
      ...(Array.isArray(u.groups) && { groups: u.groups.filter((g): g is string => typeof g === 'string') }),
    };
  }
  if (req.dryRun !== undefined && req.dryRun !== null && typeof req.dryRun !== 'boolean') throw new BadReviewError('request.dryRun must be a boolean');
  if (req.dryRun === true) request.dryRun = true;
  request.object = objectField(req, 'object');
  request.oldObject = objectField(req, 'oldObject');
  if ((operation === 'CREATE' || operation === 'UPDATE') && !request.object) {
    throw new BadReviewError(`request.object is required for ${operation}`);
  }
  return { apiVersion: apiVersion as ReviewApiVersion, request };
}

export function reviewReply(apiVersion: ReviewApiVersion, response: AdmissionResponse): AdmissionReviewReply {
  return { apiVersion, kind: 'AdmissionReview', response };
}
