import { type EventStore, SqlEventStore } from '../../libs/event-store/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { type AppConfig, ConfigError } from '../config/app-config.js';
import { redact } from './logging.js';

/**
 * The event store the configuration names, not yet sealed; `close` releases what it holds besides
 * `db`. The KurrentDB client (a native module and gRPC, about 30 MB) is loaded only when chosen.
 */
export async function openEventStore(config: AppConfig, db: SqlDatabase): Promise<{ store: EventStore; close(): Promise<void> }> {
  if (config.eventStore === 'kurrentdb') {
    const [{ KurrentDBClient }, { KurrentDbEventStore }] = await Promise.all([
      import('@kurrent/kurrentdb-client'),
      import('../../libs/event-store/src/kurrentdb-event-store.js'),
    ]);
    let client;
    try {
      client = KurrentDBClient.connectionString(config.kurrentDbUrl!);
    } catch (error) {
      // Checked in loadConfig already; what is left (a tlsCAFile that is missing) is named without the URL's credentials.
      throw new ConfigError(
        'KURRENTDB_URL',
        `the KurrentDB client refused it: ${redact(error instanceof Error ? error.message : 'unknown error')}`,
      );
    }
    const store = new KurrentDbEventStore(client);
    return { store, close: () => store.close() };
  }
  return { store: new SqlEventStore(db, { pollIntervalMs: config.projectionPollMs }), close: async () => undefined };
}
