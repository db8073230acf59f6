import { type Catalogue, wordsOf } from './i18n';
import { CASE_RECORD } from './messages/case-record';
import { CODES } from './messages/codes';

/** The keys of a catalogue whose values are tables of codes (not sentences). */
type Tables<T> = { [K in keyof T]: T[K] extends string | ((...args: never[]) => string) ? never : K }[keyof T];

/** A code as words: a spaced copy of the code when a newer API sends one the catalogue lacks. */
const words =
  <T>(words: Catalogue<T>, table: Tables<T>, fallback = (code: string) => code.replace(/_/g, ' ')) =>
  (code: string | undefined): string =>
    code === undefined ? '' : ((wordsOf(words)[table] as Record<string, string | undefined>)[code] ?? fallback(code));

export const category = words(CODES, 'category');
export const status = words(CODES, 'status');
export const purpose = words(CODES, 'purpose');
export const withdrawnBecause = words(CODES, 'withdrawnBecause');
export const serviceType = words(CODES, 'serviceType');
export const urgency = words(CODES, 'urgency');
export const ageGroup = words(CODES, 'ageGroup');
export const grantor = words(CODES, 'grantor');
export const declineReason = words(CODES, 'declineReason');
export const reason = words(CASE_RECORD, 'reason');
/** A camelCase or PascalCase code as words: "ConsentGiven" reads "consent given". */
const spaced = (code: string) => code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
export const event = words(CASE_RECORD, 'event', spaced);
export const field = words(CASE_RECORD, 'field', spaced);

/** A personal data field's value, in words when it is one of the API's codes. */
export const fieldValue = (name: string, value: string): string =>
  (wordsOf(CASE_RECORD).value as Record<string, Record<string, string | undefined> | undefined>)[name]?.[value] ?? value;

/** A name and what it holds: "Providing a service: shelter". */
export const detail = (what: string, which: string): string => wordsOf(CODES).detail(what, which);

/** A permission's purpose, with the services it is limited to if any. */
export const purposeFor = ({ purpose: code, serviceTypes }: { purpose: string; serviceTypes: readonly string[] }): string =>
  serviceTypes.length > 0 ? detail(purpose(code), serviceTypes.map(serviceType).join(', ')) : purpose(code);

/** Who a consent provision names: an agency, or any agency of a kind. */
export const anyAgency = (kind: string | undefined): string => wordsOf(CODES).anyAgency(words(CODES, 'agencyKind')(kind));

/** What a referral is for: its service type when it has one, else its purpose. */
export const referredFor = (referral: { serviceType?: string; purpose: string }): string =>
  referral.serviceType ? serviceType(referral.serviceType) : purpose(referral.purpose);

export const isOverdue = (respondBy: string, referralStatus: string, onHold?: boolean): boolean =>
  !onHold && (referralStatus === 'requested' || referralStatus === 'acknowledged') && Date.parse(respondBy) < Date.now();
