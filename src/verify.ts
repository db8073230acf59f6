/**
 * `npm run verify`: recomputes the audit hash chain (consent events and personal-data access
 * records) against what is stored now. Prints the result as JSON; exits 1 at a broken link.
 */
import { ConfigError, loadConfig } from './config/app-config.js';
import { openDatabase } from './platform/persistence.module.js';
import { SchemaNotReadyError, prepareSchema } from './platform/schema.js';
import { verifyAuditChain } from './audit/audit-chain.js';
import { DataDirectoryInUseError } from '../libs/sql/index.js';

async function main(): Promise<number> {
  const db = await openDatabase(loadConfig(process.env, process.cwd(), false), prepareSchema);
  try {
    console.error('Verifying the audit chain...');
    const result = await verifyAuditChain(db);
    console.log(JSON.stringify(result, null, 2));
    return result.verified ? 0 : 1;
  } finally {
    await db.close();
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirectoryInUseError || error instanceof SchemaNotReadyError) console.error(`Cannot verify: ${error.message}`);
  else console.error('Cannot verify:', error instanceof Error ? error.name : 'unknown error');
  process.exit(2);
});
