import { Inject, Injectable } from '@nestjs/common';
import { DATA_KEY_STORE, type DataKeyStore } from '../../libs/crypto/index.js';
import {
  CaseAlreadyErased,
  type CaseCommand,
  type CaseEvent,
  type CasePersonalData,
  directoryServiceFor,
  isUnavailable,
  referralTarget,
} from '../../libs/domain/index.js';
import { SERVICE_DIRECTORY, type ServiceDirectory } from '../directory/service-directory.port.js';
import { actorOf, type Principal } from '../identity/principal.js';
import type { WriteContext } from '../platform/write-context.js';
import { CaseCommandService, type CommandOutcome, type IdSource } from './case-commands.service.js';
import { sealedField, sealLater } from './case-sealing.js';
import type { OpenCaseDto, RequestErasureDto } from './case.dtos.js';
import type { GiveConsentDto, ProposeBestInterestsDto } from './consent.dtos.js';
import type { ReReferralDto, RequestReferralDto } from './referral.dtos.js';
import type { CaseRecord } from './case-record.js';
import { CaseViews } from './case-views.reader.js';
import { CommandAgencies } from './command-agencies.js';

/** A command before the service adds who acts and when. */
export type CommandDraft = CaseCommand extends infer C ? (C extends CaseCommand ? Omit<C, 'actor' | 'at'> : never) : never;

/**
 * The command side of cases: turns a request into a command (looking up what the decider needs:
 * agencies, the directory's offers), decides and appends it, and waits until the read models show it.
 */
@Injectable()
export class CaseWrites {
  constructor(
    private readonly commands: CaseCommandService,
    private readonly named: CommandAgencies,
    private readonly views: CaseViews,
    @Inject(DATA_KEY_STORE) private readonly keys: DataKeyStore,
    @Inject(SERVICE_DIRECTORY) private readonly directory: ServiceDirectory,
  ) {}

  async open(body: OpenCaseDto, context: WriteContext): Promise<{ caseId: string; outcome: CommandOutcome }> {
    const ids = this.idsOf(context);
    const caseId = ids('case');
    const personalData: CasePersonalData = {};
    for (const [category, value] of Object.entries(body.person ?? {})) {
      if (value !== undefined) personalData[category as keyof CasePersonalData] = sealLater(category, value);
    }
    const outcome = await this.run(
      caseId,
      context,
      body,
      () => ({
        type: 'OpenCase',
        caseId,
        source: body.source,
        indicators: body.indicators,
        ageGroup: body.ageGroup,
        personalData,
      }),
      ids,
      !context.idempotencyKey,
    );
    return { caseId, outcome };
  }

  async giveConsent(caseId: string, body: GiveConsentDto, context: WriteContext) {
    const ids = this.idsOf(context);
    const grants = await this.named.grants(body.provisions, 'provisions');
    const consentId = ids('consent');
    const outcome = await this.run(
      caseId,
      context,
      body,
      (at) => ({
        type: 'GiveConsent',
        consentId,
        grantor: body.grantor,
        ...(body.childAssent !== undefined ? { childAssent: body.childAssent } : {}),
        method: body.method,
        language: body.language,
        interpreterUsed: body.interpreterUsed,
        noticeVersion: body.noticeVersion,
        provisions: grants(at).map((grant, index) => ({ provisionId: ids(`provision-${index}`), ...grant })),
      }),
      ids,
    );
    return { consentId, outcome };
  }

  /**
   * A referral, or with `reReferralOf` the same need as a declined referral to another agency. The
   * directory's answer (which service, or why the agency cannot take it) goes to the decider,
   * which refuses only once it knows the caller may refer at all.
   */
  async requestReferral(caseId: string, body: RequestReferralDto, context: WriteContext, reReferralOf?: string) {
    const ids = this.idsOf(context);
    const recipient = await this.named.referralRecipient(body.toAgencyId);
    const serviceType = directoryServiceFor(body.purpose, body.serviceType);
    const target =
      serviceType &&
      referralTarget(await this.directory.offers({ serviceType, agencyId: recipient.id }), serviceType, {
        ...(body.serviceId ? { serviceId: body.serviceId } : {}),
        ...(body.area ? { area: body.area } : {}),
      });
    const referralId = ids('referral');
    const outcome = await this.run(
      caseId,
      context,
      // eslint-disable-next-line @typescript-eslint/no-misused-spread -- a DTO is plain data; its prototype carries nothing
      { ...body, reReferralOf },
      () => ({
        type: 'RequestReferral',
        referralId,
        recipient: { agencyId: recipient.id, agencyKind: recipient.kind },
        purpose: body.purpose,
        ...(body.serviceType ? { serviceType: body.serviceType } : {}),
        urgency: body.urgency ?? 'normal',
        sharedCategories: body.sharedCategories,
        ...(body.note ? { note: sealLater(sealedField.referralNote(referralId), body.note) } : {}),
        ...(target
          ? {
              directory: isUnavailable(target)
                ? target
                : { serviceId: target.offer.serviceId, ...(target.area ? { area: target.area } : {}) },
            }
          : {}),
        ...(reReferralOf ? { reReferralOf } : {}),
      }),
      ids,
    );
    return { referralId, outcome };
  }

  /** The declined referral's purpose and service, read from the owner's record; anyone else is refused by the decider. */
  async reRefer(caseId: string, declinedId: string, body: ReReferralDto, context: WriteContext) {
    const row = await this.views.find(context.principal.agencyId, caseId);
    const declined = row?.relation === 'owner' ? (row.view as CaseRecord).referrals.find((r) => r.referralId === declinedId) : undefined;
    // The need is as urgent as it was, unless the referrer says otherwise.
    const urgency = body.urgency ?? declined?.urgency;
    return this.requestReferral(
      caseId,
      {
        // eslint-disable-next-line @typescript-eslint/no-misused-spread -- a DTO is plain data; its prototype carries nothing
        ...body,
        ...(urgency ? { urgency } : {}),
        purpose: declined?.purpose ?? 'case_management',
        ...(declined?.serviceType ? { serviceType: declined.serviceType } : {}),
        sharedCategories: body.sharedCategories ?? [...(declined?.sharedCategories ?? ['identity'])],
      },
      context,
      declinedId,
    );
  }

  async proposeBestInterests(caseId: string, body: ProposeBestInterestsDto, context: WriteContext) {
    const ids = this.idsOf(context);
    const grants = await this.named.grants(body.scope, 'scope');
    const determinationId = ids('determination');
    const outcome = await this.run(
      caseId,
      context,
      body,
      (at) => ({
        type: 'ProposeBestInterestsDetermination',
        determinationId,
        scope: grants(at),
        reasons: sealLater(sealedField.determinationReasons(determinationId), body.reasons),
      }),
      ids,
    );
    return { determinationId, outcome };
  }

  async requestErasure(caseId: string, body: RequestErasureDto, context: WriteContext) {
    const ids = this.idsOf(context);
    const requestId = ids('erasure-request');
    const outcome = await this.run(caseId, context, body, () => ({ type: 'RequestErasure', requestId, reason: body.reason }), ids);
    return { requestId, outcome };
  }

  /**
   * The second person's approval: the erasure event is appended first, then the case's data key is
   * destroyed. A crash between the two is finished at the next start (CasesModule's bootstrap).
   */
  async approveErasure(caseId: string, requestId: string, context: WriteContext) {
    const outcome = await this.run(caseId, context, {}, () => ({
      type: 'ApproveErasure',
      requestId,
      asCoordinator: context.principal.role === 'network_coordinator',
    })).catch(async (error: unknown) => {
      // Erased already: a retry after a failed key destruction destroys the key before answering 409.
      if (error instanceof CaseAlreadyErased) await this.keys.destroy(caseId);
      throw error;
    });
    if (outcome.events.some((e) => e.type === 'CaseErased')) await this.keys.destroy(caseId);
    return outcome;
  }

  /**
   * Any other command. Its personal data goes in through `sealLater` under a field of
   * `sealedField`, and is sealed only if the decider accepts the command.
   */
  execute(caseId: string, context: WriteContext, body: object, draft: () => CommandDraft): Promise<CommandOutcome> {
    return this.run(caseId, context, body, draft);
  }

  /** What `draft` would decide for `principal` now, written nowhere (CaseCommandService.preview). */
  preview(caseId: string, principal: Principal, draft: () => CommandDraft): Promise<readonly CaseEvent[]> {
    return this.commands.preview(caseId, (at) => ({ ...draft(), actor: actorOf(principal), at }));
  }

  private idsOf(context: WriteContext): IdSource {
    return this.commands.idSource(context.principal, context.idempotencyKey);
  }

  /** Decides and appends the command, then waits for the read models to show it (read-your-writes). */
  private async run(
    caseId: string,
    context: WriteContext,
    body: object,
    build: (at: string) => CommandDraft,
    ids = this.idsOf(context),
    newCase = false,
  ) {
    const outcome = await this.commands.execute({
      caseId,
      newCase,
      principal: context.principal,
      ids,
      ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
      ...(context.expectedRevision !== undefined ? { expectedRevision: context.expectedRevision } : {}),
      correlationId: context.correlationId,
      request: { route: context.route, body },
      build: (at) => ({ ...build(at), actor: actorOf(context.principal), at }),
    });
    await this.views.awaitWrite(outcome.position);
    return outcome;
  }
}
