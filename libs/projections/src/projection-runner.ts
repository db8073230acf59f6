import { EventEmitter } from 'node:events';
import { type EventStore, type GlobalPosition, type RecordedEvent, UnknownPositionError } from '../../event-store/index.js';
import type { SqlClient, SqlDatabase } from '../../sql/index.js';

/**
 * A read model kept from the event stream. `apply` runs inside the batch's transaction and gets
 * the whole batch in global order, so a projection may fold several events of one case in memory
 * and write once.
 */
export interface Projection {
  readonly name: string;
  /** Idempotent DDL of its tables. */
  readonly schema: string;
  /** Its tables, emptied before a rebuild. */
  readonly tables: readonly string[];
  apply(tx: SqlClient, events: readonly RecordedEvent[]): Promise<void>;
}

export interface RunnerStatus {
  /** catching_up: applying what the store held when it started, before following new events. */
  readonly state: 'idle' | 'catching_up' | 'running' | 'stopped' | 'failed';
  readonly position: GlobalPosition | null;
  readonly eventsApplied: number;
  readonly lastBatchAt?: Date;
  /** Kind of the error that stopped it; its message may hold data, so it is not kept. */
  readonly failure?: string;
}

export interface ProjectionLag {
  /** Events in the store not yet applied to the read models. */
  readonly events: number;
  /** Age of the oldest event not yet applied; 0 when caught up. */
  readonly seconds: number;
}

/** A replay applied another number of events than the store holds up to where it stopped. */
export class ReplayIncompleteError extends Error {
  constructor(
    readonly applied: number,
    readonly stored: number,
  ) {
    super(`the replay applied ${applied} events but the store holds ${stored} up to where it stopped`);
    this.name = 'ReplayIncompleteError';
  }
}

export interface RunnerOptions {
  /** Events per batch (and per transaction). */
  readonly batchSize?: number;
  /**
   * The database role that writes the read models: each batch and a rebuild run as it (SET LOCAL
   * ROLE), so a connection whose own role may not write them (the app's) can still keep them.
   */
  readonly role?: string;
}

/** Another runner of the same name moved the checkpoint since this one read it. */
export class CheckpointMovedError extends Error {
  constructor() {
    super('the projection checkpoint moved: another runner is applying the same read models');
    this.name = 'CheckpointMovedError';
  }
}

const CHECKPOINTS = `
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  runner text PRIMARY KEY,
  position text,
  events_applied bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);`;

/** The channel each batch commit is announced on, where the database delivers notifications (PostgreSQL). */
export const CHECKPOINT_CHANNEL = 'projection_checkpoints';

/**
 * Keeps a group of projections up to date. Each batch of events and the position after it are
 * committed in one transaction, so a crash anywhere leaves the read models exactly at their
 * stored position: nothing is lost and nothing is applied twice. Each batch locks the checkpoint
 * row and checks it still is where this runner started the batch, so two runners of the same
 * read models (two app instances, or the app and `npm run projector`) never apply a batch twice.
 */
export class ProjectionRunner {
  private status: RunnerStatus = { state: 'idle', position: null, eventsApplied: 0 };
  /** The furthest checkpoint this process knows the read models committed, whichever runner applied it. */
  private committed: GlobalPosition | null = null;
  private readonly commits = new EventEmitter();

  constructor(
    private readonly name: string,
    private readonly db: SqlDatabase,
    private readonly store: EventStore,
    private readonly projections: readonly Projection[],
    private readonly options: RunnerOptions = {},
  ) {
    this.commits.setMaxListeners(0);
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 500;
  }

  /** A transaction in the runner's role, when it has one. */
  private asWriter<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      if (this.options.role) await tx.query(`SET LOCAL ROLE ${this.options.role}`);
      return work(tx);
    });
  }

  async migrate(): Promise<void> {
    await this.db.exec(CHECKPOINTS + this.projections.map((p) => p.schema).join('\n'));
  }

  current(): RunnerStatus {
    return this.status;
  }

  async checkpoint(): Promise<{ position: GlobalPosition | null; eventsApplied: number; updatedAt: Date | null }> {
    const [row] = await this.db.query<{ position: string | null; events_applied: number | string; updated_at: Date | string }>(
      'SELECT position, events_applied, updated_at FROM projection_checkpoints WHERE runner = $1',
      [this.name],
    );
    this.learn(row?.position ?? null);
    return { position: row?.position ?? null, eventsApplied: Number(row?.events_applied ?? 0), updatedAt: row ? new Date(row.updated_at) : null };
  }

  /** How far the stored read models are behind the event store, whichever process applies them. */
  async lag(now = new Date()): Promise<ProjectionLag> {
    const { position } = await this.checkpoint();
    const behind = await this.store.behind(position);
    return { events: behind.events, seconds: behind.firstRecordedAt ? Math.max(0, (now.getTime() - behind.firstRecordedAt.getTime()) / 1000) : 0 };
  }

  /**
   * Resolves true once the read models include the event at `position` (a write's, for
   * read-your-writes), false after `ms`. Learns of commits from this process's runner and, where
   * the database delivers notifications, from any runner's announcement (see `watch`): no polling.
   */
  reached(position: GlobalPosition, ms: number): Promise<boolean> {
    const passed = () => this.store.compare(this.committed, position) >= 0;
    if (passed()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!passed()) return;
        clearTimeout(timer);
        this.commits.off('commit', check);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.commits.off('commit', check);
        resolve(passed());
      }, ms);
      this.commits.on('commit', check);
    });
  }

  /**
   * Follows the checkpoints other processes commit (an external projector, other instances), as
   * they announce them, until the returned function is called. Without notifications (PGlite,
   * whose one process applies everything itself) there is nothing to follow.
   */
  async watch(): Promise<() => Promise<void>> {
    if (!this.db.listen) return async () => undefined;
    const [{ schema }] = (await this.db.query<{ schema: string }>('SELECT current_schema() AS schema')) as [{ schema: string }];
    return this.db.listen(CHECKPOINT_CHANNEL, (payload) => {
      // (Re)connected: announcements may have been missed, so read where the checkpoint is.
      if (payload === undefined) return void this.checkpoint().catch(() => undefined);
      const commit = parseAnnouncement(payload);
      // One channel serves every schema of the database: only ours counts.
      if (commit?.schema !== schema || commit.runner !== this.name) return;
      // Anyone connected may NOTIFY: an announcement only says "look", the stored checkpoint says where.
      void this.checkpoint().catch(() => undefined);
    });
  }

  /**
   * Follows the store until `signal` aborts; a failing batch is rolled back and stops the runner.
   * When another runner moved the checkpoint, follows again from where that one got to.
   */
  async run(signal: AbortSignal): Promise<void> {
    try {
      while (!signal.aborted) {
        const { position, eventsApplied } = await this.checkpoint();
        this.status = { state: 'running', position, eventsApplied };
        try {
          let from = position;
          for await (const batch of this.store.follow({ from, batchSize: this.batchSize, signal })) {
            await this.applyBatch(from, batch.events, batch.next);
            from = batch.next;
          }
        } catch (error) {
          if (!(error instanceof CheckpointMovedError)) throw error;
        }
      }
      this.status = { ...this.status, state: 'stopped' };
    } catch (error) {
      this.status = { ...this.status, state: 'failed', failure: error instanceof Error ? error.name : 'unknown' };
      throw error;
    }
  }

  /**
   * Applies everything up to the end of the store, reporting progress after each batch. Read
   * models kept at a position the store no longer resumes from (an earlier version's order) are
   * rebuilt from the beginning.
   */
  async catchUp(onProgress?: (eventsApplied: number) => void, signal?: AbortSignal): Promise<number> {
    let { position, eventsApplied } = await this.checkpoint();
    this.status = { state: 'catching_up', position, eventsApplied };
    let applied = 0;
    while (!signal?.aborted) {
      let batch;
      try {
        batch = await this.store.readAll(position, this.batchSize);
      } catch (error) {
        if (!(error instanceof UnknownPositionError) || position === null) throw error;
        return this.rebuild(onProgress);
      }
      if (batch.events.length === 0) return applied;
      try {
        await this.applyBatch(position, batch.events, batch.next);
      } catch (error) {
        if (!(error instanceof CheckpointMovedError)) throw error;
        ({ position } = await this.checkpoint()); // another runner applied it: go on from there
        continue;
      }
      position = batch.next;
      applied += batch.events.length;
      onProgress?.(applied);
    }
    return applied;
  }

  /**
   * Empties the read models and replays the whole store into them. Checks the replay is complete:
   * the events applied are exactly the events the store holds up to the stored checkpoint, or it
   * throws ReplayIncompleteError.
   */
  async rebuild(onProgress?: (eventsApplied: number) => void): Promise<number> {
    await this.asWriter(async (tx) => {
      for (const table of this.projections.flatMap((p) => p.tables)) await tx.query(`DELETE FROM ${table}`);
      await tx.query('DELETE FROM projection_checkpoints WHERE runner = $1', [this.name]);
    });
    this.status = { state: this.status.state, position: null, eventsApplied: 0 };
    this.committed = null;
    await this.catchUp(onProgress);
    return this.checkComplete();
  }

  /**
   * The checkpoint's count of applied events against the store's count up to the checkpoint. Taken
   * twice when they differ, since an append between the two counts of the store moves one of them.
   */
  async checkComplete(): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const { position, eventsApplied } = await this.checkpoint();
      const after = (await this.store.behind(position)).events;
      const stored = (await this.store.behind(null)).events - after;
      if (stored === eventsApplied) return eventsApplied;
      if (attempt === 2) throw new ReplayIncompleteError(eventsApplied, stored);
    }
  }

  /** A checkpoint committed by any runner of these read models, here or elsewhere; checkpoints only move forward, except for a rebuild. */
  private learn(position: GlobalPosition | null): void {
    if (this.store.compare(position, this.committed) <= 0) return;
    this.committed = position;
    this.commits.emit('commit');
  }

  private async applyBatch(from: GlobalPosition | null, events: readonly RecordedEvent[], next: GlobalPosition | null): Promise<void> {
    await this.asWriter(async (tx) => {
      const lock = () => tx.query<{ position: string | null }>('SELECT position FROM projection_checkpoints WHERE runner = $1 FOR UPDATE', [this.name]);
      let [stored] = await lock();
      if (!stored) {
        // The first batch ever, or the first after a rebuild: one statement more, once.
        await tx.query('INSERT INTO projection_checkpoints (runner, position) VALUES ($1, NULL) ON CONFLICT (runner) DO NOTHING', [this.name]);
        [stored] = await lock();
      }
      if ((stored?.position ?? null) !== from) throw new CheckpointMovedError();
      for (const projection of this.projections) await projection.apply(tx, events);
      // Announced on commit (NOTIFY is transactional) to the processes waiting for their writes.
      await tx.query(
        `UPDATE projection_checkpoints SET position = $2, events_applied = events_applied + $3, updated_at = now() WHERE runner = $1
         ${this.db.listen ? `RETURNING pg_notify('${CHECKPOINT_CHANNEL}', json_build_object('schema', current_schema(), 'runner', runner, 'position', position)::text)` : ''}`,
        [this.name, next, events.length],
      );
    });
    this.status = { ...this.status, position: next, eventsApplied: this.status.eventsApplied + events.length, lastBatchAt: new Date() };
    this.learn(next);
  }
}

function parseAnnouncement(payload: string): { schema: string; runner: string; position: GlobalPosition } | undefined {
  try {
    const value = JSON.parse(payload) as Record<string, unknown>;
    return typeof value.schema === 'string' && typeof value.runner === 'string' && typeof value.position === 'string'
      ? { schema: value.schema, runner: value.runner, position: value.position } : undefined;
  } catch {
    return undefined;
  }
}
