/**
 * Kubernetes' authz CEL library (k8s.io/apiserver/pkg/cel/library/authz.go): `authorizer.group(g).resource(r)
 * [.subresource(s)][.namespace(n)][.name(x)].check(verb)`, `authorizer.path(p).check(verb)`,
 * `authorizer.serviceAccount(ns, name)…`, `authorizer.requestResource.check(verb)`, and on the decision
 * `allowed()`, `reason()`, `errored()`, `error()`. Who is asked is supplied by the caller (kubeguard answers from
 * its RBAC analysis of the objects it has), so this library stays free of any authorizer of its own.
 */
import { libraryType, type CelObject, type Value } from '../values.js';
import { method, overloadError, type Table } from '../std/define.js';

export interface AuthzQuestion {
  user: { name: string; groups: string[] };
  verb: string;
  /** resource requests */
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** non-resource requests */
  path?: string;
}
export type AuthzAnswer = { allowed: boolean; reason: string } | { error: string };
export type Authorize = (q: AuthzQuestion) => AuthzAnswer;

const AUTHORIZER = libraryType('kubernetes.authorization.Authorizer');
const PATH = libraryType('kubernetes.authorization.PathCheck');
const GROUP = libraryType('kubernetes.authorization.GroupCheck');
const RESOURCE = libraryType('kubernetes.authorization.ResourceCheck');
const DECISION = libraryType('kubernetes.authorization.Decision');

abstract class Base implements CelObject {
  abstract readonly celType: ReturnType<typeof libraryType>;
  celEquals(o: CelObject): boolean {
    return o === this;
  }
}

export class CelAuthorizer extends Base {
  readonly celType = AUTHORIZER;
  constructor(
    readonly authorize: Authorize,
    readonly user: AuthzQuestion['user'],
    /** the request's own resource, for `requestResource` */
    private readonly request?: Omit<AuthzQuestion, 'user' | 'verb'>,
  ) {
    super();
  }
  celField(name: string): Value | undefined {
    if (name === 'requestResource' && this.request) return new CelResourceCheck(this, { ...this.request });
    return undefined;
  }
}
class CelPathCheck extends Base {
  readonly celType = PATH;
  constructor(
    readonly a: CelAuthorizer,
    readonly path: string,
  ) {
    super();
  }
}
class CelGroupCheck extends Base {
  readonly celType = GROUP;
  constructor(
    readonly a: CelAuthorizer,
    readonly group: string,
  ) {
    super();
  }
}
class CelResourceCheck extends Base {
  readonly celType = RESOURCE;
  constructor(
    readonly a: CelAuthorizer,
    readonly q: Omit<AuthzQuestion, 'user' | 'verb'>,
  ) {
    super();
  }
}
class CelDecision extends Base {
  readonly celType = DECISION;
  constructor(readonly answer: AuthzAnswer) {
    super();
  }
}

export function registerAuthz(t: Table): void {
  const str = (name: string, a: Value[], i: number): string => (typeof a[i] === 'string' ? (a[i] as string) : overloadError(name, a));
  method(t, 'path', 1, (a) => (a[0] instanceof CelAuthorizer ? new CelPathCheck(a[0], str('path', a, 1)) : overloadError('path', a)), () => 1);
  method(t, 'group', 1, (a) => (a[0] instanceof CelAuthorizer ? new CelGroupCheck(a[0], str('group', a, 1)) : overloadError('group', a)), () => 1);
  method(t, 'serviceAccount', 2, (a) => {
    if (!(a[0] instanceof CelAuthorizer)) return overloadError('serviceAccount', a);
    const ns = str('serviceAccount', a, 1);
    const name = str('serviceAccount', a, 2);
    return new CelAuthorizer(a[0].authorize, { name: `system:serviceaccount:${ns}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] });
  }, () => 1);
  method(t, 'resource', 1, (a) => (a[0] instanceof CelGroupCheck ? new CelResourceCheck(a[0].a, { group: a[0].group, resource: str('resource', a, 1) }) : overloadError('resource', a)), () => 1);
  for (const field of ['subresource', 'namespace', 'name'] as const) {
    method(t, field, 1, (a) => (a[0] instanceof CelResourceCheck ? new CelResourceCheck(a[0].a, { ...a[0].q, [field]: str(field, a, 1) }) : overloadError(field, a)), () => 1);
  }
  // check: Kubernetes prices an authorization check at 350,000 cost units (library/cost.go)
  method(t, 'check', 1, (a) => {
    const verb = str('check', a, 1);
    if (a[0] instanceof CelResourceCheck) return new CelDecision(a[0].a.authorize({ user: a[0].a.user, verb, ...a[0].q }));
    if (a[0] instanceof CelPathCheck) return new CelDecision(a[0].a.authorize({ user: a[0].a.user, verb, path: a[0].path }));
    return overloadError('check', a);
  }, () => 350_000);
  const d = (name: string, a: Value[]): AuthzAnswer => (a[0] instanceof CelDecision ? a[0].answer : overloadError(name, a));
  method(t, 'allowed', 0, (a) => {
    const x = d('allowed', a);
    return 'allowed' in x && x.allowed;
  }, () => 1);
  method(t, 'reason', 0, (a) => {
    const x = d('reason', a);
    return 'reason' in x ? x.reason : '';
  }, () => 1);
  method(t, 'errored', 0, (a) => 'error' in d('errored', a), () => 1);
  method(t, 'error', 0, (a) => {
    const x = d('error', a);
    return 'error' in x ? x.error : '';
  }, () => 1);
}
