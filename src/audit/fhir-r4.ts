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

export interface FhirConsentProvision {
  /** The provision id of this service. */
  id?: string;
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
  extension: Extension[];
  identifier: Identifier[];
  status: 'active' | 'inactive';
  scope: CodeableConcept;
  category: CodeableConcept[];
  patient: Reference;
  dateTime: string;
  performer: Reference[];
  organization?: Reference[];
  policy: Array<{ uri: string }>;
  policyRule: CodeableConcept;
  provision: FhirConsentProvision;
}

export interface FhirProvenance {
  resourceType: 'Provenance';
  id: string;
  extension: Extension[];
  target: Reference[];
  occurredDateTime: string;
  recorded: string;
  activity: CodeableConcept;
  reason: CodeableConcept[];
  agent: Array<{ type: CodeableConcept; who: Reference; onBehalfOf?: Reference }>;
}

export type FhirResource = FhirConsent | FhirProvenance;

export interface FhirBundle {
  resourceType: 'Bundle';
  type: 'collection';
  timestamp: string;
  entry: Array<{ fullUrl: string; resource: FhirResource }>;
}
