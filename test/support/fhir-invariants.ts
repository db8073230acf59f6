import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4/index.js';

/**
 * The FHIRPath invariants of the official HL7 FHIR R4 StructureDefinitions (as shipped in the npm
 * package hl7.fhir.r4.examples 4.0.1), evaluated with fhirpath.js and its R4 model: a resource (a
 * Bundle and its entries included) is walked element by element, and every `constraint.expression`
 * of the element's definition and of its type's StructureDefinition is evaluated on it, as the HL7
 * validator does. `false` breaks the invariant; an empty result keeps it (ref-1 on a Reference that
 * names an identifier, not a `reference`, is empty, and valid); an expression fhirpath.js cannot
 * evaluate is an error, never a pass.
 */

export interface InvariantIssue {
  readonly severity: 'error' | 'warning';
  readonly key: string;
  /** Where in the instance, e.g. `Bundle.entry[1].resource/*Consent/c1*\/.provision[0].period`. */
  readonly location: string;
  readonly human: string;
}

interface Constraint {
  key: string;
  severity: 'error' | 'warning';
  human: string;
  expression?: string;
}
interface ElementDefinition {
  path: string;
  type?: Array<{ code: string }>;
  contentReference?: string;
  constraint?: Constraint[];
}
interface StructureDefinition {
  type: string;
  kind: 'primitive-type' | 'complex-type' | 'resource' | 'logical';
  snapshot: { element: ElementDefinition[] };
}

const PACKAGE = dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'));
const definitions = new Map<string, StructureDefinition | undefined>();

function definition(type: string): StructureDefinition | undefined {
  if (!definitions.has(type)) {
    let sd: StructureDefinition | undefined;
    try {
      sd = JSON.parse(readFileSync(join(PACKAGE, `StructureDefinition-${type}.json`), 'utf8')) as StructureDefinition;
    } catch {
      sd = undefined;
    }
    definitions.set(type, sd);
  }
  return definitions.get(type);
}

/** The path of the official example resources: `Consent-consent-example-basic.json` and so on. */
export function officialExample(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(PACKAGE, file), 'utf8')) as Record<string, unknown>;
}

/** Every invariant `resource` breaks, errors and warnings; empty when it keeps them all. */
export function fhirInvariantIssues(resource: Record<string, unknown>): InvariantIssue[] {
  const issues: InvariantIssue[] = [];
  checkResource(resource, resource, String(resource.resourceType), issues);
  return issues;
}

interface Env {
  resource: unknown;
  rootResource: unknown;
}

function checkResource(resource: Record<string, unknown>, rootResource: unknown, location: string, issues: InvariantIssue[]): void {
  const type = String(resource.resourceType);
  const sd = definition(type);
  if (sd?.kind !== 'resource') {
    issues.push({ severity: 'error', key: 'type', location, human: `unknown resource type ${type}` });
    return;
  }
  walk(resource, sd, type, [], location, { resource, rootResource }, issues);
}

function walk(
  node: unknown,
  sd: StructureDefinition,
  path: string,
  extra: readonly Constraint[],
  location: string,
  env: Env,
  issues: InvariantIssue[],
): void {
  const element = sd.snapshot.element.find((e) => e.path === path);
  const seen = new Set<string>();
  for (const constraint of [...(element?.constraint ?? []), ...extra]) {
    if (!constraint.expression || seen.has(constraint.key)) continue;
    seen.add(constraint.key);
    evaluate(node, path, constraint, location, env, issues);
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    // Primitive extensions (`_status`) carry no invariant of their own beyond ext-1, not used here.
    if (key === 'resourceType' || key.startsWith('_')) continue;
    const child = childOf(sd, path, key);
    if (!child) {
      issues.push({ severity: 'error', key: 'structure', location: `${location}.${key}`, human: `no element ${path}.${key}` });
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    values.forEach((item, index) => {
      const at = `${location}.${key}${Array.isArray(value) ? `[${index}]` : ''}`;
      visit(item, sd, child, at, env, issues);
    });
  }
}

function visit(
  item: unknown,
  sd: StructureDefinition,
  { definition: def, type }: { definition: ElementDefinition; type: string | undefined },
  location: string,
  env: Env,
  issues: InvariantIssue[],
): void {
  const own = def.constraint ?? [];
  if (def.contentReference) {
    walk(item, sd, def.contentReference.slice(1), own, location, env, issues);
    return;
  }
  if (type === 'Resource' || definition(type ?? '')?.kind === 'resource') {
    const resource = item as Record<string, unknown>;
    // A Bundle's entry is its own root; a contained resource's root is the one containing it.
    const root = def.path.endsWith('.contained') ? env.rootResource : resource;
    for (const constraint of own) evaluate(item, def.path, constraint, location, env, issues);
    checkResource(resource, root, `${location}/*${String(resource.resourceType)}/${String(resource.id)}*/`, issues);
    return;
  }
  if (!type || type === 'BackboneElement' || type === 'Element') {
    walk(item, sd, def.path, [], location, env, issues);
    return;
  }
  const typeSd = definition(type);
  if (typeSd?.kind === 'complex-type') {
    // The type's constraints and the element's own where it is used, each key once (ext-1 is in both).
    walk(item, typeSd, type, own, location, env, issues);
    return;
  }
  for (const constraint of own) evaluate(item, def.path, constraint, location, env, issues);
}

/** The definition of `key` under `path`, a choice (`value[x]` as `valueCoding`) resolved to its type. */
function childOf(sd: StructureDefinition, path: string, key: string) {
  const exact = sd.snapshot.element.find((e) => e.path === `${path}.${key}`);
  if (exact) return { definition: exact, type: exact.type?.length === 1 ? exact.type[0]!.code : undefined };
  for (const e of sd.snapshot.element) {
    if (!e.path.endsWith('[x]') || !e.path.startsWith(`${path}.`)) continue;
    const stem = e.path.slice(path.length + 1, -3);
    if (!key.startsWith(stem)) continue;
    const suffix = key.slice(stem.length);
    const type = e.type?.find((t) => t.code.toLowerCase() === suffix.toLowerCase());
    if (type) return { definition: e, type: type.code };
  }
  return undefined;
}

function evaluate(node: unknown, base: string, constraint: Constraint, location: string, env: Env, issues: InvariantIssue[]): void {
  const fail = (human: string) => issues.push({ severity: constraint.severity, key: constraint.key, location, human });
  // A primitive handed to fhirpath.js alone loses its value when it is `false` or `0`, and xhtml is
  // no primitive to it, so hasValue() would be false on every narrative div: in JSON a primitive
  // has its value when it is there (the div's content is what txt-1 and txt-2 check).
  if (constraint.key === 'ele-1' && (node === null || typeof node !== 'object')) {
    if (node === null || node === undefined || node === '') fail(constraint.human);
    return;
  }
  try {
    const result = fhirpath.evaluate(node, { base, expression: constraint.expression! }, { ...env }, r4, {
      async: false,
      // trace() in ref-1 and dom-3 would otherwise write to the console.
      traceFn: () => undefined,
    });
    if (!result.every((value) => value === true)) fail(constraint.human);
  } catch (error) {
    fail(`${constraint.human} (could not be evaluated: ${(error as Error).message})`);
  }
}
