import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { CaseEvent, ConsentGiven, ConsentWithdrawn } from '../../libs/domain/index.js';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/index.js';
import { caseStream } from '../cases/case-stream.js';
import { CaseViews } from '../cases/case-views.reader.js';
import { MemberAgencies } from '../identity/member-agencies.js';
import type { Principal } from '../identity/principal.js';
import { type ConsentReceipt, type ReceiptEvent, consentReceipt, receiptId } from './consent-receipt.js';
import { type ReceiptText, receiptText } from './receipt-text.js';
import { ReceiptSigner } from './receipt-signer.js';

export interface SignedReceipt {
  readonly event: 'given' | 'withdrawal';
  /** Which withdrawal of the consent, 1-based in the order they happened. */
  readonly withdrawal?: number;
  readonly receipt: ConsentReceipt;
  readonly jws: string;
}

/** A consent's events and the directory names its receipts show. */
interface ConsentHistory {
  readonly caseId: string;
  readonly given: ConsentGiven['data'];
  readonly withdrawals: ReadonlyArray<ConsentWithdrawn['data']>;
  readonly ownerName: string;
  readonly agencyNames: ReadonlyMap<string, string>;
  readonly userNames: ReadonlyMap<string, string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Receipts of a consent for the agency that owns the case: built from the case's events (the
 * ConsentGiven and each ConsentWithdrawn as recorded), never from the person's data, so a receipt
 * holds no personal value and reading one is not a read of personal data.
 */
@Injectable()
export class ReceiptsService {
  constructor(
    private readonly views: CaseViews,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly members: MemberAgencies,
    private readonly signer: ReceiptSigner,
  ) {}

  /** The receipt of the consent as given, or of its `withdrawal`-th withdrawal. */
  async signed(caseId: string, consentId: string, principal: Principal, withdrawal?: number): Promise<SignedReceipt> {
    const history = await this.history(caseId, consentId, principal);
    return this.sign(history, pick(history, withdrawal));
  }

  /** The receipt of the consent as given, then one per withdrawal. */
  async all(caseId: string, consentId: string, principal: Principal): Promise<SignedReceipt[]> {
    const history = await this.history(caseId, consentId, principal);
    return Promise.all([undefined, ...history.withdrawals.map((_, index) => index + 1)].map((n) => this.sign(history, pick(history, n))));
  }

  async text(caseId: string, consentId: string, principal: Principal, withdrawal?: number): Promise<ReceiptText> {
    const history = await this.history(caseId, consentId, principal);
    const event = pick(history, withdrawal);
    const recordedBy = event.kind === 'given' ? history.given.recordedBy : event.data.recordedBy;
    const recorderName = history.userNames.get(recordedBy);
    return receiptText({
      receiptId: receiptId(consentId, event),
      given: history.given,
      event,
      earlierWithdrawals: event.kind === 'withdrawal' ? history.withdrawals.slice(0, event.number - 1) : [],
      ownerName: history.ownerName,
      ...(recorderName ? { recorderName } : {}),
      agencyNames: history.agencyNames,
    });
  }

  private async sign(history: ConsentHistory, event: ReceiptEvent): Promise<SignedReceipt> {
    const receipt = consentReceipt({
      caseId: history.caseId,
      given: history.given,
      event,
      ownerName: history.ownerName,
      agencyNames: history.agencyNames,
      publicKey: this.signer.publicKey,
    });
    return {
      event: event.kind,
      ...(event.kind === 'withdrawal' ? { withdrawal: event.number } : {}),
      receipt,
      jws: await this.signer.sign(receipt),
    };
  }

  /**
   * The signed receipt of each of the case's consents as given, by consent id, for a caller that
   * has already been allowed to see the case's consents (the FHIR export).
   */
  async signedGrants(caseId: string): Promise<ReadonlyMap<string, string>> {
    const events = await this.events(caseId);
    const owner = events.find((e) => e.type === 'CaseOpened')?.data.owningAgencyId;
    if (!owner) return new Map();
    const grants = events.flatMap((e) => (e.type === 'ConsentGiven' ? [e.data.consentId] : []));
    const signed = await Promise.all(
      grants.map(
        async (consentId) =>
          [consentId, (await this.sign(await this.consentHistory(caseId, events, consentId, owner), { kind: 'given' })).jws] as const,
      ),
    );
    return new Map(signed);
  }

  /** Only the owning agency: anyone else, a receiving agency included, gets 404 as if the case did not exist. */
  private async history(caseId: string, consentId: string, principal: Principal): Promise<ConsentHistory> {
    const row = await this.views.find(principal.agencyId, caseId);
    if (row?.relation !== 'owner') throw new NotFoundException('case not found');
    return this.consentHistory(caseId, await this.events(caseId), consentId, principal.agencyId);
  }

  private async events(caseId: string): Promise<CaseEvent[]> {
    return (await this.store.readStream(caseStream(caseId))).map((e) => ({ type: e.type, data: e.data }) as unknown as CaseEvent);
  }

  private async consentHistory(caseId: string, events: readonly CaseEvent[], consentId: string, ownerId: string): Promise<ConsentHistory> {
    const given = events.find((e): e is ConsentGiven => e.type === 'ConsentGiven' && e.data.consentId === consentId)?.data;
    if (!given) throw new NotFoundException('consent not found');
    const withdrawals = events.flatMap((e) => (e.type === 'ConsentWithdrawn' && e.data.consentId === consentId ? [e.data] : []));

    const agencyIds = [ownerId, ...given.provisions.flatMap((p) => ('agencyId' in p.recipient ? [p.recipient.agencyId] : []))];
    // Agencies deactivated since keep their name on the receipts of what they were given.
    const agencyNames = new Map((await this.members.byIds(agencyIds)).map((a) => [a.id, a.name]));
    // Recorded by a user of the directory (or an API key or an OIDC subject, which have no display name here).
    const recorders = [...new Set([given.recordedBy, ...withdrawals.map((w) => w.recordedBy)])].filter((id) => UUID.test(id));
    return {
      caseId,
      given,
      withdrawals,
      agencyNames,
      ownerName: agencyNames.get(ownerId) ?? 'the owning agency',
      userNames: await this.members.staffNames(recorders),
    };
  }
}

function pick(history: ConsentHistory, withdrawal: number | undefined): ReceiptEvent {
  if (withdrawal === undefined) return { kind: 'given' };
  const data = history.withdrawals[withdrawal - 1];
  if (!data) throw new NotFoundException('this consent has no such withdrawal');
  return { kind: 'withdrawal', number: withdrawal, data };
}
