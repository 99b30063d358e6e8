/** Reads and validates kubeguard.yaml against the shipped JSON schema. Errors name the file and the field. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { Ajv } from 'ajv';
import type { KubeguardConfig } from '../../engine/config.js';
import { DEFAULT_CONFIG } from '../../engine/config.js';
import { ConfigError, errorMessage } from '../../core/errors.js';
import { KUBERNETES_YAML_SCHEMA } from '../manifests/yaml-schema.js';

export const CONFIG_FILE_NAMES = ['kubeguard.yaml', 'kubeguard.yml', '.kubeguard.yaml'];

const schemaPath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schema', 'kubeguard.schema.json');
let validator: ReturnType<Ajv['compile']> | undefined;

function validate(config: unknown, file: string): KubeguardConfig {
  validator ??= new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  if (!validator(config)) {
    const details = (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new ConfigError(`invalid config ${file}: ${details}`, file);
  }
  return config as KubeguardConfig;
}

/** Parses config text (YAML or JSON). */
export function parseConfig(text: string, file: string): KubeguardConfig {
  let value: unknown;
  try {
    // CORE schema: `expires: 2027-03-31` stays the string the schema expects (no Date objects)
    value = yaml.load(text, { schema: KUBERNETES_YAML_SCHEMA });
  } catch (e) {
    throw new ConfigError(`cannot parse config ${file}: ${errorMessage(e)}`, file, { cause: e });
  }
  return { ...DEFAULT_CONFIG, ...validate(value ?? {}, file) };
}

/** The explicit file, else the first kubeguard.yaml in the working directory, else defaults. */
export function loadConfig(explicit?: string, cwd = process.cwd()): { config: KubeguardConfig; file?: string } {
  const file = explicit ?? CONFIG_FILE_NAMES.map((n) => join(cwd, n)).find((p) => existsSync(p));
  if (!file) return { config: { ...DEFAULT_CONFIG } };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config ${file}: ${errorMessage(e)}`, file, { cause: e });
  }
  return { config: parseConfig(text, file), file };
}
