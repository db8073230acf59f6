import { describe, expect, it } from '@jest/globals';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { type AppConfig, ConfigError } from '../config/app-config.js';
import { openEventStore } from './event-store.factory.js';

describe('openEventStore with EVENT_STORE=kurrentdb', () => {
  it('names KURRENTDB_URL when the client refuses what loadConfig cannot check (a CA file missing), without its credentials', async () => {
    const config = {
      eventStore: 'kurrentdb',
      kurrentDbUrl: 'kurrentdb://admin:Secret-Pass-1@kurrentdb:2113?tls=true&tlsCAFile=/nonexistent/ca.crt',
    } as AppConfig;
    const opening = openEventStore(config, {} as SqlDatabase);
    await expect(opening).rejects.toThrow(ConfigError);
    await expect(opening).rejects.toThrow(/^KURRENTDB_URL: the KurrentDB client refused it: Failed to load certificate file/);
    await expect(opening).rejects.not.toThrow(/Secret-Pass-1/);
  });
});
