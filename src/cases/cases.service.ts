import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { DATA_KEY_STORE, type DataKeyStore, type EncryptedValue, PersonalDataCipher, isEncryptedValue } from '../../libs/crypto/index.js';
import {
  type AgencyKind, type ConsentRecipient, type DataCategory, type DisclosureGrant, type ServiceType, isJudicialAgency, permits,
} from '../../libs/consent-policy/index.js';
import {
  type AgeGroup, type CaseCommand, type CasePersonalData, CommandRejected, type Sealed, ageRangeOf, directoryServiceFor, eligibilityGaps, isOpenReferral, isUnavailable,
  referralTarget, treatedAsChild,
} from '../../libs/domain/index.js';
import { normalInstant } from '../../libs/time/index.js';
import { SERVICE_DIRECTORY, type ServiceDirectory } from '../directory/service-directory.port.js';
import { AgencyEntity } from '../identity/directory.entities.js';
import { type Principal, actorOf } from '../identity/principal.js';
import { AccessLog } from '../audit/access-log.js';
import { Clock } from '../platform/clock.js';
import type { WriteContext } from '../platform/write-context.js';
import { TYPEORM_DATA_SOURCE } from '../platform/persistence.module.js';
import { CaseCommandService, type CommandOutcome } from './case-commands.service.js';
import type {
  GiveConsentDto, OpenCaseDto, ProposeBestInterestsDto, ProvisionDto, ReferralSuggestionsDto, ReReferralDto, RequestErasureDto, RequestReferralDto,
} from './case.dtos.js';
import { type CaseRecord, type CaseView, caseViewAt } from './case-view.js';
import { type CaseListFilter, CaseViews } from './case-views.reader.js';
import { type RecipientViewInput, consentSubjectOfView, holdsSharedData, recipientView } from './recipient-view.js';


/** A command before the service adds who acts and when. */
export type CommandDraft = CaseCommand extends infer C ? (C extends CaseCommand ? Omit<C, 'actor' | 'at'> : never) : never;

/** Field names personal data is sealed under (bound into the ciphertext), one per place it appears. */
export const sealedField = {
  referralNote: (referralId: string) => `referral:${referralId}:note`,
  declineNote: (referralId: string) => `referral:${referralId}:decline-note`,
  outcome: (referralId: string) => `referral:${referralId}:outcome`,
  interruptionNote: 'case:interruption-note',
  casePlan: 'case:plan',
  /** The safety plan is the person's data of the safety category, sealed under the category's name like the others. */
  safetyPlan: 'safety',
  determinationReasons: (determinationId: string) => `determination:${determinationId}:reasons`,
};

@Injectable()
export class CasesService {
  constructor(
    private readonly commands: CaseCommandService,
    private readonly cipher: PersonalDataCipher,
    @Inject(TYPEORM_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly accessLog: AccessLog,
    private readonly views: CaseViews,
    @Inject(DATA_KEY_STORE) private readonly keys: DataKeyStore,
    @Inject(SERVICE_DIRECTORY) private readonly directory: ServiceDirectory,
  ) {}

  async open(body: OpenCaseDto, context: WriteContext): Promise<{ caseId: string; outcome: CommandOutcome }> {
    const ids = this.commands.idSource(context.principal, context.idempotencyKey);
    const caseId = ids('case');
    const outcome = await this.run(caseId, context, body, async () => {
      const personalData: CasePersonalData = {};
      for (const [category, value] of Object.entries(body.person ?? {})) {
        if (value !== undefined) personalData[category as keyof CasePersonalData] = await this.seal(caseId, category, value);
      }
      return { type: 'OpenCase', caseId, source: body.source, indicators: body.indicators, ageGroup: body.ageGroup, personalData };
    }, ids);
    return { caseId, outcome };
  }

  async giveConsent(caseId: string, body: GiveConsentDto, context: WriteContext) {
    const ids = this.commands.idSource(context.principal, context.idempotencyKey);
    const grants = await this.grants(body.provisions, 'provisions');
    const consentId = ids('consent');
    const outcome = await this.run(caseId, context, body, (at) => ({
      type: 'GiveConsent',
      consentId,
      grantor: body.grantor,
      ...(body.childAssent !== undefined ? { childAssent: body.childAssent } : {}),
      method: body.method,
      language: body.language,
      interpreterUsed: body.interpreterUsed,
      noticeVersion: body.noticeVersion,
      provisions: grants(at).map((grant, index) => ({ provisionId: ids(`provision-${index}`), ...grant })),
    }), ids);
    return { consentId, outcome };
  }

  /**
   * A referral, or with `reReferralOf` the same need as a declined referral to another agency. The
   * directory's answer (which service, or why the agency cannot take it) goes to the decider,
   * which refuses only once it knows the caller may refer at all.
   */
  async requestReferral(caseId: string, body: RequestReferralDto, context: WriteContext, reReferralOf?: string) {
    const ids = this.commands.idSource(context.principal, context.idempotencyKey);
    const recipient = await this.referralRecipient(body.toAgencyId);
    const serviceType = directoryServiceFor(body.purpose, body.serviceType);
    const target = serviceType && referralTarget(
      await this.directory.offers({ serviceType, agencyId: recipient.id }), serviceType,
      { ...(body.serviceId ? { serviceId: body.serviceId } : {}), ...(body.area ? { area: body.area } : {}) },
    );
    const referralId = ids('referral');
    const outcome = await this.run(caseId, context, { ...body, reReferralOf }, async () => ({
      type: 'RequestReferral',
      referralId,
      recipient: { agencyId: recipient.id, agencyKind: recipient.kind },
      purpose: body.purpose,
      ...(body.serviceType ? { serviceType: body.serviceType } : {}),
      urgency: body.urgency ?? 'normal',
      sharedCategories: body.sharedCategories,
      ...(body.note ? { note: await this.seal(caseId, sealedField.referralNote(referralId), body.note) } : {}),
      ...(target ? { directory: isUnavailable(target) ? target : { serviceId: target.offer.serviceId, ...(target.area ? { area: target.area } : {}) } } : {}),
      ...(reReferralOf ? { reReferralOf } : {}),
    }), ids);
    return { referralId, outcome };
  }

  /** The declined referral's purpose and service, read from the owner's record; anyone else is refused by the decider. */
  async reRefer(caseId: string, declinedId: string, body: ReReferralDto, context: WriteContext) {
    const row = await this.views.find(context.principal.agencyId, caseId);
    const declined = row?.relation === 'owner' ? (row.view as CaseRecord).referrals.find((r) => r.referralId === declinedId) : undefined;
    // The need is as urgent as it was, unless the referrer says otherwise.
    const urgency = body.urgency ?? declined?.urgency;
    return this.requestReferral(caseId, {
      ...body,
      ...(urgency ? { urgency } : {}),
      purpose: declined?.purpose ?? 'case_management',
      ...(declined?.serviceType ? { serviceType: declined.serviceType } : {}),
      sharedCategories: body.sharedCategories ?? [...(declined?.sharedCategories ?? ['identity'])],
    }, context, declinedId);
  }

  /** Whether the named user may manage cases of the caller's agency; the decider refuses the intake otherwise. */
  async isCaseStaff(agencyId: string, userId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM users WHERE id = $1 AND agency_id = $2 AND active AND role IN ('caseworker', 'supervisor')`, [userId, agencyId]);
    return rows.length > 0;
  }

  /**
   * For the owning agency: the agencies offering a service (in an area), with whether each can
   * take the referral now, whether the person is eligible, and whether live consent already covers
   * sharing the given categories with it, or which are missing.
   */
  async referralSuggestions(caseId: string, principal: Principal, query: ReferralSuggestionsDto) {
    const row = await this.views.find(principal.agencyId, caseId);
    if (row?.relation !== 'owner') throw new NotFoundException('case not found');
    const record = row.view as CaseRecord;
    const now = this.clock.now();
    const demographics = record.personalData['demographics'];
    let person: { sex?: string; ageBand?: string; languages?: string[] } = {};
    if (demographics) {
      await this.accessLog.record(principal, caseId, ['demographics'], { owner: true }, now);
      person = ((await this.unseal(caseId, 'demographics', demographics)) ?? {}) as typeof person;
    }
    const age = ageRangeOf(person.ageBand);
    const facts = {
      treatedAsChild: treatedAsChild(record.ageGroup as AgeGroup), ...(person.sex ? { sex: person.sex } : {}),
      ...(age ? { age } : {}), ...(person.languages ? { languages: person.languages } : {}),
    };
    const categories: DataCategory[] = query.categories ?? ['identity'];
    const subject = consentSubjectOfView(record);
    const offers = (await this.directory.offers({ serviceType: query.serviceType, ...(query.area ? { area: query.area } : {}) }))
      .filter((o) => o.agencyId !== record.owningAgencyId);
    const suggestions = offers.map((offer) => {
      const target = referralTarget([offer], query.serviceType, query.area ? { area: query.area } : {});
      const decisions = categories.map((category) => ({
        category,
        decision: permits(subject, { recipient: { agencyId: offer.agencyId, agencyKind: offer.agencyKind }, purpose: 'service_provision', serviceType: query.serviceType, category, at: now }),
      }));
      const gaps = eligibilityGaps(offer, facts);
      const missing = decisions.filter((d) => !d.decision.permitted);
      return {
        agencyId: offer.agencyId, agencyName: offer.agencyName, agencyKind: offer.agencyKind,
        serviceId: offer.serviceId, serviceName: offer.serviceName, areas: offer.areas, status: offer.status,
        ...(offer.capacity ? { capacity: offer.capacity } : {}),
        available: !isUnavailable(target), ...(isUnavailable(target) ? { unavailableReason: target.reason } : {}),
        eligible: gaps.length === 0, eligibilityGaps: gaps,
        consent: {
          covered: decisions.filter((d) => d.decision.permitted).map((d) => d.category),
          missing: missing.map((d) => d.category),
          ...(missing.length > 0 ? { needed: consentNeeded(offer, query.serviceType, missing, facts.treatedAsChild) } : {}),
        },
      };
    });
    const rank = (s: (typeof suggestions)[number]) => Number(!s.available) * 4 + Number(!s.eligible) * 2 + Number(s.consent.missing.length > 0);
    return { serviceType: query.serviceType, ...(query.area ? { area: query.area } : {}), suggestions: suggestions.sort((a, b) => rank(a) - rank(b) || a.agencyName.localeCompare(b.agencyName)) };
  }

  async proposeBestInterests(caseId: string, body: ProposeBestInterestsDto, context: WriteContext) {
    const ids = this.commands.idSource(context.principal, context.idempotencyKey);
    const grants = await this.grants(body.scope, 'scope');
    const determinationId = ids('determination');
    const outcome = await this.run(caseId, context, body, async (at) => ({
      type: 'ProposeBestInterestsDetermination', determinationId, scope: grants(at),
      reasons: await this.seal(caseId, sealedField.determinationReasons(determinationId), body.reasons),
    }), ids);
    return { determinationId, outcome };
  }

  async requestErasure(caseId: string, body: RequestErasureDto, context: WriteContext) {
    const ids = this.commands.idSource(context.principal, context.idempotencyKey);
    const requestId = ids('erasure-request');
    const outcome = await this.run(caseId, context, body, () => ({ type: 'RequestErasure', requestId, reason: body.reason }), ids);
    return { requestId, outcome };
  }

  /**
   * The second person's approval: the erasure event is appended first, then the case's data key is
   * destroyed. A crash between the two is finished at the next start (destroyKeysOfErasedCases).
   */
  async approveErasure(caseId: string, requestId: string, context: WriteContext) {
    const outcome = await this.run(caseId, context, {}, () => ({ type: 'ApproveErasure', requestId, asCoordinator: context.principal.role === 'network_coordinator' }))
      .catch(async (error: unknown) => {
        // Erased already: a retry after a failed key destruction destroys the key before answering 409.
        if (error instanceof CommandRejected && error.message === 'the case is erased') await this.keys.destroy(caseId);
        throw error;
      });
    if (outcome.events.some((e) => e.type === 'CaseErased')) await this.keys.destroy(caseId);
    return outcome;
  }

  /** Checks the named agencies exist; gives the grants as of the moment the command is decided. */
  private async grants(entries: readonly ProvisionDto[], field: string): Promise<(at: string) => DisclosureGrant[]> {
    const recipients = entries.map((p, index): ConsentRecipient => {
      const { agencyId, agencyKind } = p.recipient;
      if ((agencyId === undefined) === (agencyKind === undefined)) {
        throw new BadRequestException(`${field}[${index}].recipient names exactly one of agencyId or agencyKind`);
      }
      return agencyId !== undefined ? { agencyId } : { agencyKind: agencyKind! };
    });
    await this.requireAgencies(recipients.flatMap((r) => ('agencyId' in r ? [r.agencyId] : [])));
    return (at) => entries.map((p, index) => {
      // Read as validated (libs/time): an unreadable time is refused, never taken for now or for no end.
      const [from, until] = [p.validFrom, p.validUntil].map((text) => {
        if (text === undefined) return undefined;
        const normal = normalInstant(text);
        if (normal === undefined) throw new BadRequestException(`${field}[${index}] has a time that is not an RFC 3339 date-time with an offset`);
        return normal;
      });
      // Nothing is permitted before it was agreed: a back-dated start is moved to now. Both are in
      // normal form (UTC, four-digit years), so their text order is their time order.
      const validFrom = from !== undefined && from > at ? from : at;
      if (until !== undefined && until <= validFrom) {
        throw new BadRequestException(`${field}[${index}] ends before it starts (validUntil must be after validFrom and after now)`);
      }
      return {
        recipient: recipients[index]!, purpose: p.purpose, serviceTypes: p.serviceTypes ?? [], categories: p.categories, validFrom,
        ...(until !== undefined ? { validUntil: until } : {}),
      };
    });
  }

  /** Commands whose only personal data is free text, sealed with `seal` under a field of `sealedField`. */
  execute(
    caseId: string,
    context: WriteContext,
    body: object,
    draft: (seal: (field: string, value: unknown) => Promise<Sealed>) => Promise<CommandDraft> | CommandDraft,
  ): Promise<CommandOutcome> {
    return this.run(caseId, context, body, () => draft((field, value) => this.seal(caseId, field, value)));
  }

  /**
   * The owning agency sees its whole case; an agency the case was referred to sees only what live
   * consent permits it now (recipientView); anyone else gets 404, as if the case did not exist.
   */
  async view(caseId: string, principal: Principal): Promise<Record<string, unknown> & { revision?: number }> {
    const row = await this.views.find(principal.agencyId, caseId);
    const now = this.clock.now();
    if (row?.relation === 'owner') {
      const view = caseViewAt(row.view as CaseRecord, now);
      await this.accessLog.record(principal, caseId, [...Object.keys(view.personalData), ...(hasNotes(view) ? ['notes'] : [])], { owner: true }, now);
      return this.ownerView(view);
    }
    const shared = row && recipientView(row.view as RecipientViewInput, principal, now);
    if (!shared) throw new NotFoundException('case not found');
    await this.accessLog.record(
      principal, caseId, [...Object.keys(shared.personalData), ...(shared.referrals.some((r) => r.note) ? ['notes'] : [])],
      { referrals: shared.referrals.filter((r) => holdsSharedData(r.status)).map((r) => r.referralId) }, now,
    );
    return {
      ...shared,
      personalData: await this.unsealAll(caseId, shared.personalData),
      referrals: await Promise.all(shared.referrals.map(async (r) => (r.note ? { ...r, note: await this.unseal(caseId, sealedField.referralNote(r.referralId), r.note) } : r))),
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
          caseId: row.case_id, relation: 'owner' as const, status: record.status, ageGroup: record.ageGroup, openedAt: record.openedAt,
          updatedAt: record.updatedAt, openReferrals: record.referrals.filter((r) => isOpenReferral(r.status)).length,
        };
      }
      const shared = recipientView(row.view as RecipientViewInput, principal, now);
      return {
        caseId: row.case_id, relation: 'recipient' as const, ...(shared?.status ? { status: shared.status } : {}),
        updatedAt: new Date(row.updated_at).toISOString(), referrals: shared?.referrals.map((r) => ({ referralId: r.referralId, status: r.status })) ?? [],
      };
    });
    return { items, ...(nextCursor ? { nextCursor } : {}) };
  }

  private async ownerView(view: CaseView) {
    const { caseId } = view;
    return {
      ...view,
      personalData: await this.unsealAll(caseId, view.personalData),
      referrals: await Promise.all(view.referrals.map(async (r) => ({
        ...r,
        ...(r.note ? { note: await this.unseal(caseId, sealedField.referralNote(r.referralId), r.note) } : {}),
        ...(r.declineNote ? { declineNote: await this.unseal(caseId, sealedField.declineNote(r.referralId), r.declineNote) } : {}),
        ...(r.outcome ? { outcome: await this.unseal(caseId, sealedField.outcome(r.referralId), r.outcome) } : {}),
      }))),
      determinations: await Promise.all(view.determinations.map(async (d) => ({ ...d, reasons: await this.unseal(caseId, sealedField.determinationReasons(d.determinationId), d.reasons) }))),
      timeline: await Promise.all(view.timeline.map(async (t) => (t.note ? { ...t, note: await this.unseal(caseId, sealedField.interruptionNote, t.note) } : t))),
      path: {
        ...view.path,
        ...(view.path?.casePlan?.plan ? { casePlan: { ...view.path.casePlan, plan: await this.unseal(caseId, sealedField.casePlan, view.path.casePlan.plan) } } : {}),
      },
    };
  }

  private async unsealAll(caseId: string, sealed: Partial<Record<string, Sealed>>): Promise<Record<string, unknown>> {
    const opened: Record<string, unknown> = {};
    for (const [category, value] of Object.entries(sealed)) if (value) opened[category] = await this.unseal(caseId, category, value);
    return opened;
  }

  /** Decides and appends the command, then waits for the read models to show it (read-your-writes). */
  private async run(caseId: string, context: WriteContext, body: object, build: (at: string) => Promise<CommandDraft> | CommandDraft, ids = this.commands.idSource(context.principal, context.idempotencyKey)) {
    const outcome = await this.commands.execute({
      caseId,
      principal: context.principal,
      ids,
      ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
      ...(context.expectedRevision !== undefined ? { expectedRevision: context.expectedRevision } : {}),
      correlationId: context.correlationId,
      request: { route: context.route, body },
      build: async (at) => ({ ...(await build(at)), actor: actorOf(context.principal), at }) as CaseCommand,
    });
    await this.views.awaitWrite(outcome.position);
    return outcome;
  }

  /** A referral names an agency of the network; one that left it is refused with why (409), an unknown id with 400. */
  private async referralRecipient(agencyId: string): Promise<AgencyEntity> {
    const agency = await this.dataSource.getRepository(AgencyEntity).findOneBy({ id: agencyId });
    if (!agency) throw new BadRequestException(`unknown agency: ${agencyId}`);
    if (!agency.active) throw new ConflictException('the agency is no longer an active member of the network');
    return agency;
  }

  private async requireAgencies(ids: readonly string[]): Promise<AgencyEntity[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const found = await this.dataSource.getRepository(AgencyEntity).findBy({ id: In(unique), active: true });
    const missing = unique.filter((id) => !found.some((a) => a.id === id));
    if (missing.length > 0) throw new BadRequestException(`unknown agency: ${missing.join(', ')}`);
    return ids.map((id) => found.find((a) => a.id === id)!);
  }

  private async seal(caseId: string, field: string, value: unknown): Promise<Sealed> {
    return (await this.cipher.encrypt(caseId, field, value)) as unknown as Sealed;
  }

  private async unseal(caseId: string, field: string, sealed: Sealed): Promise<unknown> {
    if (!isEncryptedValue(sealed)) return { erased: true };
    const opened = await this.cipher.decrypt(caseId, field, sealed as EncryptedValue);
    return 'erased' in opened ? { erased: true } : opened.value;
  }
}

const hasNotes = (view: CaseView) =>
  !view.erased && (view.referrals.some((r) => r.note || r.declineNote || r.outcome) || view.timeline.some((t) => t.note) || view.determinations.length > 0 || !!view.path?.casePlan);

/** What to ask the person for, in the words of a consent provision. */
const consentNeeded = (
  offer: { agencyName: string; agencyKind: AgencyKind }, serviceType: ServiceType,
  missing: ReadonlyArray<{ category: DataCategory; decision: { permitted: boolean; rule?: string } }>, child: boolean,
) => {
  const flagged = missing.filter((m) => 'rule' in m.decision && m.decision.rule === 'safety_flag').map((m) => m.category);
  const askable = missing.map((m) => m.category).filter((c) => !flagged.includes(c));
  // The policy's rules for judicial cooperation: a named agency, and for a child a determination only.
  const basis = isJudicialAgency(offer.agencyKind)
    ? (child ? 'an approved best-interests determination naming the agency,' : 'the person\'s explicit consent naming the agency')
    : (child ? 'a guardian\'s consent with the child\'s assent, or an approved best-interests determination,' : 'the person\'s consent');
  return [
    ...(askable.length > 0 ? [`${basis} to share ${askable.join(', ')} with ${offer.agencyName} for service_provision (${serviceType})`] : []),
    ...(flagged.length > 0 ? [`${flagged.join(', ')} withheld by a safety flag on the case`] : []),
  ].join('; ');
};
