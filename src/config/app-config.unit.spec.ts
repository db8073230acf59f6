import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './app-config.js';

const key = Buffer.alloc(32, 7).toString('base64');

describe('loadConfig', () => {
  it('defaults to the embedded mode with a data directory under the working directory', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({ mode: 'embedded', host: '127.0.0.1', port: 3000, dataDir: '/srv/app/.data', demoNetwork: true });
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
    expect(wrongScheme).toThrow(/^KURRENTDB_URL: must be a kurrentdb:\/\//);
    expect(wrongScheme).not.toThrow(/secret/);
    expect(() => loadConfig({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://kurrentdb:2113' })).toThrow(
      /^EVENT_STORE: kurrentdb needs DATABASE_URL/,
    );
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
});
