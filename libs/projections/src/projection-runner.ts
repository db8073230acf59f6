import { type EventStore, type GlobalPosition, type RecordedEvent, UnknownPositionError } from '../../event-store/index.js';
import type { SqlClient, SqlDatabase } from '../../sql/index.js';
import { CHECKPOINTS, CHECKPOINT_CHANNEL, CommittedPosition, parseAnnouncement } from './checkpoints.js';
import {
  type ApplyContext,
  CheckpointMovedError,
  type Projection,
  type ProjectionLag,
  ReplayIncompleteError,
  type RunnerOptions,
  type RunnerStatus,
} from './projection.js';

/**
 * Keeps a group of projections up to date. Each batch of events and the position after it are
 * committed in one transaction, so a crash anywhere leaves the read models exactly at their
 * stored position: nothing is lost and nothing is applied twice. Each batch locks the checkpoint
 * row and checks it still is where this runner started the batch, so two runners of the same
 * read models (two app instances, or the app and `npm run projector`) never apply a batch twice.
 */
export class ProjectionRunner {
  private status: RunnerStatus = { state: 'idle', position: null, eventsApplied: 0 };
  private readonly committed: CommittedPosition;

  constructor(
    private readonly name: string,
    private readonly db: SqlDatabase,
    private readonly store: EventStore,
    private readonly projections: readonly Projection[],
    private readonly options: RunnerOptions = {},
  ) {
    this.committed = new CommittedPosition(store);
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 500;
  }

  private get replayBatchSize(): number {
    return this.options.replayBatchSize ?? this.options.batchSize ?? 5000;
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
    this.committed.learn(row?.position ?? null);
    return {
      position: row?.position ?? null,
      eventsApplied: Number(row?.events_applied ?? 0),
      updatedAt: row ? new Date(row.updated_at) : null,
    };
  }

  /** How far the stored read models are behind the event store, whichever process applies them. */
  async lag(now = new Date()): Promise<ProjectionLag> {
    const { position } = await this.checkpoint();
    const behind = await this.store.behind(position);
    return {
      events: behind.events,
      seconds: behind.firstRecordedAt ? Math.max(0, (now.getTime() - behind.firstRecordedAt.getTime()) / 1000) : 0,
    };
  }

  /**
   * Resolves true once the read models include the event at `position` (a write's, for
   * read-your-writes), false after `ms`. Learns of commits from this process's runner and, where
   * the database delivers notifications, from any runner's announcement (see `watch`): no polling.
   */
  reached(position: GlobalPosition, ms: number): Promise<boolean> {
    return this.committed.reached(position, ms);
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
  catchUp(onProgress?: (eventsApplied: number) => void, signal?: AbortSignal): Promise<number> {
    return this.applyToEnd({ replay: false }, this.batchSize, onProgress, signal);
  }

  /** catchUp's loop, in batches of `batchSize`; a rebuild runs it as a replay. */
  private async applyToEnd(
    context: ApplyContext,
    batchSize: number,
    onProgress?: (eventsApplied: number) => void,
    signal?: AbortSignal,
  ): Promise<number> {
    const stored = await this.checkpoint();
    let { position } = stored;
    const { eventsApplied } = stored;
    this.status = { state: 'catching_up', position, eventsApplied };
    let applied = 0;
    while (!signal?.aborted) {
      let batch;
      try {
        batch = await this.store.readAll(position, batchSize);
      } catch (error) {
        if (!(error instanceof UnknownPositionError) || position === null) throw error;
        return this.rebuild(onProgress);
      }
      if (batch.events.length === 0) return applied;
      try {
        await this.applyBatch(position, batch.events, batch.next, context);
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
    await this.empty();
    await this.applyToEnd({ replay: true }, this.replayBatchSize, onProgress);
    return this.checkComplete();
  }

  /** Empties the read models and forgets their checkpoint, in one transaction (append-only tables keep their rows). */
  async empty(): Promise<void> {
    await this.asWriter(async (tx) => {
      for (const table of this.projections.flatMap((p) => p.tables)) await tx.query(`DELETE FROM ${table}`);
      await tx.query('DELETE FROM projection_checkpoints WHERE runner = $1', [this.name]);
    });
    this.status = { state: this.status.state, position: null, eventsApplied: 0 };
    this.committed.forget();
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

  private async applyBatch(
    from: GlobalPosition | null,
    events: readonly RecordedEvent[],
    next: GlobalPosition | null,
    context: ApplyContext = { replay: false },
  ): Promise<void> {
    await this.asWriter(async (tx) => {
      const lock = () =>
        tx.query<{ position: string | null }>('SELECT position FROM projection_checkpoints WHERE runner = $1 FOR UPDATE', [this.name]);
      let [stored] = await lock();
      if (!stored) {
        // The first batch ever, or the first after a rebuild: one statement more, once.
        await tx.query('INSERT INTO projection_checkpoints (runner, position) VALUES ($1, NULL) ON CONFLICT (runner) DO NOTHING', [
          this.name,
        ]);
        [stored] = await lock();
      }
      if ((stored?.position ?? null) !== from) throw new CheckpointMovedError();
      for (const projection of this.projections) await projection.apply(tx, events, context);
      // Announced on commit (NOTIFY is transactional) to the processes waiting for their writes.
      await tx.query(
        `UPDATE projection_checkpoints SET position = $2, events_applied = events_applied + $3, updated_at = now() WHERE runner = $1
         ${this.db.listen ? `RETURNING pg_notify('${CHECKPOINT_CHANNEL}', json_build_object('schema', current_schema(), 'runner', runner, 'position', position)::text)` : ''}`,
        [this.name, next, events.length],
      );
    });
    this.status = { ...this.status, position: next, eventsApplied: this.status.eventsApplied + events.length, lastBatchAt: new Date() };
    this.committed.learn(next);
  }
}
