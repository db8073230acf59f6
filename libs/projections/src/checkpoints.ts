import { EventEmitter } from 'node:events';
import type { EventStore, GlobalPosition } from '../../event-store/index.js';

/** Where each group of read models got to: one row per runner name. */
export const CHECKPOINTS = `
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  runner text PRIMARY KEY,
  position text,
  events_applied bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);`;

/** The channel each batch commit is announced on, where the database delivers notifications (PostgreSQL). */
export const CHECKPOINT_CHANNEL = 'projection_checkpoints';

/**
 * The furthest checkpoint this process knows the read models committed, whichever runner applied
 * it, and who waits for it: read-your-writes waits here instead of polling.
 */
export class CommittedPosition {
  private position: GlobalPosition | null = null;
  private readonly commits = new EventEmitter();

  constructor(private readonly store: Pick<EventStore, 'compare'>) {
    this.commits.setMaxListeners(0);
  }

  /** A checkpoint committed by any runner of these read models, here or elsewhere; checkpoints only move forward, except for a rebuild. */
  learn(position: GlobalPosition | null): void {
    if (this.store.compare(position, this.position) <= 0) return;
    this.position = position;
    this.commits.emit('commit');
  }

  /** The read models were emptied: nothing is committed any more. */
  forget(): void {
    this.position = null;
  }

  /** Resolves true once the read models include the event at `position`, false after `ms`. */
  reached(position: GlobalPosition, ms: number): Promise<boolean> {
    const passed = () => this.store.compare(this.position, position) >= 0;
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
}

/** A commit announced on CHECKPOINT_CHANNEL; undefined for anything else sent there. */
export function parseAnnouncement(payload: string): { schema: string; runner: string; position: GlobalPosition } | undefined {
  try {
    const value = JSON.parse(payload) as Record<string, unknown>;
    return typeof value.schema === 'string' && typeof value.runner === 'string' && typeof value.position === 'string'
      ? { schema: value.schema, runner: value.runner, position: value.position }
      : undefined;
  } catch {
    return undefined;
  }
}
