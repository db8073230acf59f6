import type { GlobalPosition, RecordedEvent } from '../../event-store/index.js';
import type { SqlClient } from '../../sql/index.js';

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
  apply(tx: SqlClient, events: readonly RecordedEvent[], context?: ApplyContext): Promise<void>;
}

export interface ApplyContext {
  /**
   * A rebuild replays the store into emptied read models: what a projection keeps across a
   * rebuild (append-only tables) most likely holds these events already.
   */
  readonly replay: boolean;
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
  /** Events per batch (and per transaction) while following or catching up. */
  readonly batchSize?: number;
  /**
   * Events per batch during a rebuild, larger than while following: nobody waits for an event of
   * a replay, and each batch costs its round trips and locks whatever its size. Defaults to
   * batchSize when that is set, else 5000.
   */
  readonly replayBatchSize?: number;
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
