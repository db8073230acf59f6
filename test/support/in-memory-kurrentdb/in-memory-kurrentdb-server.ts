/**
 * A TEST DOUBLE OF THE KURRENTDB gRPC PROTOCOL, NOT A KURRENTDB. It answers the real
 * `@kurrent/kurrentdb-client` (its grpc-js half and its Rust bridge alike) over the wire on
 * 127.0.0.1, with the service definitions and messages the client package ships, and implements
 * only what the event-store adapter calls: ServerFeatures.GetSupportedMethods, Streams.BatchAppend,
 * Streams.Append, and Streams.Read of a stream, of `$all` (filtered by event type or not), and as a
 * catch-up subscription to `$all` (no other filters, no links, no deletes, no security, nothing
 * persisted). The storage rules it mimics are in in-memory-log.ts. No KurrentDB can run on the machines the tests run on; the contract
 * suite also runs against a real one whenever KURRENTDB_URL is set.
 */
import * as grpc from '@grpc/grpc-js';
import anyPb from 'google-protobuf/google/protobuf/any_pb.js';
import emptyPb from 'google-protobuf/google/protobuf/empty_pb.js';
import timestampPb from 'google-protobuf/google/protobuf/timestamp_pb.js';
import featuresGrpc from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb.js';
import featuresPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_pb.js';
import sharedPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb.js';
import statusPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb.js';
import streamsGrpc from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb.js';
import streamsPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb.js';
import { randomUUID } from 'node:crypto';
import {
  type AllPosition,
  type AppendOutcome,
  type ExpectedState,
  InMemoryLog,
  type ProposedEvent,
  type StoredEvent,
} from './in-memory-log.js';

const { ReadReq, ReadResp, AppendResp, BatchAppendReq, BatchAppendResp } = streamsPb;
type ReadReqT = InstanceType<typeof ReadReq>;
type AppendReqT = InstanceType<typeof streamsPb.AppendReq>;
type BatchAppendReqT = InstanceType<typeof BatchAppendReq>;

/** .NET ticks (100 ns) per millisecond: KurrentDB's `created` metadata counts ticks since the Unix epoch. */
const TICKS_PER_MS = 10_000n;

export interface InMemoryKurrentDb {
  /** A connection string for the client: `kurrentdb://127.0.0.1:<port>?tls=false`. */
  readonly url: string;
  readonly log: InMemoryLog;
  close(): Promise<void>;
}

export interface InMemoryKurrentDbOptions {
  readonly maxAppendSize?: number;
  /** false: retried appends are refused as stale instead of deduplicated by event id (see InMemoryLog). */
  readonly deduplicates?: boolean;
  /** false: BatchAppend is not offered, so the client appends through Streams.Append. */
  readonly batchAppend?: boolean;
}

export async function startInMemoryKurrentDb(options: InMemoryKurrentDbOptions = {}): Promise<InMemoryKurrentDb> {
  const log = new InMemoryLog(options.maxAppendSize, options.deduplicates ?? true);
  const server = new grpc.Server();
  const methods = ['read', 'append', ...(options.batchAppend === false ? [] : ['batchappend'])];
  server.addService(featuresGrpc.ServerFeaturesService, { getSupportedMethods: supportedMethods(methods) });
  const unimplemented = (_: unknown, callback?: grpc.sendUnaryData<never>) =>
    callback?.({ code: grpc.status.UNIMPLEMENTED, details: 'not in the in-memory protocol double' });
  server.addService(streamsGrpc.StreamsService, {
    read: (call: grpc.ServerWritableStream<ReadReqT, unknown>) => read(log, call),
    append: (call: grpc.ServerReadableStream<AppendReqT, unknown>, callback: grpc.sendUnaryData<unknown>) => append(log, call, callback),
    batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReqT, unknown>) => batchAppend(log, call),
    delete: unimplemented,
    tombstone: unimplemented,
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    url: `kurrentdb://127.0.0.1:${port}?tls=false`,
    log,
    // Subscriptions stay open until their client cancels them: a test that ends ends them.
    close: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}

const supportedMethods = (names: readonly string[]) => (_: unknown, callback: grpc.sendUnaryData<unknown>) => {
  const methods = names.map((name) => {
    const method = new featuresPb.SupportedMethod();
    method.setServiceName('event_store.client.streams.streams');
    method.setMethodName(name);
    return method;
  });
  const supported = new featuresPb.SupportedMethods();
  supported.setEventStoreServerVersion('24.10.0');
  supported.setMethodsList(methods);
  callback(null, supported);
};

function read(log: InMemoryLog, call: grpc.ServerWritableStream<ReadReqT, unknown>) {
  const options = call.request.getOptions()!;
  const forwards = options.getReadDirection() === ReadReq.Options.ReadDirection.FORWARDS;
  const count = Number(options.getCount() || '0') || Number.MAX_SAFE_INTEGER;
  const kept = typesKept(options);
  if (!kept || (options.hasFilter() && !(options.hasAll() && !options.hasSubscription()))) {
    const unknown = 'only an event-type filter on a read of $all is in the in-memory protocol double';
    return call.destroy(Object.assign(new Error(unknown), { code: grpc.status.UNIMPLEMENTED }));
  }
  if (options.hasStream()) {
    const stream = options.getStream()!;
    const streamId = Buffer.from(stream.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8');
    const from = stream.hasStart() ? 'start' : stream.hasEnd() ? 'end' : BigInt(stream.getRevision());
    const events = log.readStream(streamId, from, forwards, count);
    if (events === undefined) {
      const notFound = new ReadResp.StreamNotFound();
      notFound.setStreamIdentifier(stream.getStreamIdentifier());
      call.write(new ReadResp().setStreamNotFound(notFound));
    } else {
      for (const event of events) call.write(readResp(event));
    }
    return call.end();
  }
  const all = options.getAll()!;
  const from: AllPosition | 'start' | 'end' = all.hasStart()
    ? 'start'
    : all.hasEnd()
      ? 'end'
      : { commit: BigInt(all.getPosition()!.getCommitPosition()), prepare: BigInt(all.getPosition()!.getPreparePosition()) };
  if (!options.hasSubscription()) {
    for (const event of log.readAll(from, forwards, count, (e) => kept(e.type))) call.write(readResp(event));
    return call.end();
  }
  const confirmation = new ReadResp.SubscriptionConfirmation();
  confirmation.setSubscriptionId(randomUUID());
  call.write(new ReadResp().setConfirmation(confirmation));
  const unsubscribe = log.subscribe(from, (event) => call.write(readResp(event)));
  const caughtUp = new ReadResp.CaughtUp();
  caughtUp.setTimestamp(timestampPb.Timestamp.fromDate(new Date()));
  const last = log.lastPosition();
  if (last) caughtUp.setPosition(positionOf(new ReadResp.Position(), last));
  call.write(new ReadResp().setCaughtUp(caughtUp));
  const end = () => unsubscribe();
  call.on('cancelled', end);
  call.on('close', end);
  call.on('error', end);
}

/**
 * Which event types a read returns: all of them without a filter; those its regular expression or
 * prefixes match with an event-type filter (KurrentDB then counts only those toward the read's
 * count); undefined for another filter (by stream name), which the double does not know.
 */
function typesKept(options: InstanceType<typeof ReadReq.Options>): ((type: string) => boolean) | undefined {
  if (!options.hasFilter()) return () => true;
  const expression = options.getFilter()!.getEventType();
  if (!expression) return undefined;
  const regex = expression.getRegex();
  if (regex) {
    const pattern = new RegExp(regex);
    return (type) => pattern.test(type);
  }
  const prefixes = expression.getPrefixList();
  return (type) => prefixes.some((prefix) => type.startsWith(prefix));
}

function readResp(event: StoredEvent) {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(new sharedPb.UUID().setString(event.eventId));
  recorded.setStreamIdentifier(new sharedPb.StreamIdentifier().setStreamName(Buffer.from(event.streamId, 'utf8')));
  recorded.setStreamRevision(String(event.revision));
  recorded.setCommitPosition(String(event.position.commit));
  recorded.setPreparePosition(String(event.position.prepare));
  const metadata = recorded.getMetadataMap();
  metadata.set('type', event.type);
  metadata.set('content-type', event.contentType);
  metadata.set('created', String(BigInt(event.created) * TICKS_PER_MS));
  recorded.setCustomMetadata(event.metadata);
  recorded.setData(event.data);
  const read = new ReadResp.ReadEvent();
  read.setEvent(recorded);
  read.setCommitPosition(String(event.position.commit));
  return new ReadResp().setEvent(read);
}

/** The client-streaming append: options first, then one proposed message per event. */
function append(log: InMemoryLog, call: grpc.ServerReadableStream<AppendReqT, unknown>, callback: grpc.sendUnaryData<unknown>) {
  let streamId = '';
  let expected: ExpectedState = { kind: 'any' };
  const proposed: ProposedEvent[] = [];
  call.on('data', (request: AppendReqT) => {
    if (request.hasOptions()) {
      const options = request.getOptions()!;
      streamId = Buffer.from(options.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8');
      expected = expectedState(options, options.getRevision());
    } else if (request.hasProposedMessage()) {
      proposed.push(proposedEvent(request.getProposedMessage()!));
    }
  });
  call.on('end', () => {
    const outcome = log.append(streamId, expected, proposed);
    const response = new AppendResp();
    if (outcome.kind === 'too_large') {
      callback({ code: grpc.status.INVALID_ARGUMENT, details: tooLarge(outcome.maxAppendSize) });
      return;
    }
    if (outcome.kind === 'wrong_expected_version') {
      const wrong = new AppendResp.WrongExpectedVersion();
      if (outcome.current === 'no_stream') wrong.setCurrentNoStream(new sharedPb.Empty());
      else wrong.setCurrentRevision(String(outcome.current));
      setExpected(wrong, expected);
      callback(null, response.setWrongExpectedVersion(wrong));
      return;
    }
    const success = new AppendResp.Success().setCurrentRevision(String(outcome.currentRevision));
    if (outcome.position) success.setPosition(positionOf(new AppendResp.Position(), outcome.position));
    else success.setNoPosition(new sharedPb.Empty());
    callback(null, response.setSuccess(success));
  });
}

/** The bidirectional append: requests carry a correlation id, options on the first chunk, and `is_final` on the last. */
function batchAppend(log: InMemoryLog, call: grpc.ServerDuplexStream<BatchAppendReqT, unknown>) {
  const pending = new Map<string, { streamId: string; expected: ExpectedState; proposed: ProposedEvent[]; identifier: unknown }>();
  call.on('data', (request: BatchAppendReqT) => {
    const correlation = request.getCorrelationId()!.getString();
    if (request.hasOptions()) {
      const options = request.getOptions()!;
      const identifier = options.getStreamIdentifier()!;
      pending.set(correlation, {
        streamId: Buffer.from(identifier.getStreamName_asU8()).toString('utf8'),
        expected: expectedState(options, options.getStreamPosition()),
        proposed: [],
        identifier,
      });
    }
    const batch = pending.get(correlation);
    if (!batch) return;
    batch.proposed.push(...request.getProposedMessagesList().map(proposedEvent));
    if (!request.getIsFinal()) return;
    pending.delete(correlation);
    const response = new BatchAppendResp();
    response.setCorrelationId(request.getCorrelationId());
    response.setStreamIdentifier(batch.identifier as InstanceType<typeof sharedPb.StreamIdentifier>);
    const outcome = log.append(batch.streamId, batch.expected, batch.proposed);
    if (outcome.kind === 'success') {
      const success = new BatchAppendResp.Success().setCurrentRevision(String(outcome.currentRevision));
      if (outcome.position) success.setPosition(positionOf(new sharedPb.AllStreamPosition(), outcome.position));
      else success.setNoPosition(new emptyPb.Empty());
      call.write(response.setSuccess(success));
    } else {
      call.write(response.setError(batchError(outcome, batch.expected)));
    }
  });
  call.on('end', () => call.end());
}

function batchError(outcome: Exclude<AppendOutcome, { kind: 'success' }>, expected: ExpectedState) {
  const details = new anyPb.Any();
  const status = new statusPb.Status();
  if (outcome.kind === 'too_large') {
    status.setMessage(tooLarge(outcome.maxAppendSize));
    const exceeded = new sharedPb.MaximumAppendSizeExceeded().setMaxappendsize(outcome.maxAppendSize);
    details.pack(exceeded.serializeBinary(), 'event_store.client.MaximumAppendSizeExceeded');
  } else {
    status.setMessage('Wrong expected version.');
    const wrong = new sharedPb.WrongExpectedVersion();
    if (outcome.current === 'no_stream') wrong.setCurrentNoStream(new emptyPb.Empty());
    else wrong.setCurrentStreamRevision(String(outcome.current));
    if (expected.kind === 'revision') wrong.setExpectedStreamPosition(String(expected.revision));
    else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new emptyPb.Empty());
    else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new emptyPb.Empty());
    else wrong.setExpectedAny(new emptyPb.Empty());
    details.pack(wrong.serializeBinary(), 'event_store.client.WrongExpectedVersion');
  }
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- google.rpc.Status takes the gRPC code as a number
  status.setCode(9); // FAILED_PRECONDITION, as KurrentDB answers a refused batch
  return status.setDetails(details);
}

function setExpected(wrong: InstanceType<typeof AppendResp.WrongExpectedVersion>, expected: ExpectedState) {
  if (expected.kind === 'revision') wrong.setExpectedRevision(String(expected.revision));
  else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new sharedPb.Empty());
  else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new sharedPb.Empty());
  else wrong.setExpectedAny(new sharedPb.Empty());
}

/** The expected state of an append's options, Append's and BatchAppend's alike (`revision`: the explicit one, when set). */
interface StateOptions {
  hasNoStream(): boolean;
  hasStreamExists(): boolean;
  hasAny(): boolean;
}

function expectedState(options: StateOptions, revision: string): ExpectedState {
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return options.hasAny() ? { kind: 'any' } : { kind: 'revision', revision: BigInt(revision) };
}

/** Fills any of the protocol's (commit, prepare) messages. */
interface PositionMessage<T> {
  setCommitPosition(value: string): T;
  setPreparePosition(value: string): T;
}

function positionOf<T extends PositionMessage<T>>(message: T, position: AllPosition): T {
  return message.setCommitPosition(String(position.commit)).setPreparePosition(String(position.prepare));
}

const tooLarge = (maxAppendSize: number) => `Maximum Append Size of ${maxAppendSize} Exceeded.`;

interface ProposedMessage {
  getId(): InstanceType<typeof sharedPb.UUID> | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}

function proposedEvent(message: ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  return {
    eventId: message.getId()!.getString(),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}
