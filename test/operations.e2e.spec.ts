import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { bearerOf, openCase } from './support/case-steps.js';
import { APP_DRIVERS, type TestApp, startTestApp, useTestApp } from './support/test-app.js';

/**
 * Operations (issue 15, item 4): Prometheus metrics, request ids and the structured request log,
 * and rate limits shared by instances through Redis. Liveness and readiness are in readiness.e2e.spec.ts.
 */

const NAME = 'Amina Operations-Person';
const requestLines = (lines: readonly string[]) =>
  lines.filter((line) => line.startsWith('{"level"')).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('metrics', () => {
  const t = useTestApp();

  it('times requests by route pattern and status, never by the path as sent', async () => {
    const caseId = await openCase(t);
    await t.http
      .get(`/cases/${caseId}`)
      .set(await bearerOf(t, 'caseworker.social'))
      .expect(200);
    const text = (await t.http.get('/metrics').expect(200)).text;
    expect(text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/cases\/:caseId",status_code="200"\} [1-9]\d*$/m);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="0\.1",method="POST",route="\/cases",status_code="201"\} \d+$/m);
    expect(text).not.toContain(caseId);
  });

  it('labels a request no route takes as unmatched, whatever its path held', async () => {
    await t.http.get(`/cases/${encodeURIComponent(NAME)}/nowhere`).expect(404);
    const text = (await t.http.get('/metrics').expect(200)).text;
    expect(text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} [1-9]\d*$/m);
    expect(text).not.toContain('Operations-Person');
  });

  it("serves the process's and Node's metrics beside the projector's", async () => {
    const response = await t.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(response.text).toMatch(new RegExp(`^${name} [\\d.e+-]+$`, 'm'));
    expect(response.text).toMatch(/^referrals_projection_lag_events\{runner="read-models"\} \d+$/m);
    expect(response.text).toMatch(/^referrals_projection_events_applied_total\{runner="read-models"\} [1-9]\d*$/m);
  });
});

describe('request ids and the request log', () => {
  const t = useTestApp();

  it('keeps a well-formed X-Request-Id, echoes it and logs the request under it', async () => {
    const id = randomUUID();
    const response = await t.http.get('/health/live').set('X-Request-Id', id).expect(200);
    expect(response.headers['x-request-id']).toBe(id);
    expect(requestLines(t.logs.lines)).toContainEqual(
      expect.objectContaining({ requestId: id, method: 'GET', route: '/health/live', status: 200, durationMs: expect.any(Number) }),
    );
  });

  it('makes its own id for a missing or ill-formed one, and gives it in problem details too', async () => {
    const made = await t.http.get('/cases').expect(401);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.body.requestId).toBe(made.headers['x-request-id']);
    const replaced = await t.http.get('/cases').set('X-Request-Id', NAME).expect(401);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.body.requestId).toBe(replaced.headers['x-request-id']);
  });

  it('logs none of the personal data or credentials a request carries, in its body, path, query or headers', async () => {
    const headers = await bearerOf(t, 'caseworker.social');
    const token = headers.Authorization.slice('Bearer '.length);
    const person = { identity: { fullName: NAME }, contact: { phone: '+40 721 555 019', safeToContact: true } };
    const created = await t.http
      .post(`/cases?note=${encodeURIComponent(NAME)}`)
      .set(headers)
      .set('X-Request-Id', NAME)
      .set('X-Forwarded-For', NAME)
      .send({ source: 'observation', ageGroup: 'adult', indicators: [], person });
    // A refused body is logged as its route and status only.
    await t.http.post('/cases').set(headers).send({ source: NAME, ageGroup: 'adult', indicators: [], person }).expect(400);
    expect([400, 201]).toContain(created.status);
    const logged = t.logs.lines.join('\n');
    expect(requestLines(t.logs.lines).filter((line) => line.route === '/cases' && line.method === 'POST')).toHaveLength(2);
    for (const value of [NAME, 'Operations-Person', '721 555 019', token, token.split('.')[2]!]) expect(logged).not.toContain(value);
  });
});

describe('the address behind a proxy, with TRUST_PROXY', () => {
  const signIn = (t: { http: TestApp['http'] }, address: string) =>
    t.http.post('/auth/token').set('X-Forwarded-For', address).send({ username: 'caseworker.ngo', password: 'not-the-password' });

  describe('set to loopback (the proxy in front)', () => {
    const t = useTestApp({ settings: { TRUST_PROXY: 'loopback', SIGN_INS_PER_MINUTE: '1' } });

    it('counts sign-ins per client address as the proxy forwards it', async () => {
      expect((await signIn(t, '203.0.113.7')).status).toBe(401);
      expect((await signIn(t, '203.0.113.7')).status).toBe(429);
      expect((await signIn(t, '203.0.113.8')).status).toBe(401);
    });
  });

  describe('unset', () => {
    const t = useTestApp({ settings: { SIGN_INS_PER_MINUTE: '1' } });

    it('ignores X-Forwarded-For, so a client cannot pick a fresh address for each attempt', async () => {
      expect((await signIn(t, '203.0.113.7')).status).toBe(401);
      expect((await signIn(t, '203.0.113.8')).status).toBe(429);
    });
  });
});

// Two instances share one schema only on PostgreSQL; .ci/run starts Redis and sets TEST_REDIS_URL.
const redisUrl = process.env.TEST_REDIS_URL;
const withRedis = APP_DRIVERS.includes('postgres') && redisUrl ? describe : describe.skip;
if (!withRedis || !redisUrl) console.info('DATABASE_URL or TEST_REDIS_URL is not set: the shared rate-limit test is skipped.');

withRedis('rate limits shared by instances through Redis', () => {
  let first: TestApp | undefined;
  let second: TestApp | undefined;
  afterEach(async () => {
    await second?.close();
    await first?.close();
    first = second = undefined;
  });

  it('counts writes on either instance against one limit, and says so in the 429 headers', async () => {
    // A prefix of its own, so no other run's counters meet this one's in the shared Redis.
    first = await startTestApp('postgres', { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `test-${randomUUID()}:`, WRITES_PER_MINUTE: '3' });
    second = await first.another();
    const token = await first.token('supervisor.social');
    const open = (app: TestApp) =>
      app.http.post('/cases').set('Authorization', `Bearer ${token}`).send({ source: 'hotline', ageGroup: 'adult', indicators: [] });
    expect([(await open(first)).status, (await open(second)).status, (await open(first)).status]).toEqual([201, 201, 201]);
    const limited = await open(second);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.headers['ratelimit-policy']).toBe('"writes";q=3;w=60');
    expect(limited.headers.ratelimit).toMatch(/^"writes";r=0;t=([1-9]|[1-5]\d|60)$/);
    expect(limited.headers['retry-after']).toBe(limited.headers.ratelimit!.split('t=')[1]);
  });

  it('keys its counters so that whoever reads Redis cannot confirm a user by hashing their id', async () => {
    const prefix = `test-${randomUUID()}:`;
    first = await startTestApp('postgres', { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix });
    const token = await first.token('supervisor.social');
    await first.http
      .post('/cases')
      .set('Authorization', `Bearer ${token}`)
      .send({ source: 'hotline', ageGroup: 'adult', indicators: [] })
      .expect(201);
    const userId = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;
    const redis = new Redis(redisUrl!);
    try {
      const keys = await redis.keys(`${prefix}rate:writes:*`);
      expect(keys).toHaveLength(1);
      for (const guess of [userId, createHash('sha256').update(userId).digest('base64url')]) expect(keys[0]!.includes(guess)).toBe(false);
    } finally {
      await redis.quit();
    }
  });
});
