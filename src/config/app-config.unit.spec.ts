import { describe, expect, it, jest } from '@jest/globals';
import { loadConfig } from './app-config.js';

const key = Buffer.alloc(32, 7).toString('base64');

describe('loadConfig', () => {
  it('defaults to the embedded mode with a data directory under the working directory', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({ mode: 'embedded', host: '127.0.0.1', port: 3000, dataDir: '/srv/app/.data', demoNetwork: true });
  });

  it('relays the Kafka feeds inside the service with FEED_RELAY=in-process, and then needs the broker', () => {
    expect(loadConfig({}).feedRelay).toBe('external');
    expect(() => loadConfig({ FEED_RELAY: 'in-process' })).toThrow(/^KAFKA_BROKERS: is required/);
    expect(loadConfig({ FEED_RELAY: 'in-process', KAFKA_BROKERS: 'kafka:9092' })).toMatchObject({
      feedRelay: 'in-process',
      kafka: { brokers: ['kafka:9092'], createTopics: true, verifyTopics: true },
    });
  });

  it('flushes every embedded commit to disk unless EMBEDDED_FSYNC=false', () => {
    expect(loadConfig({}).embeddedFsync).toBe(true);
    expect(loadConfig({ EMBEDDED_FSYNC: 'false' }).embeddedFsync).toBe(false);
    expect(() => loadConfig({ EMBEDDED_FSYNC: 'off' })).toThrow(/^EMBEDDED_FSYNC: must be true or false/);
  });

  it('runs on PostgreSQL with DATABASE_URL, and needs its keys configured there', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/app' })).toThrow(/^MASTER_KEY: is required with DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/app', MASTER_KEY: key })).toThrow(/^JWT_SECRET:/);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/app', MASTER_KEY: key, JWT_SECRET: key })).toMatchObject({
      mode: 'postgres',
      demoNetwork: false,
    });
  });

  it('keeps events in KurrentDB with EVENT_STORE=kurrentdb and KURRENTDB_URL, the read models in PostgreSQL', () => {
    const postgres = { DATABASE_URL: 'postgres://db/app', MASTER_KEY: key, JWT_SECRET: key };
    expect(loadConfig(postgres).eventStore).toBe('sql');
    expect(loadConfig({ ...postgres, EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://kurrentdb:2113?tls=false' })).toMatchObject({
      mode: 'postgres',
      eventStore: 'kurrentdb',
      kurrentDbUrl: 'kurrentdb://kurrentdb:2113?tls=false',
    });
    expect(() => loadConfig({ ...postgres, EVENT_STORE: 'kurrentdb' })).toThrow(/^KURRENTDB_URL: is required/);
    const wrongScheme = () => loadConfig({ ...postgres, EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'http://admin:secret@kurrentdb:2113' });
    expect(wrongScheme).toThrow(
      /^KURRENTDB_URL: is not a connection string the KurrentDB client accepts \(at character 0, expected kurrentdb:\/\//,
    );
    expect(wrongScheme).not.toThrow(/secret/);
    expect(() => loadConfig({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://kurrentdb:2113' })).toThrow(
      /^EVENT_STORE: kurrentdb needs DATABASE_URL/,
    );
  });

  it('refuses a production start without METRICS_TOKEN, which would leave /metrics open to anyone', () => {
    const server = { DATABASE_URL: 'postgres://db/app', MASTER_KEY: key, JWT_SECRET: key, NODE_ENV: 'production' };
    expect(() => loadConfig(server)).toThrow(/^METRICS_TOKEN: is required with NODE_ENV=production/);
    expect(loadConfig({ ...server, METRICS_TOKEN: 'a-metrics-token' }).metricsToken).toBe('a-metrics-token');
  });

  it('lets the projector, which serves no /metrics of its own, start in production without METRICS_TOKEN', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/app', NODE_ENV: 'production' }, '/srv/app', false).mode).toBe('postgres');
  });

  describe('KURRENTDB_URL, which may carry user:password@', () => {
    const kurrentdb =
      (url: string, more: NodeJS.ProcessEnv = {}) =>
      () =>
        loadConfig({
          DATABASE_URL: 'postgres://db/app',
          MASTER_KEY: key,
          JWT_SECRET: key,
          EVENT_STORE: 'kurrentdb',
          KURRENTDB_URL: url,
          METRICS_TOKEN: 'a-metrics-token',
          ...more,
        });
    /** The ConfigError it throws, and what the client printed meanwhile. */
    const refusal = (load: () => unknown) => {
      const printed = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        load();
      } catch (error) {
        return { message: String(error), printed: printed.mock.calls.flat().map(String) };
      } finally {
        printed.mockRestore();
      }
      throw new Error('it was accepted');
    };

    it.each([
      ['a port that is no number', 'kurrentdb://admin:Secret-Pass-1@kurrentdb:port?tls=true', /at character \d+, expected port number/],
      [
        'a user without a password, which the client takes for part of the host',
        'kurrentdb://Secret-Pass-1@kurrentdb:2113',
        /user:password@/,
      ],
      ['an option value the client cannot read', 'kurrentdb://admin:Secret-Pass-1@kurrentdb:2113?tls=maybe', /expected true or false/],
      ['a misspelt option the client would ignore', 'kurrentdb://admin:Secret-Pass-1@kurrentdb:2113?tsl=false', /does not know \(tsl\)/],
    ])("is checked with the client's own parser: %s is named, the credentials never echoed or printed", (_, url, problem) => {
      const { message, printed } = refusal(kurrentdb(url));
      expect(message).toMatch(/^ConfigError: KURRENTDB_URL: /);
      expect(message).toMatch(problem);
      expect([message, ...printed].join('\n')).not.toMatch(/Secret-Pass-1|admin/);
      expect(printed).toEqual([]);
    });

    it('accepts credentials, a cluster and TLS options the client knows', () => {
      const url =
        'kurrentdb+discover://admin:Secret-Pass-1@node1:2113,node2:2113?tls=true&tlsCAFile=%2Fcerts%2Fca.crt&nodePreference=leader';
      expect(kurrentdb(url)().kurrentDbUrl).toBe(url);
    });

    it.each(['tls=false', 'tlsVerifyCert=false'])('refuses %s with NODE_ENV=production, without echoing the credentials', (option) => {
      const url = `kurrentdb://admin:Secret-Pass-1@kurrentdb:2113?${option}`;
      const { message } = refusal(kurrentdb(url, { NODE_ENV: 'production' }));
      expect(message).toMatch(
        new RegExp(`^ConfigError: KURRENTDB_URL: ${option} with NODE_ENV=production: .*KURRENTDB_PRIVATE_NETWORK=true`),
      );
      expect(message).not.toMatch(/Secret-Pass-1/);
    });

    it('allows tls=false in production only when KURRENTDB_PRIVATE_NETWORK=true says the network is private, and outside production', () => {
      const url = 'kurrentdb://kurrentdb:2113?tls=false';
      expect(kurrentdb(url, { NODE_ENV: 'production', KURRENTDB_PRIVATE_NETWORK: 'true' })().kurrentDbUrl).toBe(url);
      expect(kurrentdb(url, { NODE_ENV: 'development' })().kurrentDbUrl).toBe(url);
      expect(kurrentdb('kurrentdb://kurrentdb:2113', { NODE_ENV: 'production' })().kurrentDbUrl).toBe('kurrentdb://kurrentdb:2113');
      expect(kurrentdb(url, { NODE_ENV: 'production', KURRENTDB_PRIVATE_NETWORK: 'false' })).toThrow(/^KURRENTDB_URL: tls=false/);
      expect(kurrentdb(url, { NODE_ENV: 'production', KURRENTDB_PRIVATE_NETWORK: 'yes' })).toThrow(
        /^KURRENTDB_PRIVATE_NETWORK: must be true or false/,
      );
    });
  });

  it.each([
    [{ DATABASE_URL: 'mysql://db' }, /^DATABASE_URL:/],
    [{ EVENT_STORE: 'mongodb' }, /^EVENT_STORE: must be one of sql, kurrentdb/],
    [{ PORT: 'eighty' }, /^PORT: must be a whole number/],
    [{ PORT: '70000' }, /^PORT:/],
    [{ DEMO_NETWORK: 'yes' }, /^DEMO_NETWORK: must be true or false/],
    [{ JWT_SECRET: 'c2hvcnQ=' }, /^JWT_SECRET:/],
  ])('names the setting at fault: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('trusts a proxy only as TRUST_PROXY says: a hop count or named proxies, never every one', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    for (const refused of ['true', 'everyone', '11']) expect(() => loadConfig({ TRUST_PROXY: refused })).toThrow(/^TRUST_PROXY: /);
  });

  it('counts rate limits in Redis only with a redis:// or rediss:// REDIS_URL', () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      redisKeyPrefix: 'referrals:',
    });
    expect(() => loadConfig({ REDIS_URL: 'http://cache:6379' })).toThrow(/^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL$/);
  });

  it("names the FHIR export's URLs under FHIR_CANONICAL_BASE, any of them set apart in FHIR_URLS", () => {
    expect(loadConfig({}).fhir).toEqual({ canonicalBase: 'https://referrals.example.org/fhir', urls: {} });
    expect(
      loadConfig({ FHIR_CANONICAL_BASE: 'https://fhir.example.ng/r4/', FHIR_URLS: '{"CodeSystem/purpose":"urn:oid:2.16.566.1"}' }).fhir,
    ).toEqual({ canonicalBase: 'https://fhir.example.ng/r4', urls: { 'CodeSystem/purpose': 'urn:oid:2.16.566.1' } });
    expect(() => loadConfig({ FHIR_CANONICAL_BASE: 'referrals' })).toThrow(/^FHIR_CANONICAL_BASE: must be an http\(s\) URL/);
    expect(() => loadConfig({ FHIR_URLS: '{"CodeSystem/purposes":"urn:x:y"}' })).toThrow(/^FHIR_URLS: has no key "CodeSystem\/purposes"/);
    expect(() => loadConfig({ FHIR_URLS: '{"sid/case":"not a uri"}' })).toThrow(/^FHIR_URLS: sid\/case must be an absolute URI/);
    expect(() => loadConfig({ FHIR_URLS: '[1]' })).toThrow(/^FHIR_URLS: must be a JSON object/);
  });

  it('never echoes a secret in its message', () => {
    try {
      loadConfig({ JWT_SECRET: 'dG9vLXNob3J0LXNlY3JldA==' });
    } catch (error) {
      expect(String(error)).not.toContain('dG9vLXNob3J0LXNlY3JldA==');
      return;
    }
    throw new Error('expected a ConfigError');
  });

  it('reads where the audit chain head is published: a file (relative to the working directory), a URL or the log', () => {
    expect(loadConfig({ AUDIT_HEAD_PUBLISH: 'file:heads.jsonl' }, '/srv/app').auditHead).toEqual({
      target: { kind: 'file', path: '/srv/app/heads.jsonl' },
      intervalSeconds: 3600,
    });
    expect(loadConfig({ AUDIT_HEAD_PUBLISH: 'https://notary.example.org/heads', AUDIT_HEAD_PUBLISH_SECONDS: '60' }).auditHead).toEqual({
      target: { kind: 'url', url: 'https://notary.example.org/heads' },
      intervalSeconds: 60,
    });
    expect(loadConfig({ AUDIT_HEAD_PUBLISH: 'log' }).auditHead?.target).toEqual({ kind: 'log' });
    expect(loadConfig({}).auditHead).toBeUndefined();
    expect(() => loadConfig({ AUDIT_HEAD_PUBLISH: '/tmp/heads' })).toThrow(/^AUDIT_HEAD_PUBLISH:/);
    expect(() => loadConfig({ AUDIT_HEAD_PUBLISH: 'log', AUDIT_HEAD_PUBLISH_SECONDS: '0' })).toThrow(/^AUDIT_HEAD_PUBLISH_SECONDS:/);
  });

  it('reads the public URL problem types point under, without a trailing slash; unset, the origin of each request is used', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://referrals.example.org/' }).publicUrl).toBe('https://referrals.example.org');
    expect(loadConfig({ PUBLIC_URL: 'https://example.org/network/referrals/' }).publicUrl).toBe('https://example.org/network/referrals');
    expect(loadConfig({}).publicUrl).toBeUndefined();
  });

  it.each([
    'referrals.example.org',
    'ftp://example.org',
    'https://example.org/?a=1',
    'https://example.org/#top',
    'https://user:pw@example.org',
  ])('refuses PUBLIC_URL=%s: problem type URIs are built under it', (value) => {
    expect(() => loadConfig({ PUBLIC_URL: value })).toThrow(/^PUBLIC_URL:/);
  });
});
