/** Parses and validates kubeguard.yaml against the shipped JSON schema. Errors name the file and the field. */
import yaml from 'js-yaml';
import type { ExceptionSpec, KubeguardConfig } from '../../engine/config.js';
import { DEFAULT_CONFIG, normaliseConfigSpelling } from '../../engine/config.js';
import { ConfigError } from '../../core/errors.js';
import { schemaErrorsText } from '../../core/schema-errors.js';
import { validateConfigFile } from '../../generated/validate-config.js';
import { KUBERNETES_YAML_SCHEMA } from '../manifests/yaml-schema.js';
import { yamlErrorText } from '../manifests/yaml-documents.js';
import { expiryInstant } from '../../core/datetime.js';

/** Validates against schema/kubeguard.schema.json (compiled ahead of time by scripts/gen-validators.ts). */
function validate(config: unknown, file: string): KubeguardConfig {
  if (!validateConfigFile(config)) throw new ConfigError(`invalid config ${file}: ${schemaErrorsText(validateConfigFile.errors)}`, file);
  const valid = config as KubeguardConfig;
  // The schema checks the shape of a date; whether the day and time exist is checked here (2020-13-45, T99:99).
  (valid.exceptions ?? []).forEach((e, i) => {
    if (e.expires !== undefined && expiryInstant(e.expires) === undefined) {
      throw new ConfigError(`invalid config ${file}: /exceptions/${i}/expires "${e.expires}" is not a real date or time (YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM])`, file);
    }
  });
  return valid;
}

/** Exceptions from elsewhere (a kubeguard server) held to the same schema as `exceptions:` in kubeguard.yaml. */
export function validExceptions(list: unknown, origin: string): ExceptionSpec[] {
  return validate({ exceptions: list }, origin).exceptions ?? [];
}

/** Parses config text (YAML or JSON). */
export function parseConfig(text: string, file: string): KubeguardConfig {
  let value: unknown;
  try {
    // CORE schema: `expires: 2027-03-31` stays the string the schema expects (no Date objects)
    value = yaml.load(text, { schema: KUBERNETES_YAML_SCHEMA });
  } catch (e) {
    // js-yaml's message quotes the offending lines: only the kind and the position are repeated
    throw new ConfigError(`cannot parse config ${file}: ${yamlErrorText(e)}`, file, { cause: e });
  }
  return { ...DEFAULT_CONFIG, ...validate(normaliseConfigSpelling(value ?? {}), file) };
}
