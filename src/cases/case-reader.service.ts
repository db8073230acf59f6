import { Injectable, NotFoundException } from '@nestjs/common';
import { isOpenReferral } from '../../libs/domain/index.js';
import { AccessLog } from '../audit/access-log.js';
import type { Principal } from '../identity/principal.js';
import { Clock } from '../platform/clock.js';
import { CaseSealing, sealedField } from './case-sealing.js';
import type { CaseRecord } from './case-record.js';
import { type CaseView, caseViewAt } from './case-view.js';
import { type CaseListFilter, CaseViews } from './case-views.reader.js';
import { holdsSharedData, recipientView } from './recipient-view.js';

/** The read side of cases: who may see what of a case, opened for them and written to the access log. */
@Injectable()
export class CaseReader {
  constructor(
    private readonly views: CaseViews,
    private readonly sealing: CaseSealing,
    private readonly accessLog: AccessLog,
    private readonly clock: Clock,
  ) {}

  /**
   * The owning agency sees its whole case; an agency the case was referred to sees only what live
   * consent permits it now (recipientView); anyone else gets 404, as if the case did not exist.
   */
  async view(caseId: string, principal: Principal): Promise<Record<string, unknown> & { revision?: number }> {
    const row = await this.views.find(principal.agencyId, caseId);
    const now = this.clock.now();
    if (row?.relation === 'owner') {
      const view = caseViewAt(row.view as CaseRecord, now);
      await this.accessLog.record(
        principal,
        caseId,
        [...Object.keys(view.personalData), ...(hasNotes(view) ? ['notes'] : [])],
        { owner: true },
        now,
      );
      return this.ownerView(view);
    }
    const shared = row && recipientView(row.view, principal, now);
    if (!shared) throw new NotFoundException('case not found');
    await this.accessLog.record(
      principal,
      caseId,
      [
        ...Object.keys(shared.personalData),
        ...(shared.referrals.some((r) => r.note) ? ['notes'] : []),
        ...(shared.referrals.some((r) => r.identification) ? ['identification'] : []),
      ],
      { referrals: shared.referrals.filter((r) => holdsSharedData(r.status)).map((r) => r.referralId) },
      now,
    );
    return {
      ...shared,
      personalData: await this.sealing.unsealAll(caseId, shared.personalData),
      referrals: await Promise.all(
        shared.referrals.map(async (r) =>
          r.note ? { ...r, note: await this.sealing.unseal(caseId, sealedField.referralNote(r.referralId), r.note) } : r,
        ),
      ),
    };
  }

  /** The caller's agency's cases, without personal data: what a worklist shows. */
  async list(principal: Principal, filter: CaseListFilter) {
    const { rows, nextCursor } = await this.views.list(principal.agencyId, filter);
    const now = this.clock.now();
    const items = rows.map((row) => {
      if (row.relation === 'owner') {
        const record = row.view as CaseRecord;
        return {
          caseId: row.case_id,
          relation: 'owner' as const,
          status: record.status,
          ageGroup: record.ageGroup,
          openedAt: record.openedAt,
          updatedAt: record.updatedAt,
          openReferrals: record.referrals.filter((r) => isOpenReferral(r.status)).length,
        };
      }
      const shared = recipientView(row.view, principal, now);
      return {
        caseId: row.case_id,
        relation: 'recipient' as const,
        ...(shared?.status ? { status: shared.status } : {}),
        updatedAt: new Date(row.updated_at).toISOString(),
        referrals: shared?.referrals.map((r) => ({ referralId: r.referralId, status: r.status })) ?? [],
      };
    });
    return { items, ...(nextCursor ? { nextCursor } : {}) };
  }

  private async ownerView(view: CaseView) {
    const { caseId } = view;
    const open = (field: string, sealed: Parameters<CaseSealing['unseal']>[2]) => this.sealing.unseal(caseId, field, sealed);
    return {
      ...view,
      personalData: await this.sealing.unsealAll(caseId, view.personalData),
      referrals: await Promise.all(
        view.referrals.map(async (r) => ({
          ...r,
          ...(r.note ? { note: await open(sealedField.referralNote(r.referralId), r.note) } : {}),
          ...(r.declineNote ? { declineNote: await open(sealedField.declineNote(r.referralId), r.declineNote) } : {}),
          ...(r.outcome ? { outcome: await open(sealedField.outcome(r.referralId), r.outcome) } : {}),
        })),
      ),
      determinations: await Promise.all(
        view.determinations.map(async (d) => ({
          ...d,
          reasons: await open(sealedField.determinationReasons(d.determinationId), d.reasons),
        })),
      ),
      timeline: await Promise.all(
        view.timeline.map(async (t) => (t.note ? { ...t, note: await open(sealedField.interruptionNote, t.note) } : t)),
      ),
      path: {
        ...view.path,
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- views stored before the case path existed have none
        ...(view.path?.casePlan?.plan
          ? { casePlan: { ...view.path.casePlan, plan: await open(sealedField.casePlan, view.path.casePlan.plan) } }
          : {}),
      },
    };
  }
}

const hasNotes = (view: CaseView) =>
  !view.erased &&
  (view.referrals.some((r) => (r.note ?? r.declineNote ?? r.outcome) !== undefined) ||
    view.timeline.some((t) => t.note) ||
    view.determinations.length > 0 ||
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- views stored before the case path existed have none
    !!view.path?.casePlan);
