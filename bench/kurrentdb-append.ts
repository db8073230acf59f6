/**
 * Appends through the KurrentDB adapter beside the raw client's `appendToStream`, both over gRPC to
 * the same in-memory KurrentDB protocol double (no KurrentDB runs here): the ratio is the adapter's
 * own cost (its read-back of the last event's position, the conversion of events), not KurrentDB's.
 * Against a real KurrentDB, set KURRENTDB_URL and the same two measures run there instead.
 */
import { KurrentDBClient, jsonEvent } from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import { KurrentDbEventStore } from '../libs/event-store/src/kurrentdb-event-store.js';
import { startInMemoryKurrentDb } from '../test/support/in-memory-kurrentdb/in-memory-kurrentdb-server.js';

/** One side of a comparison: units done and seconds taken in a round. */
type Measure = (round: number) => Promise<[number, number]>;

/** What bench/run.ts lends: its round-robin of baseline and measure, its progress, its payloads and its completeness check. */
export interface BenchTools {
  readonly events: number;
  readonly rounds: number;
  readonly batch: number;
  interleaved(rounds: number, pair: readonly [Measure, Measure]): Promise<[number, number]>;
  timed(label: string, total: number, step: (done: number) => Promise<number>): Promise<number>;
  payload(): { data: Record<string, unknown>; metadata: Record<string, unknown> };
  expectCount(label: string, actual: number, expected: number): void;
}

export interface KurrentDbAppendFigures {
  readonly single: { readonly raw: number; readonly adapter: number };
  readonly batch: { readonly raw: number; readonly adapter: number };
  readonly where: string;
}

export async function kurrentDbAppendBenchmark(tools: BenchTools): Promise<KurrentDbAppendFigures> {
  const url = process.env.KURRENTDB_URL;
  const server = url ? undefined : await startInMemoryKurrentDb();
  const client = KurrentDBClient.connectionString(url ?? server!.url);
  const store = new KurrentDbEventStore(client);
  const perRound = Math.ceil(tools.events / tools.rounds / tools.batch) * tools.batch;
  const where = url ? 'the KurrentDB at KURRENTDB_URL' : 'the in-memory KurrentDB protocol double';
  console.log(`\n  KurrentDB appends on ${where}: ${perRound * tools.rounds} events of ~500 bytes per measure, ${tools.rounds} rounds`);
  const prefix = `bench-${randomUUID()}`;
  let raw = 0;
  let adapter = 0;
  const events = (n: number) => Array.from({ length: n }, () => ({ eventId: randomUUID(), type: 'ReferralRequested', ...tools.payload() }));
  const rawAppend = async (n: number) => {
    const written = events(n).map((e) => jsonEvent({ id: e.eventId, type: e.type, data: e.data, metadata: e.metadata }));
    await client.appendToStream(`${prefix}-raw-${raw++}`, written, { streamState: 'no_stream' });
  };
  const adapterAppend = async (n: number) => {
    await store.appendToStream(`${prefix}-adapter-${adapter++}`, events(n), { expectedRevision: 'no_stream' });
  };
  const measure =
    (label: string, perStep: number, step: () => Promise<unknown>) =>
    async (round: number): Promise<[number, number]> => [
      perRound,
      await tools.timed(`round ${round + 1}/${tools.rounds} ${label}`, perRound, async () => (await step(), perStep)),
    ];
  try {
    const single = await tools.interleaved(tools.rounds, [
      measure('client appendToStream, 1 event', 1, () => rawAppend(1)),
      measure('adapter appendToStream, 1 event', 1, () => adapterAppend(1)),
    ]);
    const batch = await tools.interleaved(tools.rounds, [
      measure(`client appendToStream, ${tools.batch} events`, tools.batch, () => rawAppend(tools.batch)),
      measure(`adapter appendToStream, ${tools.batch} events`, tools.batch, () => adapterAppend(tools.batch)),
    ]);
    if (server) {
      const all = server.log.readAll('start', true, Number.MAX_SAFE_INTEGER);
      const count = (kind: string) => all.filter((e) => e.streamId.startsWith(`${prefix}-${kind}-`)).length;
      tools.expectCount('events the raw client appended', count('raw'), 2 * perRound * tools.rounds);
      tools.expectCount('events the adapter appended', count('adapter'), 2 * perRound * tools.rounds);
    }
    return { single: { raw: single[0], adapter: single[1] }, batch: { raw: batch[0], adapter: batch[1] }, where };
  } finally {
    await store.close();
    await server?.close();
  }
}
