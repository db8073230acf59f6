import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { appendFile } from 'node:fs/promises';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Clock } from '../platform/clock.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';

export interface PublishedHead {
  readonly seq: number;
  readonly head: string;
  readonly at: string;
}

/**
 * Publishes the audit chain's head (its last entry hash) to a place the database's users cannot
 * rewrite: a file (one JSON line per head, appended), a URL (POSTed as JSON) or the log. Anyone
 * holding a published head can later check with `verify --head` that the chain still contains it,
 * so cutting the chain short or rewriting it up to its head is caught. Publishes at start and then
 * every AUDIT_HEAD_PUBLISH_SECONDS when the head moved.
 */
@Injectable()
export class AuditHeadPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditHead');
  private timer?: NodeJS.Timeout;
  private last?: string;

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const schedule = this.config.auditHead;
    if (!schedule) return;
    const publish = () =>
      void this.publish().catch((error: unknown) => {
        // The message of a failed write or request may name a path or host; the kind of failure is enough.
        this.logger.warn(`Could not publish the audit chain head: ${error instanceof Error ? error.name : 'unknown error'}`);
      });
    publish();
    this.timer = setInterval(publish, schedule.intervalSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Publishes the current head unless it was the last one published; returns what it published. */
  async publish(): Promise<PublishedHead | undefined> {
    const target = this.config.auditHead?.target;
    const [row] = await this.db.query<{ seq: number | string; entry_hash: string }>(
      'SELECT seq, entry_hash FROM audit_chain ORDER BY seq DESC LIMIT 1',
    );
    if (!target || !row || row.entry_hash === this.last) return undefined;
    const published: PublishedHead = { seq: Number(row.seq), head: row.entry_hash, at: this.clock.now() };
    if (target.kind === 'file') await appendFile(target.path, `${JSON.stringify(published)}\n`);
    else if (target.kind === 'url') {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(published),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`); // only the status is logged
    } else this.logger.log(`Audit chain head: seq ${published.seq} head ${published.head}`);
    this.last = row.entry_hash;
    return published;
  }
}
