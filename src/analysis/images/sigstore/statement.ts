/**
 * in-toto attestation framework Statement (in-toto/attestation spec/v1/statement.md; v0.1 is the same shape):
 * `_type`, `subject` (name + digest map), `predicateType` (a URI), `predicate` (any JSON object).
 */
export const STATEMENT_TYPES = ['https://in-toto.io/Statement/v1', 'https://in-toto.io/Statement/v0.1'];

export interface Statement {
  _type: string;
  subject: { name?: string; digest: Record<string, string> }[];
  predicateType: string;
  predicate: Record<string, unknown>;
}

/** The statement in a DSSE payload, or undefined when it is not one. */
export function parseStatement(payload: Buffer): Statement | undefined {
  let v: unknown;
  try {
    v = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  const s = v as Partial<Statement> | null;
  if (!s || typeof s !== 'object' || !STATEMENT_TYPES.includes(String(s._type)) || typeof s.predicateType !== 'string' || !Array.isArray(s.subject)) return undefined;
  const predicate = s.predicate && typeof s.predicate === 'object' && !Array.isArray(s.predicate) ? s.predicate : {};
  return { _type: s._type!, subject: s.subject, predicateType: s.predicateType, predicate };
}
