/**
 * `npm run verify [-- --head <hash>]`: recomputes the audit hash chain (every event, the consent
 * trail, personal-data access records) against what is stored now, checks each event's MAC, and
 * with `--head` that a head published earlier is still in the chain. Prints the result as JSON;
 * exits 1 at a broken link, 2 when it cannot verify.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHAIN_HASH } from '../libs/audit-chain/index.js';
import { MasterKey } from '../libs/crypto/index.js';
import { ProjectionRunner } from '../libs/projections/index.js';
import { DataDirectoryInUseError } from '../libs/sql/index.js';
import { type AppConfig, ConfigError, loadConfig } from './config/app-config.js';
import { openEventStore } from './platform/event-store.factory.js';
import { openDatabase } from './platform/persistence.module.js';
import { SchemaNotReadyError, prepareSchema } from './platform/schema.js';
import { deriveKey } from './platform/secrets.js';
import { notYetProjected, verifyAuditChain } from './audit/audit-chain-verify.js';
import { READ_MODELS, READ_MODELS_RUNNER } from './read-models.js';

function headArgument(args: readonly string[]): string | undefined {
  const at = args.indexOf('--head');
  if (at < 0) return undefined;
  const head = args[at + 1];
  if (!head || !CHAIN_HASH.test(head)) throw new ConfigError('--head', 'takes a published head: 64 lower-case hex digits');
  return head;
}

/** The events' MAC key, from the same master key the service uses; never generated here (a new key would fail every event). */
async function macKey(config: AppConfig): Promise<Buffer> {
  if (config.masterKey) return deriveKey(MasterKey.fromBase64(config.masterKey), 'event-authentication');
  if (config.mode === 'postgres') throw new ConfigError('MASTER_KEY', "is required to check the events' MAC");
  const text = await readFile(join(config.dataDir, 'master.key'), 'utf8').catch(() => undefined);
  if (text === undefined) throw new ConfigError('DATA_DIR', 'holds no master.key: the service has never run with this data directory');
  return deriveKey(MasterKey.fromBase64(text), 'event-authentication');
}

async function main(): Promise<number> {
  const head = headArgument(process.argv.slice(2));
  const config = loadConfig(process.env, process.cwd(), false);
  const key = await macKey(config);
  const db = await openDatabase(config, prepareSchema);
  try {
    console.error('Verifying the audit chain...');
    // The configured store (KurrentDB's too): the chain vouches for the events where they are kept.
    const events = await openEventStore(config, db);
    try {
      const runner = new ProjectionRunner(READ_MODELS_RUNNER, db, events.store, READ_MODELS);
      const result = await verifyAuditChain(db, events.store, {
        macKey: key,
        ...(head ? { head } : {}),
        pending: notYetProjected(runner, events.store),
      });
      console.log(JSON.stringify(result, null, 2));
      return result.verified ? 0 : 1;
    } finally {
      await events.close();
    }
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof DataDirectoryInUseError || error instanceof SchemaNotReadyError)
      console.error(`Cannot verify: ${error.message}`);
    else console.error('Cannot verify:', error instanceof Error ? error.name : 'unknown error');
    process.exit(2);
  },
);
