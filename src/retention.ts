/**
 * `npm run retention`: lists the closed cases past RETENTION_DAYS (a dry run, nothing changes);
 * `npm run retention -- --apply` erases them. Prints case ids and closure dates only.
 */
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { RetentionService } from './cases/retention.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { DataDirectoryInUseError } from '../libs/sql/index.js';

async function main(apply: boolean): Promise<void> {
  const config = { ...loadConfig(), retentionSchedule: false, consentExpirySchedule: false, demoNetwork: false };
  if (config.retentionDays === undefined) throw new ConfigError('RETENTION_DAYS', 'is not set: there is no retention period to apply');
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['warn', 'error'] });
  try {
    const cases = await app.get(RetentionService).run({ apply });
    console.log(JSON.stringify({ retentionDays: config.retentionDays, applied: apply, cases }, null, 2));
    if (!apply && cases.length > 0) console.error(`${cases.length} case(s) would be erased; run with --apply to erase them.`);
  } finally {
    await app.close();
  }
}

main(process.argv.includes('--apply')).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirectoryInUseError) console.error(`Cannot run retention: ${error.message}`);
  else console.error('Retention failed:', error instanceof Error ? error.name : 'unknown error');
  process.exit(1);
});
