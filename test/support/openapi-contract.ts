import { expect } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Ajv, type ValidateFunction } from 'ajv/dist/ajv.js';
import addFormats from 'ajv-formats';

/** What a response must be to match the document: the status listed, and a body of its media type's schema. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | undefined>;
  readonly body: unknown;
  readonly text: string;
}

type Responses = Record<string, { $ref?: string; content?: Record<string, { schema?: object }> }>;

/** `/cases/:caseId` as the document writes it: `/cases/{caseId}`. */
export const documentPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

/**
 * Checks real answers against the OpenAPI document the service serves: each status an operation gives
 * must be one it documents (or its `default`), under the media type it documents, and a JSON body
 * must validate against the documented schema. What the typed client of the screens trusts.
 */
export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenAPIObject) {
    // `nullable` is OpenAPI 3.0's own keyword, which Ajv knows; `components` rides along so that $refs resolve.
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(this.ajv);
  }

  /** The documented response of an operation for a status (following a `$ref` to components), else its default. */
  response(method: string, expressPath: string, status: number) {
    const operation = (this.document.paths[documentPath(expressPath)] as Record<string, { responses: Responses }> | undefined)?.[
      method.toLowerCase()
    ];
    if (!operation) throw new Error(`${method} ${expressPath} is not in the OpenAPI document`);
    const found = operation.responses[String(status)] ?? operation.responses.default;
    if (!found?.$ref) return found;
    const name = found.$ref.replace('#/components/responses/', '');
    return (this.document.components?.responses as Responses)[name];
  }

  /** Fails unless the answer is documented: its status, media type and (JSON) body. */
  expectDocumented(method: string, expressPath: string, answer: Answer): void {
    const where = `${method} ${expressPath} -> ${answer.status}`;
    const documented = this.response(method, expressPath, answer.status);
    expect({ where, documented: documented !== undefined }).toEqual({ where, documented: true });
    if (answer.status === 204 || answer.status === 304) return;
    const mediaType = (answer.headers['content-type'] ?? '').split(';')[0]!.trim();
    const content = documented!.content ?? {};
    expect({ where, mediaType: mediaType in content ? mediaType : Object.keys(content) }).toEqual({ where, mediaType });
    const schema = content[mediaType]!.schema;
    if (!schema || !mediaType.endsWith('json')) return;
    const key = `${where} ${mediaType}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile({ ...schema, components: this.document.components });
      this.compiled.set(key, validate);
    }
    const valid = validate(answer.body);
    // The errors name paths and rules, never the values (which may be personal data).
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    expect({ where, valid, errors: valid ? [] : errors }).toEqual({ where, valid: true, errors: [] });
  }
}
