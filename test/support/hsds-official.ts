import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HsdsDirectory } from '../../src/directory/hsds.js';

/** The official compiled (self-contained) HSDS 3.0 schemas, where ../shared is beside the repository; a clean clone may not have it. */
const COMPILED = join(process.cwd(), '../shared/standards/hsds/schema/compiled');
const COMPILED_FOR = { organizations: 'organization', services: 'service', service_at_locations: 'service_at_location' } as const;
/** HSDS's keywords for its tabular form and documentation. */
const ANNOTATIONS = ['name', 'path', 'constraints', 'example', 'core', 'datapackage_metadata', 'datapackage_type', 'tabular_required'];

let validators: Promise<Record<keyof typeof COMPILED_FOR, ValidateFunction>> | undefined;

/**
 * Checks the export against the compiled schemas as published, independently of the app's own
 * validator (which resolves the vendored per-object schemas' $refs). Compiling them takes seconds: once.
 */
export async function officialSchemaViolations(hsds: HsdsDirectory): Promise<string[]> {
  if (!existsSync(COMPILED)) {
    console.info('../shared/standards/hsds is not beside the repository: the export is checked against the vendored schemas only.');
    return [];
  }
  validators ??= (async () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats.default(ajv);
    ajv.addVocabulary(ANNOTATIONS);
    const entries = await Promise.all(
      Object.entries(COMPILED_FOR).map(
        async ([collection, kind]) =>
          [collection, ajv.compile(JSON.parse(await readFile(join(COMPILED, `${kind}.json`), 'utf8')) as object)] as const,
      ),
    );
    return Object.fromEntries(entries) as Record<keyof typeof COMPILED_FOR, ValidateFunction>;
  })();
  const compiled = await validators;
  return (Object.keys(COMPILED_FOR) as Array<keyof typeof COMPILED_FOR>).flatMap((collection) =>
    (hsds[collection] as unknown[]).flatMap((record, index) =>
      compiled[collection](record)
        ? []
        : (compiled[collection].errors ?? []).map((e) => `${collection}[${index}]${e.instancePath}: ${e.message}`),
    ),
  );
}
