/**
 * A small loopback load generator: `connections` keep-alive connections, each sending its next
 * request when the last answer arrived (closed loop), until `maxRequests` were sent or
 * `maxSeconds` passed, whichever comes first.
 */
import type { INestApplication } from '@nestjs/common';
import { Agent, type Server, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoadOptions {
  readonly port: number;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: () => string;
  /** The status every answer must have; any other is counted as failed. */
  readonly expect: number;
  readonly connections: number;
  readonly maxRequests: number;
  readonly maxSeconds: number;
  readonly onProgress?: (done: number) => void;
}

export interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  /** Status (or error code) of failed answers, counted. */
  readonly failures: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly perSecond: number;
  /** Milliseconds, ascending. */
  readonly latencies: readonly number[];
}

export function send(agent: Agent, options: LoadOptions): Promise<{ status: number | string; ms: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const payload = options.body?.();
    const req = request(
      {
        host: '127.0.0.1',
        port: options.port,
        method: options.method,
        path: options.path,
        agent,
        headers: {
          ...options.headers,
          ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        res.resume(); // the body is not needed, only the answer's end
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ status: error.code ?? 'error', ms: Number(process.hrtime.bigint() - started) / 1e6 }),
    );
    req.end(payload);
  });
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let sent = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + options.maxSeconds * 1000;
  const connection = async () => {
    while (sent < options.maxRequests && Date.now() < deadline) {
      sent++;
      const { status, ms } = await send(agent, options);
      if (status === options.expect) latencies.push(ms);
      else failures[String(status)] = (failures[String(status)] ?? 0) + 1;
      options.onProgress?.(latencies.length);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, connection));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const failed = Object.values(failures).reduce((a, b) => a + b, 0);
  return { ok: latencies.length, failed, failures, seconds, perSecond: latencies.length / seconds, latencies };
}

/** The q-quantile of ascending values (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The port a Nest application took after `listen(0)`. */
export const listeningPort = (app: INestApplication) => ((app.getHttpServer() as Server).address() as AddressInfo).port;
