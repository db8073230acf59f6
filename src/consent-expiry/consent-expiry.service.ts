import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type CaseEvent, CommandRejected } from '../../libs/domain/index.js';
import { EVENT_STORE, type EventStore, WrongExpectedRevisionError } from '../../libs/event-store/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { CaseCommandService } from '../cases/case-commands.service.js';
import { caseStream } from '../cases/case-stream.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MemberAgencies } from '../identity/member-agencies.js';
import { Clock } from '../platform/clock.js';
import { BackgroundWork } from '../platform/background-work.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';

export const CONSENT_EXPIRY_ACTOR = 'system:consent-expiry';

/**
 * Time that acts by itself: at each moment a consent provision or a best-interests determination
 * ends (consent_deadlines), runs ExpireLapsedConsent on the case through the ordinary command
 * path, so the referrals that stood on it are withdrawn with nobody touching the case. Sleeps
 * until the next moment, looking again at least every CONSENT_EXPIRY_CHECK_MS for moments
 * recorded meanwhile. Moments that passed while the service was down are due at start.
 *
 * Several instances may run it at once: each decision is appended at the revision it was decided
 * on, so of two instances deciding the same withdrawal one append fails, is decided again on the
 * fresh case, and decides nothing. No lock is needed, on PostgreSQL or PGlite.
 */
@Injectable()
export class ConsentExpiry extends BackgroundWork {
  private readonly logger = new Logger('ConsentExpiry');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CaseCommandService,
    private readonly clock: Clock,
    private readonly members: MemberAgencies,
  ) {
    super();
  }

  protected wanted(): boolean {
    return this.config.consentExpirySchedule !== false;
  }

  /**
   * Runs every case with a moment passed by now, up to CONSENT_EXPIRY_BATCH of them (earliest
   * first); returns how many cases it ran. A case that could not be run keeps its moments and is
   * tried again on the next pass.
   */
  async expireDue(): Promise<number> {
    const now = this.clock.now();
    const due = await this.db.query<{ case_id: string }>(
      `SELECT case_id FROM consent_deadlines WHERE deadline <= $1 GROUP BY case_id ORDER BY min(deadline) LIMIT $2`,
      [now, this.config.consentExpiryBatch],
    );
    let withdrawn = 0;
    for (const { case_id: caseId } of due) {
      // One case that fails must not hold back every later deadline: it is tried again next pass.
      const ran = await this.expire(caseId).catch((error: unknown) => {
        this.logger.error(
          `Could not expire a lapsed consent: ${error instanceof Error ? error.name : 'unknown error'}; trying again on the next pass`,
        );
        return undefined;
      });
      if (ran === undefined) continue;
      withdrawn += ran.withdrawn;
      // Only moments up to the time it ran, from events it had read: one recorded meanwhile is run next time.
      await this.db.query(
        'DELETE FROM consent_deadlines WHERE case_id = $1 AND deadline <= $2 AND ($3::int IS NULL OR revision <= $3::int)',
        [caseId, now, ran.decidedAt ?? null],
      );
    }
    if (withdrawn > 0) this.logger.log(`Withdrew ${withdrawn} referral(s) whose consent lapsed`);
    return due.length;
  }

  /**
   * How many referrals were withdrawn and the revision the case was decided at (none: nothing is
   * left to expire in the case); undefined when it must be tried again.
   */
  private async expire(caseId: string): Promise<{ decidedAt?: number; withdrawn: number } | undefined> {
    // The process acts for the agency that owns the case, as the case's first event says.
    const [opened] = await this.store.readStream(caseStream(caseId));
    const owningAgencyId = (opened?.data as { owningAgencyId?: string } | undefined)?.owningAgencyId;
    if (!owningAgencyId) return { withdrawn: 0 };
    // Its real kind, so that no rule that depends on the kind is ever judged against a made-up one.
    const agency = await this.members.find(owningAgencyId);
    if (!agency) return undefined;
    const actor = { userId: CONSENT_EXPIRY_ACTOR, agencyId: owningAgencyId, agencyKind: agency.kind };
    try {
      const outcome = await this.commands.execute({
        caseId,
        principal: { ...actor, role: 'supervisor' },
        ids: () => randomUUID(),
        request: { route: 'consent-expiry' },
        correlationId: randomUUID(),
        build: (at) => ({ type: 'ExpireLapsedConsent', actor, at }),
      });
      const withdrawn = outcome.events.filter((e: CaseEvent) => e.type === 'ReferralWithdrawn').length;
      return { decidedAt: outcome.revision - outcome.events.length, withdrawn };
    } catch (error) {
      // An erased case has nothing left to expire.
      if (error instanceof CommandRejected) return { withdrawn: 0 };
      if (error instanceof WrongExpectedRevisionError) return undefined; // busy case: the next pass runs it again
      throw error;
    }
  }

  protected async work(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let wait = this.config.consentExpiryCheckMs;
      try {
        if ((await this.expireDue()) >= this.config.consentExpiryBatch) wait = 0;
        else wait = await this.untilNext(wait);
      } catch (error) {
        this.logger.error(`Consent expiry pass failed: ${error instanceof Error ? error.name : 'unknown error'}`);
      }
      await pause(wait, signal);
    }
  }

  /** How long to sleep: until the next moment, but no longer than `most`. */
  private async untilNext(most: number): Promise<number> {
    const now = this.clock.now();
    const [next] = await this.db.query<{ deadline: string | Date | null }>(
      'SELECT min(deadline) AS deadline FROM consent_deadlines WHERE deadline > $1',
      [now],
    );
    if (!next?.deadline) return most;
    return Math.min(most, Math.max(0, new Date(next.deadline).getTime() - Date.parse(now)));
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
