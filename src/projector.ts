/**
 * The projector as its own process: `npm run projector` keeps the read models up to date (run the
 * app with PROJECTOR=external beside it), `npm run rebuild` empties them and replays every event.
 * Both show progress; neither prints anything from an event.
 */
import { DataDirectoryInUseError } from '../libs/sql/index.js';
import { ProjectionRunner, ReplayIncompleteError } from '../libs/projections/index.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { DATABASE_ROLES } from './platform/database-roles.js';
import { openEventStore } from './platform/event-store.factory.js';
import { openDatabase } from './platform/persistence.module.js';
import { SchemaNotReadyError, prepareSchema } from './platform/schema.js';
import { READ_MODELS, READ_MODELS_RUNNER } from './read-models.js';

/** A one-line progress bar on stderr, redrawn in place on a terminal and every tenth of the way otherwise. */
export function progressBar(label: string, total: number, out: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  let lastTenth = -1;
  return (done: number) => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
    const line = `${label} [${'#'.repeat(Math.round(fraction * 30)).padEnd(30, '.')}] ${done}/${total} events ${Math.round(fraction * 100)}% ${rate}/s`;
    if (out.isTTY) out.write(`\r${line}${fraction === 1 ? '\n' : ''}`);
    else if (Math.floor(fraction * 10) !== lastTenth) {
      lastTenth = Math.floor(fraction * 10);
      out.write(`${line}\n`);
    }
  };
}

async function main(command: string | undefined): Promise<void> {
  if (command !== 'run' && command !== 'rebuild')
    throw new ConfigError('command', 'use `run` (follow the store) or `rebuild` (replay from zero)');
  const config = loadConfig(process.env, process.cwd(), false); // it never opens personal data, so it gets no keys
  const db = await openDatabase(config, prepareSchema);
  const events = await openEventStore(config, db);
  const store = events.store;
  const runner = new ProjectionRunner(READ_MODELS_RUNNER, db, store, READ_MODELS, { role: DATABASE_ROLES.projector });
  try {
    if (command === 'rebuild') {
      const total = (await store.behind(null)).events;
      const applied = await runner.rebuild(progressBar('rebuild', total));
      console.error(`Rebuilt the read models from ${applied} events: every event the store holds, checked.`);
      return;
    }
    // A stop asked for during catch-up ends it after the batch in hand, as it does while following.
    const stop = new AbortController();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
    const { position } = await runner.checkpoint();
    await runner.catchUp(progressBar('catch-up', (await store.behind(position)).events), stop.signal);
    if (stop.signal.aborted) return;
    console.error('Caught up; following new events (Ctrl-C to stop).');
    await runner.run(stop.signal);
  } finally {
    await events.close();
    await db.close();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  // These messages name a setting, a process id or counts, never data.
  if (error instanceof ConfigError || error instanceof DataDirectoryInUseError || error instanceof SchemaNotReadyError)
    console.error(`Cannot run the projector: ${error.message}`);
  else if (error instanceof ReplayIncompleteError) console.error(`The replay is incomplete: ${error.message}`);
  else console.error('The projector stopped:', error instanceof Error ? error.name : 'unknown error');
  process.exit(1);
});
