/** The errors of a JSON-schema validator (ajv's shape), as one line naming each field: "prefix/path message; …". */
export interface SchemaError {
  instancePath: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

export function schemaErrorsText(errors: readonly SchemaError[] | null | undefined, prefix = ''): string {
  return (errors ?? []).map((e) => `${prefix}${e.instancePath}`.replace(/^$/, '/') + ` ${e.message ?? 'is invalid'}${detail(e)}`).join('; ');
}

/** What ajv's message leaves out: which property is not allowed, which values are. */
function detail(e: SchemaError): string {
  if (e.keyword === 'additionalProperties' && typeof e.params?.additionalProperty === 'string') return ` ("${e.params.additionalProperty}")`;
  if (e.keyword === 'enum' && Array.isArray(e.params?.allowedValues)) return ` (${e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
  return '';
}
