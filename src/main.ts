import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig } from './config/app-config.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const where = config.mode === 'embedded' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL from DATABASE_URL';
  new Logger('Main').log(`Listening on http://${config.host}:${config.port} (${where}); API docs at /api/docs`);
}

main().catch((error: unknown) => {
  // A configuration error names the setting; anything else is reported by kind, not by content.
  if (error instanceof ConfigError) console.error(`Cannot start: ${error.message}`);
  else console.error('Cannot start:', error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error');
  process.exit(1);
});
