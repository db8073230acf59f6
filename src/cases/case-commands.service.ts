import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomUUID } from 'node:crypto';
import {
  CASE_EVENT_SCHEMA_VERSION,
  type CaseCommand,
  type CaseEvent,
  type Sealed,
  StaleRevision,
  caseDecider,
} from '../../libs/domain/index.js';
import {
  EVENT_STORE,
  type EventStore,
  type GlobalPosition,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '../../libs/event-store/index.js';
import type { Principal } from '../identity/principal.js';
import { IDEMPOTENCY_KEY } from '../platform/platform.tokens.js';
import { Clock } from '../platform/clock.js';
import { KindOfProblem } from '../platform/problem-catalogue.js';
import { CaseSealing, sealPending } from './case-sealing.js';
import { caseStream } from './case-stream.js';

/** Gives the ids a command needs: derived from the Idempotency-Key when there is one, so a retry decides the same ids. */
export type IdSource = (label: string) => string;

export interface CommandRequest {
  readonly caseId: string;
  readonly principal: Principal;
  readonly ids: IdSource;
  readonly idempotencyKey?: string;
  /** The request as a whole (route, parameters, body): a reused key with another request is refused. */
  readonly request: unknown;
  /** The case id was drawn at random for this very request (no Idempotency-Key): it has no history to read. */
  readonly newCase?: boolean;
  /** From If-Match: the case's revision the client last read. */
  readonly expectedRevision?: number;
  readonly correlationId: string;
  /**
   * Builds the command as of `at`. Personal data goes in as `sealLater` placeholders: it is sealed
   * only once the decider has accepted the command, so a refused one writes no key material.
   */
  build(at: string): CaseCommand;
}

export interface CommandOutcome {
  readonly revision: number;
  /** Where the command's last event is in the store: the read models show the command once past it. */
  readonly position: GlobalPosition;
  readonly events: readonly CaseEvent[];
  /** True when an earlier request with the same Idempotency-Key already did this. */
  readonly replayed: boolean;
}

const noHistory = () => ({ recorded: [] as readonly RecordedEvent[], state: caseDecider.initialState() });

/** When no revision was pinned by the client, a concurrent change is decided again on the fresh state. */
const ATTEMPTS = 3;

@Injectable()
export class CaseCommandService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IDEMPOTENCY_KEY) private readonly fingerprintKey: Buffer,
    private readonly clock: Clock,
    private readonly sealing: CaseSealing,
  ) {}

  idSource(principal: Principal, idempotencyKey?: string): IdSource {
    if (!idempotencyKey) return () => randomUUID();
    return (label) => uuidFromDigest(this.mac(['id', principal.agencyId, idempotencyKey, label]));
  }

  async execute(request: CommandRequest): Promise<CommandOutcome> {
    const stream = caseStream(request.caseId);
    const keyRef = request.idempotencyKey
      ? this.mac(['key', request.principal.agencyId, request.idempotencyKey]).toString('hex')
      : undefined;
    // Only a keyed request is ever compared with an earlier one.
    const fingerprint = keyRef ? this.mac(['request', JSON.stringify(request.request)]).toString('hex') : '';
    const sealed = new Map<string, Sealed>();
    const seal = (field: string, value: unknown) => this.sealing.seal(request.caseId, field, value);

    for (let attempt = 1; ; attempt++) {
      // A collision of random ids would fail the append's "no stream" check and be read on the retry.
      const { recorded, state } = request.newCase && attempt === 1 ? noHistory() : await this.current(request.caseId);
      if (keyRef) {
        const earlier = recorded.filter((e) => e.metadata.idempotencyKey === keyRef);
        if (earlier.length > 0) return this.replay(earlier, fingerprint);
      }
      const current = recorded.length - 1;
      const at = this.clock.now();
      // Decided before If-Match is compared: a case the caller may not see answers 404 whatever
      // If-Match says, so no revision (nor the case's existence) is learnt from a 412.
      const decided = caseDecider.decide(request.build(at), state);
      if (request.expectedRevision !== undefined && request.expectedRevision !== current) {
        throw new StaleRevision(request.expectedRevision, current);
      }
      const events = await sealPending(decided, seal, sealed);
      const metadata = {
        actorUserId: request.principal.userId,
        actorAgencyId: request.principal.agencyId,
        occurredAt: at,
        correlationId: request.correlationId,
        causationId: request.correlationId,
        schemaVersion: CASE_EVENT_SCHEMA_VERSION,
        ...(keyRef ? { idempotencyKey: keyRef, requestFingerprint: fingerprint } : {}),
      };
      try {
        const result = await this.store.appendToStream(
          stream,
          events.map((event, index) => ({
            eventId: request.ids(`event-${request.caseId}-${current + 1 + index}`),
            type: event.type,
            data: event.data,
            metadata,
          })),
          { expectedRevision: current < 0 ? 'no_stream' : current },
        );
        return { revision: result.nextExpectedRevision, position: result.position, events, replayed: false };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (request.expectedRevision !== undefined) {
          throw new StaleRevision(request.expectedRevision);
        }
        if (attempt >= ATTEMPTS) throw error;
      }
    }
  }

  /**
   * What `build` would decide now, appended nowhere: a screen shows a command's consequences (the
   * referrals a withdrawal takes with it) by the decider's own rule before the user confirms.
   */
  async preview(caseId: string, build: (at: string) => CaseCommand): Promise<readonly CaseEvent[]> {
    const { state } = await this.current(caseId);
    return caseDecider.decide(build(this.clock.now()), state);
  }

  private async current(caseId: string) {
    const recorded = await this.store.readStream(caseStream(caseId));
    const state = recorded.reduce((s, e) => caseDecider.evolve(s, e as unknown as CaseEvent), caseDecider.initialState());
    return { recorded, state };
  }

  private replay(earlier: readonly RecordedEvent[], fingerprint: string): CommandOutcome {
    if (earlier[0]!.metadata.requestFingerprint !== fingerprint) {
      throw new KindOfProblem('idempotency-key-reused', 'this Idempotency-Key was already used for a different request');
    }
    return {
      revision: earlier[earlier.length - 1]!.revision,
      position: earlier[earlier.length - 1]!.position,
      events: earlier.map((e) => ({ type: e.type, data: e.data }) as unknown as CaseEvent),
      replayed: true,
    };
  }

  /** Keyed, so neither ids nor fingerprints can be computed, or personal data guessed, without the service's key. */
  private mac(parts: readonly string[]): Buffer {
    return createHmac('sha256', this.fingerprintKey).update(JSON.stringify(parts)).digest();
  }
}

/** An RFC 9562 version-8 (custom) UUID from a digest. */
function uuidFromDigest(digest: Buffer): string {
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
