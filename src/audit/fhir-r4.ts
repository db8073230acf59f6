/** The subset of HL7 FHIR R4 resources the consent export uses. */

export interface Coding {
  system: string;
  code: string;
  display?: string;
}
export interface CodeableConcept {
  coding: Coding[];
  text?: string;
}
export interface Identifier {
  system: string;
  value: string;
}
export interface Extension {
  url: string;
  valueBoolean?: boolean;
  valueCode?: string;
  valueString?: string;
  valueCoding?: Coding;
  valuePeriod?: Period;
}
export interface Reference {
  reference?: string;
  type?: string;
  identifier?: Identifier;
  display?: string;
  extension?: Extension[];
}
export interface Period {
  start: string;
  end?: string;
}
/** Human-readable summary: `div` is XHTML in a `<div xmlns="http://www.w3.org/1999/xhtml">`. */
export interface Narrative {
  status: 'generated';
  div: string;
}
export interface Attachment {
  contentType: string;
  /** Base64. */
  data: string;
  /** Base64 of the SHA-1 of the data. */
  hash: string;
  title: string;
  creation: string;
}

export interface FhirConsentProvision {
  /** The provision id of this service. */
  id?: string;
  extension?: Extension[];
  modifierExtension?: Extension[];
  type: 'deny' | 'permit';
  period?: Period;
  actor?: Array<{ role: CodeableConcept; reference: Reference }>;
  purpose?: Coding[];
  class?: Coding[];
  provision?: FhirConsentProvision[];
}

export interface FhirConsent {
  resourceType: 'Consent';
  id: string;
  text: Narrative;
  extension: Extension[];
  identifier: Identifier[];
  status: 'active' | 'inactive';
  scope: CodeableConcept;
  category: CodeableConcept[];
  patient: Reference;
  dateTime: string;
  performer: Reference[];
  organization?: Reference[];
  sourceAttachment?: Attachment;
  policy: Array<{ uri: string }>;
  policyRule: CodeableConcept;
  provision: FhirConsentProvision;
}

export interface FhirProvenance {
  resourceType: 'Provenance';
  id: string;
  text: Narrative;
  extension?: Extension[];
  target: Reference[];
  occurredDateTime: string;
  recorded: string;
  activity: CodeableConcept;
  reason: CodeableConcept[];
  agent: Array<{ type: CodeableConcept; who: Reference; onBehalfOf?: Reference }>;
}

/** An agency; sent without an id, as a conditional create on its identifier. */
export interface FhirOrganization {
  resourceType: 'Organization';
  text: Narrative;
  identifier: Identifier[];
  name?: string;
}

export type FhirResource = FhirConsent | FhirProvenance | FhirOrganization;

export interface BundleEntry {
  fullUrl: string;
  resource: FhirResource;
  request: { method: 'PUT' | 'POST'; url: string; ifNoneExist?: string };
}

export interface FhirBundle {
  resourceType: 'Bundle';
  type: 'transaction';
  timestamp: string;
  entry: BundleEntry[];
}
