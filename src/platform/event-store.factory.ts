import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { type EventStore, KurrentDbEventStore, SqlEventStore } from '../../libs/event-store/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import type { AppConfig } from '../config/app-config.js';

/** The event store the configuration names, not yet sealed; `close` releases what it holds besides `db`. */
export function openEventStore(config: AppConfig, db: SqlDatabase): { store: EventStore; close(): Promise<void> } {
  if (config.eventStore === 'kurrentdb') {
    const store = new KurrentDbEventStore(KurrentDBClient.connectionString(config.kurrentDbUrl!));
    return { store, close: () => store.close() };
  }
  return { store: new SqlEventStore(db, { pollIntervalMs: config.projectionPollMs }), close: async () => undefined };
}
