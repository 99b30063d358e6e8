/** The errors of a JSON-schema validator (ajv's shape), as one line naming each field: "prefix/path message; …". */
export interface SchemaError {
  instancePath: string;
  message?: string;
}

export function schemaErrorsText(errors: readonly SchemaError[] | null | undefined, prefix = ''): string {
  return (errors ?? []).map((e) => `${prefix}${e.instancePath}`.replace(/^$/, '/') + ` ${e.message ?? 'is invalid'}`).join('; ');
}
