import type { EventStore, GlobalPosition, RecordedEvent } from '../../event-store/index.js';
import type { SqlClient, SqlDatabase } from '../../sql/index.js';

/** A read model kept from the event stream. `apply` runs inside the batch's transaction. */
export interface Projection {
  readonly name: string;
  /** Idempotent DDL of its tables. */
  readonly schema: string;
  /** Its tables, emptied before a rebuild. */
  readonly tables: readonly string[];
  apply(tx: SqlClient, event: RecordedEvent): Promise<void>;
}

export interface RunnerStatus {
  readonly state: 'idle' | 'running' | 'stopped' | 'failed';
  readonly position: GlobalPosition | null;
  readonly eventsApplied: number;
  readonly lastBatchAt?: Date;
  /** Kind of the error that stopped it; its message may hold data, so it is not kept. */
  readonly failure?: string;
}

const CHECKPOINTS = `
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  runner text PRIMARY KEY,
  position text,
  events_applied bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);`;

/**
 * Keeps a group of projections up to date. Each batch of events and the position after it are
 * committed in one transaction, so a crash anywhere leaves the read models exactly at their
 * stored position: nothing is lost and nothing is applied twice.
 */
export class ProjectionRunner {
  private status: RunnerStatus = { state: 'idle', position: null, eventsApplied: 0 };

  constructor(
    private readonly name: string,
    private readonly db: SqlDatabase,
    private readonly store: EventStore,
    private readonly projections: readonly Projection[],
    private readonly batchSize = 500,
  ) {}

  async migrate(): Promise<void> {
    await this.db.exec(CHECKPOINTS + this.projections.map((p) => p.schema).join('\n'));
  }

  current(): RunnerStatus {
    return this.status;
  }

  async checkpoint(): Promise<{ position: GlobalPosition | null; eventsApplied: number }> {
    const [row] = await this.db.query<{ position: string | null; events_applied: number | string }>(
      'SELECT position, events_applied FROM projection_checkpoints WHERE runner = $1',
      [this.name],
    );
    return { position: row?.position ?? null, eventsApplied: Number(row?.events_applied ?? 0) };
  }

  /** Follows the store until `signal` aborts; a failing batch is rolled back and stops the runner. */
  async run(signal: AbortSignal): Promise<void> {
    const { position, eventsApplied } = await this.checkpoint();
    this.status = { state: 'running', position, eventsApplied };
    try {
      for await (const batch of this.store.follow({ from: position, batchSize: this.batchSize, signal })) {
        await this.applyBatch(batch.events, batch.next);
      }
      this.status = { ...this.status, state: 'stopped' };
    } catch (error) {
      this.status = { ...this.status, state: 'failed', failure: error instanceof Error ? error.name : 'unknown' };
      throw error;
    }
  }

  /** Applies everything up to the end of the store, reporting progress after each batch. */
  async catchUp(onProgress?: (eventsApplied: number) => void): Promise<number> {
    let { position } = await this.checkpoint();
    let applied = 0;
    for (;;) {
      const batch = await this.store.readAll(position, this.batchSize);
      if (batch.events.length === 0) return applied;
      await this.applyBatch(batch.events, batch.next);
      position = batch.next;
      applied += batch.events.length;
      onProgress?.(applied);
    }
  }

  /** Empties the read models and replays the whole store into them. */
  async rebuild(onProgress?: (eventsApplied: number) => void): Promise<number> {
    await this.db.transaction(async (tx) => {
      for (const table of this.projections.flatMap((p) => p.tables)) await tx.query(`DELETE FROM ${table}`);
      await tx.query('DELETE FROM projection_checkpoints WHERE runner = $1', [this.name]);
    });
    this.status = { state: this.status.state, position: null, eventsApplied: 0 };
    return this.catchUp(onProgress);
  }

  private async applyBatch(events: readonly RecordedEvent[], next: GlobalPosition | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const event of events) {
        for (const projection of this.projections) await projection.apply(tx, event);
      }
      await tx.query(
        `INSERT INTO projection_checkpoints (runner, position, events_applied, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (runner) DO UPDATE SET position = EXCLUDED.position,
           events_applied = projection_checkpoints.events_applied + EXCLUDED.events_applied, updated_at = now()`,
        [this.name, next, events.length],
      );
    });
    this.status = { ...this.status, position: next, eventsApplied: this.status.eventsApplied + events.length, lastBatchAt: new Date() };
  }
}
