import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readFileSync, readdirSync } from 'node:fs';

/** The vendored official schemas (see hsds/README.md); `npm run build` copies the folder beside the compiled code. */
const SCHEMA_DIR = new URL('./hsds/schema/', import.meta.url);
/** Where the schemas are published: their relative $refs ("attribute.json") resolve against it. */
const BASE_URI = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/';
/** Keywords the HSDS schemas carry for their tabular (CSV) form and documentation; they constrain nothing in JSON. */
const ANNOTATIONS = ['name', 'path', 'constraints', 'example', 'core', 'datapackage_metadata', 'datapackage_type', 'tabular_required'];

export const HSDS_KINDS = ['organization', 'service', 'location', 'service_at_location', 'taxonomy', 'taxonomy_term'] as const;
export type HsdsKind = (typeof HSDS_KINDS)[number];

/** One complaint of a schema: where (a JSON pointer into the record) and what, never the value found there. */
export interface SchemaViolation {
  readonly field: string;
  readonly message: string;
}

const violation = (error: ErrorObject): SchemaViolation => {
  const params = error.params as { missingProperty?: string; allowedValues?: unknown[] };
  if (error.keyword === 'required') return { field: `${error.instancePath}/${params.missingProperty}`, message: 'is required' };
  if (error.keyword === 'enum') return { field: error.instancePath, message: `must be one of: ${params.allowedValues?.join(', ')}` };
  return { field: error.instancePath || '/', message: error.message ?? error.keyword };
};

/**
 * The HSDS 3.0 JSON schemas (OpenAPI 3.1, hence JSON Schema 2020-12), compiled once with their
 * $refs resolved. Strict: a keyword the validator does not know fails the compilation instead of
 * being ignored; the HSDS annotation keywords are declared as such.
 */
export class HsdsSchemas {
  private tabular?: HsdsSchemas;

  private constructor(
    private readonly validators: Readonly<Record<HsdsKind, ValidateFunction>>,
    private readonly directory: URL,
  ) {}

  /** `coerce`: values of the tabular (CSV) form are text, so a number where text is due is read as text (ajv coerceTypes, in place). */
  static load(directory: URL = SCHEMA_DIR, coerce = false): HsdsSchemas {
    const ajv = new Ajv2020({ strict: true, allErrors: true, coerceTypes: coerce });
    addFormats.default(ajv);
    ajv.addVocabulary(ANNOTATIONS);
    for (const file of readdirSync(directory).filter((f) => f.endsWith('.json'))) {
      ajv.addSchema(JSON.parse(readFileSync(new URL(file, directory), 'utf8')) as object, `${BASE_URI}${file}`);
    }
    const compile = (kind: HsdsKind) => {
      const validate = ajv.getSchema(`${BASE_URI}${kind}.json`);
      if (!validate) throw new Error(`the HSDS schema ${kind}.json is missing`);
      return validate;
    };
    return new HsdsSchemas(
      Object.fromEntries(HSDS_KINDS.map((kind) => [kind, compile(kind)])) as Record<HsdsKind, ValidateFunction>,
      directory,
    );
  }

  violations(kind: HsdsKind, record: unknown, tabular = false): SchemaViolation[] {
    // Compiled on first use: most imports are JSON.
    const validate = tabular ? (this.tabular ??= HsdsSchemas.load(this.directory, true)).validators[kind] : this.validators[kind];
    return validate(record) ? [] : (validate.errors ?? []).map(violation);
  }
}
