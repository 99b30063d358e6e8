/**
 * Kubernetes' format CEL library (k8s.io/apiserver/pkg/cel/library/format.go; Kubernetes ≥ 1.31):
 * `format.named(name)` and `format.<name>()`, with `<format>.validate(s)` giving optional.none() when valid
 * or optional.of(errors). Validators follow k8s.io/apimachinery/pkg/util/validation.
 */
import { CelOptional, libraryType, type CelObject } from '../values.js';
import { fn, method, overloadError, type Table } from '../std/define.js';
import { parseRequestURI } from './url.js';

const FORMAT_TYPE = libraryType('kubernetes.NamedFormat');

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const SUB = `${LABEL}(\\.${LABEL})*`;
const SUB_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const L1035 = '[a-z]([-a-z0-9]*[a-z0-9])?';
const L1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const QNAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QNAME_MSG = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LVALUE = '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?';
const LVALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}
const maxLen = (n: number): string => `must be no more than ${n} characters`;
const full = (re: string): RegExp => new RegExp(`^${re}$`);

function dns1123Label(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 63) errs.push(maxLen(63));
  if (!full(LABEL).test(s)) errs.push(full(SUB).test(s) ? 'must not contain dots' : regexError(LABEL_MSG, LABEL, 'my-name', '123-abc'));
  return errs;
}
function dns1123Subdomain(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 253) errs.push(maxLen(253));
  if (!full(SUB).test(s)) errs.push(regexError(SUB_MSG, SUB, 'example.com'));
  return errs;
}
function dns1035Label(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 63) errs.push(maxLen(63));
  if (!full(L1035).test(s)) errs.push(regexError(L1035_MSG, L1035, 'my-name', 'abc-123'));
  return errs;
}
function qualifiedName(s: string): string[] {
  const parts = s.split('/');
  let name: string;
  const errs: string[] = [];
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    const [prefix, n] = parts;
    name = n;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...dns1123Subdomain(prefix).map((e) => `prefix part ${e}`));
  } else return [regexError("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", `(${SUB}/)?${QNAME}`, 'MyName', 'my.name', '123-abc') + ' with an optional DNS subdomain prefix and \'/\' (e.g. \'example.com/MyName\')'];
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLen(63)}`);
  if (!full(QNAME).test(name)) errs.push(regexError(QNAME_MSG, QNAME, 'MyName', 'my.name', '123-abc'));
  return errs;
}
function labelValue(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 63) errs.push(maxLen(63));
  if (!full(LVALUE).test(s)) errs.push(regexError(LVALUE_MSG, LVALUE, 'MyValue', 'my_value', '12345'));
  return errs;
}
/** apimachinery maskTrailingDash: a generateName prefix may end with '-' */
const prefix = (f: (s: string) => string[]) => (s: string): string[] => f(s.length > 1 && s.endsWith('-') ? s.slice(0, -2) + 'a' : s);

const UUID = /^(?:[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12})$/i;
const FORMATS: Record<string, (s: string) => string[]> = {
  dns1123Label,
  dns1123Subdomain,
  dns1035Label,
  qualifiedName,
  dns1123LabelPrefix: prefix(dns1123Label),
  dns1123SubdomainPrefix: prefix(dns1123Subdomain),
  dns1035LabelPrefix: prefix(dns1035Label),
  labelValue,
  uri: (s) => {
    try {
      parseRequestURI(s);
      return [];
    } catch (e) {
      return [(e as Error).message];
    }
  },
  uuid: (s) => (UUID.test(s) ? [] : ['does not match the UUID format']),
  byte: (s) => (/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s) ? [] : ['invalid base64']),
  date: (s) => (/^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s + 'T00:00:00Z')) && new Date(s + 'T00:00:00Z').toISOString().startsWith(s) ? [] : ['invalid date']),
  datetime: (s) => (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))) ? [] : ['invalid datetime']),
};

export class CelFormat implements CelObject {
  readonly celType = FORMAT_TYPE;
  constructor(readonly name: string) {}
  celEquals(o: CelObject): boolean {
    return o instanceof CelFormat && o.name === this.name;
  }
}

export function registerFormat(t: Table): void {
  fn(t, 'format.named', 1, (a) => (typeof a[0] !== 'string' ? overloadError('format.named', a) : FORMATS[a[0]] ? CelOptional.of(new CelFormat(a[0])) : CelOptional.NONE));
  for (const name of Object.keys(FORMATS)) fn(t, `format.${name}`, 0, () => new CelFormat(name));
  method(t, 'validate', 1, (a) => {
    if (!(a[0] instanceof CelFormat) || typeof a[1] !== 'string') return overloadError('validate', a);
    const errs = FORMATS[a[0].name](a[1]);
    return errs.length ? CelOptional.of(errs) : CelOptional.NONE;
  }, ([, s]) => Math.ceil((1 + (typeof s === 'string' ? s.length : 1)) * 0.1) * Math.ceil(64 * 0.25));
}
