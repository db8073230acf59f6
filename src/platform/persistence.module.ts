import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  DATA_KEY_STORE,
  type DataKeyStore,
  MasterKey,
  PersonalDataCipher,
  SqlDataKeyStore,
  loadOrCreateMasterKeyFile,
} from '../../libs/crypto/index.js';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/index.js';
import { type SqlDatabase, createTypeOrmDataSource } from '../../libs/sql/index.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { IDENTITY_ENTITIES } from '../identity/directory.entities.js';
import { IDEMPOTENCY_KEY } from './platform.tokens.js';
import { deriveKey } from './secrets.js';
import { SealingEventStore } from '../audit/sealing-event-store.js';
import { openEventStore } from './event-store.factory.js';
import { connectDatabase } from './database-connection.js';

export const SQL_DATABASE = Symbol('SqlDatabase');

/** Brings the schema up to date, or checks that it is (platform/schema.ts; passed in, as it names every module's tables). */
export type PrepareSchema = (db: SqlDatabase) => Promise<void>;

export { embeddedDatabaseDir } from './database-connection.js';

/**
 * The configured database (PGlite in the data directory, or PostgreSQL), with the service's schema
 * in place; `connecting`, when the caller started opening it already (main.ts, while the rest loads).
 */
export async function openDatabase(
  config: AppConfig,
  prepareSchema: PrepareSchema,
  connecting: Promise<SqlDatabase> = connectDatabase(config),
): Promise<SqlDatabase> {
  const db = await connecting;
  try {
    await prepareSchema(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
export const MASTER_KEY = Symbol('MasterKey');
export const TYPEORM_DATA_SOURCE = Symbol('TypeOrmDataSource');
/** The key of the MAC every appended event carries (derived from the master key; the database never holds it). */
export const EVENT_MAC_KEY = Symbol('EventMacKey');
/** The configured event store before sealing (SQL or KurrentDB), and how to release it. */
const OPENED_EVENT_STORE = Symbol('OpenedEventStore');

/**
 * The composition root of storage: one SqlDatabase (PGlite in the data directory, or PostgreSQL
 * from DATABASE_URL) under the event store, the key store and the TypeORM repositories.
 */
@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  private static readonly logger = new Logger('Persistence');

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(TYPEORM_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(OPENED_EVENT_STORE) private readonly events: Awaited<ReturnType<typeof openEventStore>>,
  ) {}

  static forRoot(config: AppConfig, prepareSchema: PrepareSchema, connecting?: Promise<SqlDatabase>): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        {
          provide: SQL_DATABASE,
          useFactory: () => openDatabase(config, prepareSchema, connecting),
        },
        {
          provide: MASTER_KEY,
          useFactory: async () => {
            if (config.masterKey) return MasterKey.fromBase64(config.masterKey);
            const file = join(config.dataDir, 'master.key');
            const { key, created } = await loadOrCreateMasterKeyFile(file);
            if (created)
              PersistenceModule.logger.warn(
                `Generated a master key in ${file}. Back it up: without it no personal data can be read. Production uses MASTER_KEY or a KMS.`,
              );
            return key;
          },
        },
        {
          provide: EVENT_MAC_KEY,
          inject: [MASTER_KEY],
          useFactory: (masterKey: MasterKey) => deriveKey(masterKey, 'event-authentication'),
        },
        { provide: OPENED_EVENT_STORE, inject: [SQL_DATABASE], useFactory: (db: SqlDatabase) => openEventStore(config, db) },
        {
          provide: EVENT_STORE,
          inject: [OPENED_EVENT_STORE, EVENT_MAC_KEY],
          useFactory: (opened: { store: EventStore }, macKey: Buffer) => new SealingEventStore(opened.store, macKey),
        },
        {
          provide: DATA_KEY_STORE,
          inject: [SQL_DATABASE, MASTER_KEY],
          useFactory: (db: SqlDatabase, masterKey: MasterKey) => new SqlDataKeyStore(db, masterKey),
        },
        {
          provide: IDEMPOTENCY_KEY,
          inject: [MASTER_KEY],
          useFactory: (masterKey: MasterKey) => deriveKey(masterKey, 'idempotency-fingerprint'),
        },
        { provide: PersonalDataCipher, inject: [DATA_KEY_STORE], useFactory: (keys: DataKeyStore) => new PersonalDataCipher(keys) },
        {
          provide: TYPEORM_DATA_SOURCE,
          inject: [SQL_DATABASE],
          useFactory: (db: SqlDatabase) => createTypeOrmDataSource(db, { entities: IDENTITY_ENTITIES }),
        },
      ],
      exports: [
        APP_CONFIG,
        SQL_DATABASE,
        MASTER_KEY,
        IDEMPOTENCY_KEY,
        EVENT_MAC_KEY,
        EVENT_STORE,
        DATA_KEY_STORE,
        PersonalDataCipher,
        TYPEORM_DATA_SOURCE,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.events.close();
    await this.dataSource.destroy();
    await this.db.close();
  }
}
