import {
  type ConsentSubject,
  type DataCategory,
  type PolicyDecision,
  type Recipient,
  SAFETY_FLAG_EFFECTS,
  namesRecipient,
  permits,
} from '../../libs/consent-policy/index.js';
import { CASE_PERSONAL_DATA_CATEGORIES, type Sealed, consentSubject } from '../../libs/domain/index.js';
import type { CaseRecord } from './case-record.js';

type Agency = Recipient;

/** The sealed values a recipient may be shown: the person's data as recorded at opening, and the safety plan. */
const SHAREABLE_SEALED: readonly string[] = [...CASE_PERSONAL_DATA_CATEGORIES, 'safety'];

/** Referral states in which the receiving agency holds the shared data. */
const HOLDING = new Set(['requested', 'acknowledged', 'accepted', 'completed']);
export const holdsSharedData = (status: string): boolean => HOLDING.has(status);

export interface WithdrawnStub {
  readonly category: DataCategory;
  readonly since: string;
  /**
   * `withdrawn` covers both the person's withdrawal and a safety flag: a recipient must not be able
   * to tell them apart, or which risk the person faces (a flag against complicit police, say).
   */
  readonly reason: 'withdrawn' | 'expired' | 'referral_withdrawn' | 'referral_declined';
}

/** What recipientView reads of a case: a whole record, or an agency's slice of it (recipientSlice). */
export type RecipientViewInput = Pick<
  CaseRecord,
  'caseId' | 'revision' | 'status' | 'owningAgencyId' | 'ageGroup' | 'personalData' | 'referrals' | 'updatedAt' | 'erased'
> & {
  consents: Array<Pick<CaseRecord['consents'][number], 'consentId' | 'grantor' | 'childAssent' | 'provisions'>>;
  determinations: Array<Omit<CaseRecord['determinations'][number], 'reasons'>>;
  /** A whole record has the flags; a slice has instead the categories they withhold from its agency. */
  safetyFlags?: CaseRecord['safetyFlags'];
  withheld?: Array<{ category: DataCategory; since: string }>;
};

/** What a recipient is told of why a referral was withdrawn: never whether a safety flag did it. */
export const recipientWithdrawalCause = (cause: string): string =>
  cause === 'consent_withdrawn' || cause === 'safety_flag_raised' ? 'sharing_narrowed' : cause;

export interface RecipientView {
  caseId: string;
  erased?: true;
  /** Only when case_progress is shared with this agency. */
  status?: CaseRecord['status'];
  referrals: Array<
    Pick<
      CaseRecord['referrals'][number],
      | 'referralId'
      | 'purpose'
      | 'serviceType'
      | 'urgency'
      | 'sharedCategories'
      | 'status'
      | 'requestedAt'
      | 'respondBy'
      | 'withdrawalCause'
      | 'identification'
    > & {
      note?: Sealed;
      /** The case is paused: the referral waits (nothing is accepted or completed meanwhile); never why. */
      onHold?: true;
    }
  >;
  /** Sealed, by category: exactly the categories live consent permits this agency now. */
  personalData: Partial<Record<DataCategory, Sealed>>;
  withdrawn: WithdrawnStub[];
}

/**
 * What a receiving agency may see of a case at `at`: it must have been referred the case, and
 * each category shows only while a referral to it that shared the category is held and a live
 * provision still covers the agency, the referral's purpose and the category. Evaluated at
 * read time, so a withdrawal or an expiry takes effect at once, with nobody touching the case.
 */
export function recipientView(view: RecipientViewInput, agency: Agency, at: string): RecipientView | undefined {
  const mine = view.referrals.filter((r) => r.toAgencyId === agency.agencyId);
  if (mine.length === 0) return undefined;
  const subject = consentSubjectOfView(view);
  const permitted = (category: DataCategory) =>
    !view.withheld?.some((w) => w.category === category) && permittedAt(subject, mine, agency, category, at);

  const personalData: RecipientView['personalData'] = {};
  const withdrawn: WithdrawnStub[] = [];
  const shared = new Set(mine.flatMap((r) => r.sharedCategories));
  for (const category of shared) {
    if (permitted(category)) {
      if (category in view.personalData && SHAREABLE_SEALED.includes(category)) personalData[category] = view.personalData[category]!;
    } else {
      withdrawn.push(stubFor(category, mine, view, subject, at));
    }
  }
  const stillShared = (r: (typeof mine)[number]) => HOLDING.has(r.status) && r.sharedCategories.some(permitted);
  return {
    caseId: view.caseId,
    ...(view.erased ? { erased: true } : {}),
    ...(permitted('case_progress') ? { status: view.status } : {}),
    referrals: mine.map((r) => ({
      referralId: r.referralId,
      purpose: r.purpose,
      ...(r.serviceType ? { serviceType: r.serviceType } : {}),
      urgency: r.urgency,
      sharedCategories: r.sharedCategories,
      status: r.status,
      requestedAt: r.requestedAt,
      respondBy: r.respondBy,
      ...(r.onHoldSince ? { onHold: true as const } : {}),
      ...(r.withdrawalCause ? { withdrawalCause: recipientWithdrawalCause(r.withdrawalCause) } : {}),
      // The note and the interview's finding travel with the referral while the agency holds it and may
      // still see some of what it shared: a withdrawn consent takes them too.
      ...(r.identification && stillShared(r) ? { identification: r.identification } : {}),
      ...(r.note && stillShared(r) ? { note: r.note } : {}),
    })),
    personalData,
    withdrawn,
  };
}

/** Why and since when a category once shared with the agency is no longer visible to it. */
function stubFor(
  category: DataCategory,
  mine: CaseRecord['referrals'],
  view: RecipientViewInput,
  subject: ConsentSubject,
  at: string,
): WithdrawnStub {
  const withheld = view.withheld?.find((w) => w.category === category);
  if (withheld) return { category, since: withheld.since, reason: 'withdrawn' };
  if (view.safetyFlags && withheldForSafety(subject, mine, agencyOf(mine), category, at))
    return { category, since: lastFlagRaised(view as CaseRecord), reason: 'withdrawn' };
  // Each referral that shared the category lost it in its own way; the agency is told of the last
  // loss, not of an older one (a withdrawal before a later consent that has since expired).
  return mine
    .filter((r) => r.sharedCategories.includes(category))
    .map((r) => lossOf(category, r, view, at))
    .sort((a, b) => Date.parse(a.since) - Date.parse(b.since))
    .at(-1)!;
}

/** Why and since when one referral no longer gives the agency `category`: its provision withdrawn or expired, else the referral's own end. */
function lossOf(category: DataCategory, referral: CaseRecord['referrals'][number], view: RecipientViewInput, at: string): WithdrawnStub {
  for (const b of referral.legalBasis) {
    if (b.category !== category || !('provisionId' in b)) continue;
    const provision = view.consents.find((c) => c.consentId === b.consentId)?.provisions.find((p) => p.provisionId === b.provisionId);
    if (provision?.withdrawnAt) return { category, since: provision.withdrawnAt, reason: 'withdrawn' };
    if (provision?.validUntil && Date.parse(provision.validUntil) <= Date.parse(at))
      return { category, since: provision.validUntil, reason: 'expired' };
  }
  return { category, since: referral.updatedAt, reason: referral.status === 'declined' ? 'referral_declined' : 'referral_withdrawn' };
}

function permittedAt(subject: ConsentSubject, mine: CaseRecord['referrals'], agency: Agency, category: DataCategory, at: string): boolean {
  return decisions(subject, mine, agency, category, at).some((d) => d.permitted);
}

/** The policy's answer for each held referral that shared `category`. */
function decisions(
  subject: ConsentSubject,
  mine: CaseRecord['referrals'],
  agency: Agency,
  category: DataCategory,
  at: string,
  heldOnly = true,
): PolicyDecision[] {
  return mine
    .filter((r) => (!heldOnly || HOLDING.has(r.status)) && r.sharedCategories.includes(category))
    .map((r) =>
      permits(subject, { recipient: agency, purpose: r.purpose, ...(r.serviceType ? { serviceType: r.serviceType } : {}), category, at }),
    );
}

/** A flag withholds the category from this agency, whether or not a referral still holds it (the flag may have withdrawn it). */
const withheldForSafety = (subject: ConsentSubject, mine: CaseRecord['referrals'], agency: Agency, category: DataCategory, at: string) =>
  decisions(subject, mine, agency, category, at, false).some((d) => !d.permitted && d.rule === 'safety_flag');

/** When sharing was last narrowed by a flag: the time a recipient is told, and no other event's. */
const lastFlagRaised = (record: Pick<CaseRecord, 'timeline'>): string =>
  record.timeline.filter((t) => t.type === 'SafetyFlagRaised').at(-1)?.at ?? '';

const agencyOf = (mine: CaseRecord['referrals']): Agency => ({ agencyId: mine[0]!.toAgencyId, agencyKind: mine[0]!.toAgencyKind });

/**
 * The part of a case an agency's stored view holds: its own referrals, the provisions that name it
 * (by id or kind), and the sealed data of categories it may see now or once a provision it holds
 * starts. Withdrawn or never-permitted categories are not in it at all; whatever depends on the
 * time of reading (expiry) is decided again by recipientView when it is read.
 */
export function recipientSlice(record: CaseRecord, agency: Agency, at: string): RecipientViewInput | undefined {
  const mine = record.referrals.filter((r) => r.toAgencyId === agency.agencyId);
  if (mine.length === 0) return undefined;
  // A flag may void a guardian's consent for a child; the slice then holds no such consent at all.
  const whole = consentSubjectOfView(record);
  const voided = whole.treatedAsChild && record.safetyFlags.some((f) => SAFETY_FLAG_EFFECTS[f].voidsGuardianConsent);
  const consents = record.consents
    .filter((c) => !(voided && c.grantor === 'guardian'))
    .map((c) => ({
      consentId: c.consentId,
      grantor: c.grantor,
      ...(c.childAssent !== undefined ? { childAssent: c.childAssent } : {}),
      provisions: c.provisions.filter((p) => namesRecipient(p.recipient, agency)),
    }))
    .filter((c) => c.provisions.length > 0);
  const determinations = record.determinations
    .filter((d) => d.status === 'approved' && d.scope.some((g) => namesRecipient(g.recipient, agency)))
    .map(({ reasons: _sealed, ...d }) => ({ ...d, scope: d.scope.filter((g) => namesRecipient(g.recipient, agency)) }));
  const withheld = [...new Set(mine.flatMap((r) => r.sharedCategories))]
    .filter((category) => withheldForSafety(whole, mine, agency, category, at))
    .map((category) => ({ category, since: lastFlagRaised(record) }));
  // The row's time is the last change this agency may know of, not the case's last event of any kind.
  const updatedAt = [
    ...mine.map((r) => r.updatedAt),
    ...withheld.map((w) => w.since),
    ...consents.flatMap((c) => c.provisions.flatMap((p) => (p.withdrawnAt ? [p.withdrawnAt] : []))),
  ]
    .sort()
    .at(-1)!;
  const slice: RecipientViewInput = {
    caseId: record.caseId,
    revision: record.revision,
    status: record.status,
    owningAgencyId: record.owningAgencyId,
    ageGroup: record.ageGroup,
    updatedAt,
    referrals: mine,
    consents,
    personalData: {},
    determinations,
    withheld,
    ...(record.erased ? { erased: true } : {}),
  };
  // Permission can only begin later where a grant starts later; checking then covers every future moment.
  const starts = [...consents.flatMap((c) => c.provisions), ...determinations.flatMap((d) => d.scope)].map((g) => g.validFrom);
  const moments = [at, ...starts.filter((t) => Date.parse(t) > Date.parse(at))];
  const sliceWithFlags = consentSubjectOfView({ ...slice, safetyFlags: record.safetyFlags });
  for (const [category, sealed] of Object.entries(record.personalData)) {
    if (moments.some((t) => permittedAt(sliceWithFlags, mine, agency, category as DataCategory, t))) slice.personalData[category] = sealed;
  }
  return slice;
}

/** What the consent policy needs to know of the case, from a record or a slice of it. */
export function consentSubjectOfView(view: RecipientViewInput): ConsentSubject {
  return consentSubject({
    owningAgencyId: view.owningAgencyId,
    ageGroup: view.ageGroup,
    consents: view.consents.map((c) => ({
      consentId: c.consentId,
      grantor: c.grantor,
      ...(c.childAssent !== undefined ? { childAssent: c.childAssent } : {}),
      provisions: c.provisions,
      withdrawals: Object.fromEntries(c.provisions.flatMap((p) => (p.withdrawnAt ? [[p.provisionId, p.withdrawnAt]] : []))),
    })),
    bestInterests: view.determinations.flatMap((d) =>
      d.status === 'approved' && d.reviewedBy && d.reviewedAt
        ? [
            {
              determinationId: d.determinationId,
              decidedBy: d.decidedBy,
              approvedBy: d.reviewedBy,
              approvedAt: d.reviewedAt,
              scope: d.scope,
            },
          ]
        : [],
    ),
    safetyFlags: view.safetyFlags ?? [],
    erased: view.erased === true,
  });
}
