import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DATA_KEY_STORE, type DataKeyStore } from '../../libs/crypto/index.js';
import { CommandRejected } from '../../libs/domain/index.js';
import { WrongExpectedRevisionError } from '../../libs/event-store/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { readAcrossAgencies } from '../platform/agency-scope.js';
import { Clock } from '../platform/clock.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { CaseCommandService } from './case-commands.service.js';
import type { CaseRecord } from './case-record.js';
import { CaseViews } from './case-views.reader.js';

export interface RetentionCandidate {
  readonly caseId: string;
  readonly owningAgencyId: string;
  readonly closedAt: string;
}

const DAY_MS = 86_400_000;
const RETENTION_ACTOR = 'system:retention';

/**
 * Erases cases closed for longer than RETENTION_DAYS (unset: never). `run({ apply: false })` is
 * the dry run: the list that would be erased, nothing changed. When configured, the service runs
 * it once a day; `npm run retention` lists, `npm run retention -- --apply` erases.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(DATA_KEY_STORE) private readonly keys: DataKeyStore,
    private readonly commands: CaseCommandService,
    private readonly views: CaseViews,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.retentionDays === undefined || this.config.retentionSchedule === false) return;
    this.timer = setInterval(
      () =>
        void this.run({ apply: true }).catch((error: unknown) => {
          this.logger.error(`Retention run failed: ${error instanceof Error ? error.name : 'unknown error'}`);
        }),
      DAY_MS,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** `at`: the moment the period is counted back from (now by default). */
  async run({ apply, at }: { apply: boolean; at?: string }): Promise<RetentionCandidate[]> {
    if (this.config.retentionDays === undefined) return [];
    const now = at ?? this.clock.now();
    const cutoff = new Date(Date.parse(now) - this.config.retentionDays * DAY_MS).toISOString();
    const rows = await readAcrossAgencies(this.db, (tx) =>
      tx.query<{ case_id: string; view: CaseRecord }>(
        `SELECT case_id, view FROM agency_case_views
        WHERE relation = 'owner' AND case_status = 'closed' AND updated_at <= $1 AND NOT coalesce((view->>'erased')::boolean, false)
        ORDER BY updated_at`,
        [cutoff],
      ),
    );
    const candidates = rows.map(({ case_id, view }) => ({
      caseId: case_id,
      owningAgencyId: view.owningAgencyId,
      closedAt: view.timeline.filter((t) => t.type === 'CaseClosed').at(-1)?.at ?? view.updatedAt,
    }));
    if (!apply) return candidates;
    const erased: RetentionCandidate[] = [];
    for (const candidate of candidates) {
      // The decider checks again on the case's own events: a case reopened meanwhile is refused and skipped.
      const outcome = await this.commands
        .execute({
          caseId: candidate.caseId,
          principal: {
            userId: RETENTION_ACTOR,
            agencyId: candidate.owningAgencyId,
            agencyKind: 'government_social_service',
            role: 'supervisor',
          },
          ids: () => randomUUID(),
          request: { route: 'retention', cutoff },
          correlationId: randomUUID(),
          build: (at) => ({
            type: 'EraseForRetention',
            requestId: randomUUID(),
            closedBefore: cutoff,
            actor: { userId: RETENTION_ACTOR, agencyId: candidate.owningAgencyId, agencyKind: 'government_social_service' },
            at,
          }),
        })
        .catch((error: unknown) => {
          if (error instanceof CommandRejected || error instanceof WrongExpectedRevisionError) return undefined; // next run tries again
          throw error;
        });
      if (!outcome) continue;
      await this.keys.destroy(candidate.caseId);
      await this.views.awaitWrite(outcome.position);
      erased.push(candidate);
    }
    if (erased.length > 0) this.logger.log(`Erased ${erased.length} case(s) closed before ${cutoff}`);
    return erased;
  }
}
