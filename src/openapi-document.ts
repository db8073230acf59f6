import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApiDocument } from './app.factory.js';
import { AppModule } from './app.module.js';
import { loadConfig } from './config/app-config.js';

/**
 * Writes the service's OpenAPI document to the path given (stdout without one) without starting the
 * service: Nest's preview mode reads the controllers' decorators and instantiates nothing, so no
 * database is opened. The web application's typed client is generated from this file in the build.
 */
async function main(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'openapi-'));
  try {
    const app = await NestFactory.create(AppModule.forRoot(loadConfig({ DATA_DIR: scratch })), { preview: true, logger: false });
    const text = `${JSON.stringify(openApiDocument(app), null, 2)}\n`;
    const target = process.argv[2];
    if (target) await writeFile(target, text);
    else process.stdout.write(text);
    await app.close();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error('Cannot write the OpenAPI document:', error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error');
  process.exit(1);
});
