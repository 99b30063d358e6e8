/**
 * Validation of the `admission:` section. The webhook validates the section itself too, so it never runs on a
 * config it misunderstands. The validator is compiled ahead of time (scripts/gen-validators.ts).
 */
import { ConfigError } from '../../core/errors.js';
import { schemaErrorsText } from '../../core/schema-errors.js';
import { validateAdmissionSection } from '../../generated/validate-admission.js';
import type { AdmissionConfig } from './config.js';

export { ADMISSION_SCHEMA } from './admission-schema.js';

/** Validates the `admission:` section; undefined means defaults. */
export function parseAdmissionConfig(value: unknown, file?: string): AdmissionConfig {
  if (value === undefined || value === null) return {};
  if (!validateAdmissionSection(value)) {
    throw new ConfigError(`invalid admission settings${file ? ` in ${file}` : ''}: ${schemaErrorsText(validateAdmissionSection.errors, 'admission')}`, file);
  }
  return value as AdmissionConfig;
}
