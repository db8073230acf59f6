import type { components, paths } from './schema';

/** The API's bodies and codes as the generated client types them, named once for the caseworker's screens. */
type Schemas = components['schemas'];

export type OpenCaseBody = Schemas['OpenCaseDto'];
export type GiveConsentBody = Schemas['GiveConsentDto'];
export type ProvisionBody = Schemas['ProvisionDto'];
export type Indicator = OpenCaseBody['indicators'][number];
export type AgeGroup = OpenCaseBody['ageGroup'];
export type Source = OpenCaseBody['source'];
export type Sex = Schemas['DemographicsDto']['sex'];
export type AgeBand = Schemas['DemographicsDto']['ageBand'];
export type Purpose = ProvisionBody['purpose'];
export type ServiceType = NonNullable<ProvisionBody['serviceTypes']>[number];
export type Category = ProvisionBody['categories'][number];
export type SafetyFlag = Schemas['RaiseSafetyFlagDto']['flag'];
export type InterruptReason = Schemas['InterruptCaseDto']['reason'];
export type CloseReason = Schemas['CloseCaseDto']['reason'];
export type ScreeningOutcome = Schemas['RecordScreeningDto']['outcome'];
export type IdentificationOutcome = Schemas['RecordIdentificationDto']['outcome'];
export type RiskLevel = Schemas['AssessSafetyDto']['riskLevel'];
export type Urgency = NonNullable<Schemas['RequestReferralDto']['urgency']>;
export type AgencyKind = paths['/directory/agencies']['get']['responses'][200]['content']['application/json'][number]['kind'];

/** Every code of a union, listed once, so that a form offers each the API accepts and the compiler notices a new one. */
export const codes = <T extends string>(table: Record<T, unknown>): T[] => Object.keys(table) as T[];

/** GET /cases/{caseId}/referral-suggestions, and the codes its sentences are worded from. */
export type ReferralSuggestions = paths['/cases/{caseId}/referral-suggestions']['get']['responses'][200]['content']['application/json'];
type Suggestion = ReferralSuggestions['suggestions'][number];
export type EligibilityGap = ReferralSuggestions['notEligible'][number]['eligibilityGapCodes'][number];
export type Unavailable = NonNullable<Suggestion['unavailable']>;
export type ConsentNeeded = NonNullable<Suggestion['consent']['neededBasis']>;
