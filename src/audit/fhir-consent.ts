import {
  type ConsentTrailEntry,
  type ExportContext,
  type GivenDetails,
  type Withdrawal,
  type WithdrawnDetails,
  Exporter,
} from './fhir-consent-resources.js';
import type { FhirBundle } from './fhir-r4.js';
import { instant } from './fhir-values.js';

/**
 * A case's consents as an HL7 FHIR R4 `transaction` Bundle a FHIR server can load as it is, mapped
 * from the auditor's consent trail (pure: no Nest, no I/O). The trail is built from an allow-list
 * of non-personal fields, so the export holds no personal data by construction; the person appears
 * only as the case id of this service.
 *
 * Mapping choices:
 * - One `Consent` per ConsentGiven (PUT by its id, so loading a later export again updates it):
 *   scope patient-privacy, category LOINC 59284-0, the owning agency as `organization`, the grantor
 *   as `performer`; grantor, child assent, method, language and interpreter in extensions; the
 *   notice version as `policy.uri`; the signed receipt of the consent as `sourceAttachment`.
 * - `provision` is a base `deny` with one nested `permit` per provision (recipient as IRCP actor,
 *   purpose in this network's code system and, where one is no broader, v3 PurposeOfUse; data
 *   categories as `class`; validity as `period`, exactly as given). Service types narrow a permit,
 *   so they are a modifierExtension: a consumer that does not understand them must not read the
 *   permit as broader than it is.
 * - Withdrawal ends the permit's period at the withdrawal (a reader of the provision alone, without
 *   nested exceptions, shares nothing after it), the agreed period kept in an extension. A consent withdrawn as a whole,
 *   or with every provision withdrawn, is `inactive`; otherwise it stays `active`.
 * - A `Provenance` records the grant and one each withdrawal (who recorded it, for which agency).
 * - Every agency referenced is an `Organization` entry, created only if the server has none with
 *   the agency's identifier (conditional create), so references resolve without overwriting the
 *   server's own record of it.
 * - Best-interests determinations are left out: they are a decision made for a child without the
 *   person's consent, and exporting them as `Consent` would present them as consent to a consumer.
 */

export const FHIR_JSON = 'application/fhir+json';

/** The case's consents, their grants and withdrawals and the agencies they name, as a FHIR R4 transaction stamped `timestamp`. */
export function consentBundle(caseId: string, trail: readonly ConsentTrailEntry[], timestamp: string, context: ExportContext): FhirBundle {
  const exporter = new Exporter(caseId, context);
  const ordered = [...trail].sort((a, b) => a.revision - b.revision);
  const erased = ordered.some((e) => e.type === 'CaseErased');
  const owner = (ordered.find((e) => e.type === 'CaseOpened')?.details as { owningAgencyId?: string } | undefined)?.owningAgencyId;
  const withdrawals = new Map<string, Withdrawal[]>();
  for (const entry of ordered) {
    if (entry.type !== 'ConsentWithdrawn') continue;
    const details = entry.details as WithdrawnDetails;
    withdrawals.set(details.consentId, [...(withdrawals.get(details.consentId) ?? []), { entry, details }]);
  }
  const entries = ordered
    .filter((e) => e.type === 'ConsentGiven')
    .flatMap((entry) => {
      const given = entry.details as GivenDetails;
      const ofConsent = withdrawals.get(given.consentId) ?? [];
      const consent = exporter.consent(given, ofConsent, owner, erased);
      return [
        exporter.put(consent),
        exporter.put(exporter.grant(given, entry)),
        ...ofConsent.map((w) => exporter.put(exporter.withdrawal(given.consentId, w))),
      ];
    });
  // The agencies go first: a reader sees what the references name before the references.
  return { resourceType: 'Bundle', type: 'transaction', timestamp: instant(timestamp), entry: [...exporter.organizations(), ...entries] };
}
