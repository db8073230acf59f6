import { type ConsentSubject, type DataCategory, permits } from '../../libs/consent-policy/index.js';
import { CASE_PERSONAL_DATA_CATEGORIES, type Sealed } from '../../libs/domain/index.js';
import type { AgencyKind } from '../../libs/consent-policy/index.js';
import type { CaseView } from './case-view.js';

/** Referral states in which the receiving agency holds the shared data. */
const HOLDING = new Set(['requested', 'acknowledged', 'accepted', 'completed']);
export const holdsSharedData = (status: string): boolean => HOLDING.has(status);

export interface WithdrawnStub {
  readonly category: DataCategory;
  readonly since: string;
  readonly reason: 'consent_withdrawn' | 'consent_expired' | 'referral_withdrawn' | 'referral_declined';
}

export interface RecipientView {
  caseId: string;
  /** Only when case_progress is shared with this agency. */
  status?: CaseView['status'];
  referrals: Array<Pick<CaseView['referrals'][number], 'referralId' | 'purpose' | 'serviceType' | 'urgency' | 'sharedCategories' | 'status' | 'requestedAt' | 'respondBy' | 'withdrawalCause'> & { note?: Sealed }>;
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
export function recipientView(view: CaseView, agency: { agencyId: string; agencyKind: AgencyKind }, at: string): RecipientView | undefined {
  const mine = view.referrals.filter((r) => r.toAgencyId === agency.agencyId);
  if (mine.length === 0) return undefined;
  const subject = consentSubjectOfView(view);
  const permitted = (category: DataCategory) =>
    mine.some((r) => HOLDING.has(r.status) && r.sharedCategories.includes(category) &&
      permits(subject, { recipient: agency, purpose: r.purpose, ...(r.serviceType ? { serviceType: r.serviceType } : {}), category, at }).permitted);

  const personalData: RecipientView['personalData'] = {};
  const withdrawn: WithdrawnStub[] = [];
  const shared = new Set(mine.flatMap((r) => r.sharedCategories));
  for (const category of shared) {
    if (permitted(category)) {
      if (category in view.personalData && (CASE_PERSONAL_DATA_CATEGORIES as readonly string[]).includes(category)) personalData[category] = view.personalData[category]!;
    } else {
      withdrawn.push(stubFor(category, mine, view, at));
    }
  }
  return {
    caseId: view.caseId,
    ...(permitted('case_progress') ? { status: view.status } : {}),
    referrals: mine.map((r) => ({
      referralId: r.referralId, purpose: r.purpose, ...(r.serviceType ? { serviceType: r.serviceType } : {}), urgency: r.urgency,
      sharedCategories: r.sharedCategories, status: r.status, requestedAt: r.requestedAt, respondBy: r.respondBy,
      ...(r.withdrawalCause ? { withdrawalCause: r.withdrawalCause } : {}),
      // The note travels with the referral while the agency holds it.
      ...(r.note && HOLDING.has(r.status) ? { note: r.note } : {}),
    })),
    personalData,
    withdrawn,
  };
}

/** Why and since when a category once shared with the agency is no longer visible to it. */
function stubFor(category: DataCategory, mine: CaseView['referrals'], view: CaseView, at: string): WithdrawnStub {
  const basis = mine.flatMap((r) => r.legalBasis.filter((b) => b.category === category));
  for (const b of basis) {
    if (!('provisionId' in b)) continue;
    const provision = view.consents.find((c) => c.consentId === b.consentId)?.provisions.find((p) => p.provisionId === b.provisionId);
    if (provision?.withdrawnAt) return { category, since: provision.withdrawnAt, reason: 'consent_withdrawn' };
    if (provision?.validUntil && Date.parse(provision.validUntil) <= Date.parse(at)) return { category, since: provision.validUntil, reason: 'consent_expired' };
  }
  const last = mine.filter((r) => r.sharedCategories.includes(category)).sort((a, b) => a.updatedAt.localeCompare(b.updatedAt)).at(-1)!;
  return { category, since: last.updatedAt, reason: last.status === 'declined' ? 'referral_declined' : 'referral_withdrawn' };
}

/**
 * What the consent policy needs to know of the case. The view does not fold best-interests
 * determinations or safety flags yet: what a determination permits is not shown, and a flag does
 * not narrow a completed referral (open ones are withdrawn when the flag is raised).
 */
export function consentSubjectOfView(view: CaseView): ConsentSubject {
  return {
    owningAgencyId: view.owningAgencyId,
    treatedAsChild: view.ageGroup !== 'adult',
    consents: view.consents.map((c) => ({
      consentId: c.consentId,
      grantor: c.grantor,
      ...(c.childAssent !== undefined ? { childAssent: c.childAssent } : {}),
      provisions: c.provisions,
      withdrawals: Object.fromEntries(c.provisions.flatMap((p) => (p.withdrawnAt ? [[p.provisionId, p.withdrawnAt]] : []))),
    })),
    bestInterests: [],
    safetyFlags: [],
    erased: false,
  };
}
