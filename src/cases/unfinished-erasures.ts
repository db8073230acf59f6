import { Inject, Injectable } from '@nestjs/common';
import type { CaseEvent } from '../../libs/domain/index.js';
import { DATA_KEY_STORE, type DataKeyStore } from '../../libs/crypto/index.js';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/index.js';
import { ProjectionRunner } from '../../libs/projections/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { readAcrossAgencies } from '../platform/agency-scope.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { caseIdOf } from './case-stream.js';

/** Events read per page from the read models' checkpoint on. */
const PAGE = 500;
/** The only events this looks for after the checkpoint: the store passes over the rest itself. */
const ERASED = 'CaseErased' satisfies CaseEvent['type'];

/**
 * Finishes erasures a crash interrupted between `CaseErased` and the key's destruction. The erased
 * cases are found through the port, whichever store keeps the events: those the read models already
 * show erased, then the `CaseErased` events after the read models' checkpoint, read by type so that
 * a start with many events still to project does not wait to receive them all. The checkpoint is
 * read first, so the two together miss none.
 */
@Injectable()
export class UnfinishedErasures {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATA_KEY_STORE) private readonly keys: DataKeyStore,
    private readonly runner: ProjectionRunner,
  ) {}

  /** Destroys the key of every erased case that still has one; returns how many it destroyed. */
  async finish(): Promise<number> {
    const { position } = await this.runner.checkpoint();
    const shown = await readAcrossAgencies(this.db, (tx) =>
      tx.query<{ case_id: string }>(
        `SELECT case_id FROM agency_case_views WHERE relation = 'owner' AND coalesce((view->>'erased')::boolean, false)`,
      ),
    );
    let destroyed = 0;
    const finishCase = async (caseId: string) => {
      if (!Buffer.isBuffer(await this.keys.get(caseId))) return;
      await this.keys.destroy(caseId);
      destroyed++;
    };
    for (const { case_id } of shown) await finishCase(case_id);
    for (let from = position; ;) {
      const { events, next } = await this.store.readAll(from, PAGE, { eventTypes: [ERASED] });
      if (events.length === 0) return destroyed;
      for (const event of events) {
        // Checked again: a key is destroyed for good, so not on the word of a store that ignored the filter.
        const caseId = event.type === ERASED ? caseIdOf(event.streamId) : undefined;
        if (caseId !== undefined) await finishCase(caseId);
      }
      from = next;
    }
  }
}
