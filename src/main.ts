import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/app-config.js';
import { connectDatabase } from './platform/database-connection.js';

async function main(): Promise<void> {
  const config = loadConfig();
  // The database opens (PGlite starts PostgreSQL on its own thread) while the application's modules
  // load, rather than after: about a second and a half sooner listening on these machines.
  const connecting = connectDatabase(config);
  connecting.catch(() => undefined); // reported where the application awaits it
  const { createApp } = await import('./app.factory.js');
  const app = await createApp(config, { connecting });
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
