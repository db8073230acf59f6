import { resolve } from 'node:path';
import { type KafkaSettings, kafkaSettings } from '../feeds/kafka-settings.js';
import { ConfigError } from './config-error.js';
import { boolean, integer, oneOf, optional, origins, username } from './env-values.js';
import { checkKurrentDbUrl } from './kurrentdb-url.js';

export { ConfigError };
import { DEFAULT_FHIR_BASE, FHIR_URL_KEYS, type FhirUrlKey } from '../audit/fhir-urls.js';

/**
 * Everything the service reads from its environment, validated once at start-up. A missing or
 * invalid setting stops the start with a message naming it; secrets are never echoed.
 */
/** The organisation's identity provider, when tokens come from it (OIDC_* settings). */
export interface OidcConfig {
  readonly issuer: string;
  readonly audience: string;
  /** The public client the screens sign in as (authorization code + PKCE); its access tokens must carry `audience`. */
  readonly clientId: string;
  readonly jwksUri: string;
  /** Dotted paths of the claims naming the member agency (its id) and the role. */
  readonly agencyClaim: string;
  readonly roleClaim: string;
}

export interface AppConfig {
  readonly mode: 'embedded' | 'postgres';
  readonly host: string;
  readonly port: number;
  /**
   * Where clients reach the service (scheme, host, any path prefix a proxy adds; no trailing slash):
   * problem `type` URIs point at its /problems pages. Unset: the origin each request was sent to.
   */
  readonly publicUrl?: string;
  /** Embedded mode: the PGlite data directory; both modes: generated secrets live here when not configured. */
  readonly dataDir: string;
  /** Embedded mode: fsync every commit (default); false risks the latest commits, or the directory, on a power loss or OS crash. */
  readonly embeddedFsync: boolean;
  /** The embedded database's shared_buffers in MB: resident memory once used. */
  readonly embeddedSharedBuffersMb: number;
  readonly databaseUrl?: string;
  /** sql: events in the service's database; kurrentdb: in the KurrentDB at kurrentDbUrl, read models still in PostgreSQL. */
  readonly eventStore: 'sql' | 'kurrentdb';
  /** A KurrentDB connection string (`kurrentdb://host:2113?tls=false`); set with EVENT_STORE=kurrentdb. */
  readonly kurrentDbUrl?: string;
  /** Base64 of 32 bytes; required with DATABASE_URL, generated into the data directory otherwise. */
  readonly masterKey?: string;
  /** Base64 of at least 32 bytes; required with DATABASE_URL, generated into the data directory otherwise. */
  readonly jwtSecret?: string;
  readonly tokenTtlSeconds: number;
  /** How long a refresh token may be used (each only once). */
  readonly refreshTtlSeconds: number;
  readonly demoNetwork: boolean;
  readonly projectionPollMs: number;
  /** in-process: the app keeps its read models; external: `npm run projector` does, in its own process. */
  readonly projector: 'in-process' | 'external';
  /** in-process: the service itself publishes the agencies' Kafka feeds (the embedded database allows no other process); external: `npm run relay` does, or nobody. */
  readonly feedRelay: 'in-process' | 'external';
  /** The broker the in-process feed relay publishes to (KAFKA_* settings), set with FEED_RELAY=in-process. */
  readonly kafka?: KafkaSettings;
  /** How old the oldest event not yet in the read models may get before readiness says the projector stalled. */
  readonly readinessMaxLagSeconds: number;
  /** When set, /metrics answers only to `Authorization: Bearer <token>`. */
  readonly metricsToken?: string;
  /** Per client address and username; ten times as many per address. */
  readonly signInsPerMinute: number;
  /** Per signed-in user. */
  readonly writesPerMinute: number;
  /** Where the rate-limit counters live, shared by every instance; unset: in this process only. */
  readonly redisUrl?: string;
  /** Prefix of this deployment's keys in that Redis, so deployments (or test runs) sharing it count apart. */
  readonly redisKeyPrefix: string;
  /** Express `trust proxy`: which proxies' X-Forwarded-For gives the client address; false: the peer's address. */
  readonly trustProxy: false | number | readonly string[];
  /** Browser origins allowed to call the API; none by default. */
  readonly corsOrigins: readonly string[];
  /** The built screens (`npm run build` writes them to dist/web); served at `/` when present. */
  readonly webDir: string;
  /** The screens sign out after this long without use (shared devices in camps). */
  readonly webIdleSignOutSeconds: number;
  readonly oidc?: OidcConfig;
  /** A real deployment's first account: a network coordinator of this username, created when no user exists. */
  readonly bootstrapCoordinator?: string;
  readonly bootstrapAgency: string;
  /** Closed cases are erased this many days after closure; undefined: never. */
  readonly retentionDays?: number;
  /** false: no daily run in this process (the CLI runs it once). */
  readonly retentionSchedule?: boolean;
  /** text: Nest's console lines; json: one JSON object per line, credentials redacted. */
  readonly logFormat: 'text' | 'json';
  /** The coordinator's reports show a count from 1 to this minus 1 as suppressed; 1 shows every count. */
  readonly reportMinCell: number;
  /** The consent-expiry process sleeps until the next end of consent, but looks again at least this often (ms). */
  readonly consentExpiryCheckMs: number;
  /** How many cases one pass of the consent-expiry process runs before starting the next pass. */
  readonly consentExpiryBatch: number;
  /** false: the consent-expiry process does not run in this process (a one-off command such as `npm run retention`). */
  readonly consentExpirySchedule?: boolean;
  /** The FHIR export's identifier systems, code systems and extensions: under `canonicalBase`, any of them set apart in `urls`. */
  readonly fhir: { readonly canonicalBase: string; readonly urls: Readonly<Partial<Record<FhirUrlKey, string>>> };
  /** Where the audit chain's head is published now and then; undefined: nowhere. */
  readonly auditHead?: { readonly target: AuditHeadTarget; readonly intervalSeconds: number };
}

export type AuditHeadTarget =
  { readonly kind: 'log' } | { readonly kind: 'file'; readonly path: string } | { readonly kind: 'url'; readonly url: string };

/** A token a scraper presents: long enough not to be guessed. */
function metricsTokenOf(env: NodeJS.ProcessEnv): { metricsToken?: string } {
  const token = optional(env, 'METRICS_TOKEN');
  if (token === undefined) return {};
  if (token.length < 24) throw new ConfigError('METRICS_TOKEN', 'must be at least 24 characters (e.g. `openssl rand -hex 24`)');
  return { metricsToken: token };
}

/** `needsSecrets` false: for processes that neither open personal data nor issue tokens (the projector). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), needsSecrets = true): AppConfig {
  const databaseUrl = optional(env, 'DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// connection URL');
  }
  const mode = databaseUrl ? 'postgres' : 'embedded';
  const masterKey = optional(env, 'MASTER_KEY');
  const jwtSecret = optional(env, 'JWT_SECRET');
  if (mode === 'postgres' && needsSecrets) {
    // A server deployment must not invent its own keys: they would differ between instances.
    if (!masterKey)
      throw new ConfigError('MASTER_KEY', 'is required with DATABASE_URL (base64 of 32 random bytes, e.g. `openssl rand -base64 32`)');
    if (!jwtSecret) throw new ConfigError('JWT_SECRET', 'is required with DATABASE_URL (base64 of at least 32 random bytes)');
  }
  // Metrics name routes, volumes and timings: in production they answer only the scraper.
  if (needsSecrets && optional(env, 'NODE_ENV') === 'production' && !optional(env, 'METRICS_TOKEN'))
    throw new ConfigError(
      'METRICS_TOKEN',
      'is required with NODE_ENV=production, else /metrics answers anyone (e.g. `openssl rand -hex 24`)',
    );
  const projector = oneOf(env, 'PROJECTOR', ['in-process', 'external'] as const, 'in-process');
  if (projector === 'external' && mode === 'embedded') {
    throw new ConfigError('PROJECTOR', 'external needs DATABASE_URL: the embedded database belongs to the one process that opened it');
  }
  const eventStore = oneOf(env, 'EVENT_STORE', ['sql', 'kurrentdb'] as const, 'sql');
  const kurrentDbUrl = optional(env, 'KURRENTDB_URL');
  if (eventStore === 'kurrentdb') {
    // The read models and the projector's checkpoint stay in a database every process shares; the
    // embedded one belongs to the one process that opened it, which has no use for a separate event store.
    if (mode === 'embedded') throw new ConfigError('EVENT_STORE', 'kurrentdb needs DATABASE_URL: the read models stay in PostgreSQL');
    if (!kurrentDbUrl)
      throw new ConfigError('KURRENTDB_URL', 'is required with EVENT_STORE=kurrentdb (e.g. kurrentdb://kurrentdb:2113?tls=false)');
    checkKurrentDbUrl(kurrentDbUrl, {
      production: optional(env, 'NODE_ENV') === 'production',
      privateNetwork: boolean(env, 'KURRENTDB_PRIVATE_NETWORK', false),
    });
  }
  const feedRelay = oneOf(env, 'FEED_RELAY', ['in-process', 'external'] as const, 'external');
  if (jwtSecret !== undefined && Buffer.from(jwtSecret, 'base64').length < 32) {
    throw new ConfigError('JWT_SECRET', 'must be base64 of at least 32 bytes');
  }
  return {
    mode,
    host: optional(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    ...publicUrlOf(env),
    dataDir: resolve(cwd, optional(env, 'DATA_DIR') ?? '.data'),
    embeddedFsync: boolean(env, 'EMBEDDED_FSYNC', true),
    embeddedSharedBuffersMb: integer(env, 'EMBEDDED_SHARED_BUFFERS_MB', 16, 1, 4096),
    ...(databaseUrl ? { databaseUrl } : {}),
    eventStore,
    ...(eventStore === 'kurrentdb' ? { kurrentDbUrl } : {}),
    ...(masterKey ? { masterKey } : {}),
    ...(jwtSecret ? { jwtSecret } : {}),
    tokenTtlSeconds: integer(env, 'TOKEN_TTL_SECONDS', 900, 60, 86_400),
    refreshTtlSeconds: integer(env, 'REFRESH_TTL_SECONDS', 8 * 3600, 300, 30 * 86_400),
    demoNetwork: boolean(env, 'DEMO_NETWORK', mode === 'embedded'),
    projectionPollMs: integer(env, 'POLL_INTERVAL_MS', 200, 10, 60_000),
    projector,
    feedRelay,
    ...(feedRelay === 'in-process' ? { kafka: kafkaSettings(env) } : {}),
    readinessMaxLagSeconds: integer(env, 'READINESS_MAX_LAG_SECONDS', 30, 1, 86_400),
    ...metricsTokenOf(env),
    signInsPerMinute: integer(env, 'SIGN_INS_PER_MINUTE', 10, 1, 10_000),
    writesPerMinute: integer(env, 'WRITES_PER_MINUTE', 300, 1, 100_000),
    ...redisOf(env),
    redisKeyPrefix: optional(env, 'REDIS_KEY_PREFIX') ?? 'referrals:',
    trustProxy: trustProxyOf(env),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    webDir: resolve(cwd, optional(env, 'WEB_DIR') ?? 'dist/web'),
    webIdleSignOutSeconds: integer(env, 'WEB_IDLE_SIGN_OUT_SECONDS', 900, 10, 86_400),
    ...oidcOf(env),
    logFormat: oneOf(env, 'LOG_FORMAT', ['text', 'json'] as const, 'text'),
    reportMinCell: integer(env, 'REPORT_MIN_CELL', 5, 1, 1000),
    consentExpiryCheckMs: integer(env, 'CONSENT_EXPIRY_CHECK_MS', 10_000, 50, 3_600_000),
    consentExpiryBatch: integer(env, 'CONSENT_EXPIRY_BATCH', 100, 1, 10_000),
    ...(optional(env, 'BOOTSTRAP_COORDINATOR') ? { bootstrapCoordinator: username(env, 'BOOTSTRAP_COORDINATOR') } : {}),
    bootstrapAgency: optional(env, 'BOOTSTRAP_AGENCY') ?? 'Network coordination',
    ...(optional(env, 'RETENTION_DAYS') !== undefined ? { retentionDays: integer(env, 'RETENTION_DAYS', 1, 1, 36_500) } : {}),
    fhir: fhirOf(env),
    ...auditHeadOf(env, cwd),
  };
}

function publicUrlOf(env: NodeJS.ProcessEnv): Pick<AppConfig, 'publicUrl'> {
  const raw = optional(env, 'PUBLIC_URL');
  if (raw === undefined) return {};
  // Problem types are built by appending to it: a query, fragment or credentials would end up inside every URI.
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password)
    throw new ConfigError('PUBLIC_URL', 'is an http(s) URL with no query or fragment, such as https://referrals.example.org');
  return { publicUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

function fhirOf(env: NodeJS.ProcessEnv): AppConfig['fhir'] {
  const canonicalBase = (optional(env, 'FHIR_CANONICAL_BASE') ?? DEFAULT_FHIR_BASE).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(canonicalBase)) throw new ConfigError('FHIR_CANONICAL_BASE', 'must be an http(s) URL');
  const raw = optional(env, 'FHIR_URLS');
  if (raw === undefined) return { canonicalBase, urls: {} };
  let urls: unknown;
  try {
    urls = JSON.parse(raw);
  } catch {
    throw new ConfigError('FHIR_URLS', 'must be a JSON object such as {"CodeSystem/purpose":"https://example.org/CodeSystem/purpose"}');
  }
  if (urls === null || typeof urls !== 'object' || Array.isArray(urls)) throw new ConfigError('FHIR_URLS', 'must be a JSON object');
  for (const [key, value] of Object.entries(urls)) {
    if (!(FHIR_URL_KEYS as readonly string[]).includes(key))
      throw new ConfigError('FHIR_URLS', `has no key ${JSON.stringify(key)}; the keys are ${FHIR_URL_KEYS.join(', ')}`);
    if (typeof value !== 'string' || !/^[a-z][a-z0-9+.-]*:[^\s|]+$/i.test(value))
      throw new ConfigError('FHIR_URLS', `${key} must be an absolute URI without spaces or |`);
  }
  return { canonicalBase, urls };
}

function auditHeadOf(env: NodeJS.ProcessEnv, cwd: string): Pick<AppConfig, 'auditHead'> {
  const raw = optional(env, 'AUDIT_HEAD_PUBLISH');
  if (raw === undefined) return {};
  const target: AuditHeadTarget | undefined =
    raw === 'log'
      ? { kind: 'log' }
      : /^https?:\/\/[^\s]+$/.test(raw)
        ? { kind: 'url', url: raw }
        : raw.startsWith('file:') && raw.length > 5
          ? { kind: 'file', path: resolve(cwd, raw.slice(5)) }
          : undefined;
  if (!target) throw new ConfigError('AUDIT_HEAD_PUBLISH', 'is `log`, `file:<path>` or an http(s) URL to POST to');
  return { auditHead: { target, intervalSeconds: integer(env, 'AUDIT_HEAD_PUBLISH_SECONDS', 3600, 1, 7 * 86_400) } };
}

function redisOf(env: NodeJS.ProcessEnv): Pick<AppConfig, 'redisUrl'> {
  const redisUrl = optional(env, 'REDIS_URL');
  if (redisUrl === undefined) return {};
  if (!/^rediss?:\/\/\S+$/.test(redisUrl)) throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
  return { redisUrl };
}

/**
 * A hop count, or the addresses, subnets and names (loopback, linklocal, uniquelocal) of the proxies
 * in front. Never `true`: trusting every X-Forwarded-For lets a client pick its own address, and
 * with it a fresh rate limit on each request.
 */
function trustProxyOf(env: NodeJS.ProcessEnv): AppConfig['trustProxy'] {
  const raw = optional(env, 'TRUST_PROXY');
  if (raw === undefined || raw === 'false') return false;
  if (/^\d+$/.test(raw)) return integer(env, 'TRUST_PROXY', 0, 0, 10);
  const list = raw.split(',').map((p) => p.trim());
  if (raw === 'true' || !list.every((p) => /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(p)))
    throw new ConfigError(
      'TRUST_PROXY',
      'is false, a hop count, or a comma-separated list of proxy addresses, subnets, loopback, linklocal or uniquelocal',
    );
  return list;
}

function oidcOf(env: NodeJS.ProcessEnv): { oidc?: OidcConfig } {
  const issuer = optional(env, 'OIDC_ISSUER');
  if (!issuer) return {};
  const audience = optional(env, 'OIDC_AUDIENCE');
  if (!audience) throw new ConfigError('OIDC_AUDIENCE', 'is required with OIDC_ISSUER: tokens meant for other clients must be refused');
  const jwksUri = optional(env, 'OIDC_JWKS_URI') ?? `${issuer.replace(/\/$/, '')}/protocol/openid-connect/certs`;
  for (const [name, value] of [
    ['OIDC_ISSUER', issuer],
    ['OIDC_JWKS_URI', jwksUri],
  ] as const) {
    if (!/^https?:\/\//.test(value)) throw new ConfigError(name, 'must be an http(s) URL');
  }
  return {
    oidc: {
      issuer,
      audience,
      clientId: optional(env, 'OIDC_CLIENT_ID') ?? audience,
      jwksUri,
      agencyClaim: optional(env, 'OIDC_AGENCY_CLAIM') ?? 'agency_id',
      roleClaim: optional(env, 'OIDC_ROLE_CLAIM') ?? 'role',
    },
  };
}

export const APP_CONFIG = Symbol('AppConfig');
