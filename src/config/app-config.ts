import { resolve } from 'node:path';

/**
 * Everything the service reads from its environment, validated once at start-up. A missing or
 * invalid setting stops the start with a message naming it; secrets are never echoed.
 */
/** The organisation's identity provider, when tokens come from it (OIDC_* settings). */
export interface OidcConfig {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri: string;
  /** Dotted paths of the claims naming the member agency (its id) and the role. */
  readonly agencyClaim: string;
  readonly roleClaim: string;
}

export interface AppConfig {
  readonly mode: 'embedded' | 'postgres';
  readonly host: string;
  readonly port: number;
  /** Embedded mode: the PGlite data directory; both modes: generated secrets live here when not configured. */
  readonly dataDir: string;
  /** Embedded mode: fsync every commit (default); false risks the latest commits, or the directory, on a power loss or OS crash. */
  readonly embeddedFsync: boolean;
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
  /** How old the oldest event not yet in the read models may get before readiness says the projector stalled. */
  readonly readinessMaxLagSeconds: number;
  /** When set, /metrics answers only to `Authorization: Bearer <token>`. */
  readonly metricsToken?: string;
  /** Per client address and username; ten times as many per address. */
  readonly signInsPerMinute: number;
  /** Per signed-in user. */
  readonly writesPerMinute: number;
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
  /** Where the audit chain's head is published now and then; undefined: nowhere. */
  readonly auditHead?: { readonly target: AuditHeadTarget; readonly intervalSeconds: number };
}

export type AuditHeadTarget =
  { readonly kind: 'log' } | { readonly kind: 'file'; readonly path: string } | { readonly kind: 'url'; readonly url: string };

export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`${setting}: ${problem}`);
    this.name = 'ConfigError';
  }
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
    if (!/^(kurrentdb|kdb|esdb|eventstore)(\+discover)?:\/\//.test(kurrentDbUrl)) {
      throw new ConfigError('KURRENTDB_URL', 'must be a kurrentdb:// (or kurrentdb+discover://) connection string');
    }
  }
  if (jwtSecret !== undefined && Buffer.from(jwtSecret, 'base64').length < 32) {
    throw new ConfigError('JWT_SECRET', 'must be base64 of at least 32 bytes');
  }
  return {
    mode,
    host: optional(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    dataDir: resolve(cwd, optional(env, 'DATA_DIR') ?? '.data'),
    embeddedFsync: boolean(env, 'EMBEDDED_FSYNC', true),
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
    readinessMaxLagSeconds: integer(env, 'READINESS_MAX_LAG_SECONDS', 30, 1, 86_400),
    ...(optional(env, 'METRICS_TOKEN') ? { metricsToken: optional(env, 'METRICS_TOKEN')! } : {}),
    signInsPerMinute: integer(env, 'SIGN_INS_PER_MINUTE', 10, 1, 10_000),
    writesPerMinute: integer(env, 'WRITES_PER_MINUTE', 300, 1, 100_000),
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
    ...auditHeadOf(env, cwd),
  };
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

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(name, `must be a whole number from ${min} to ${max}`);
  return value;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, values: readonly T[], fallback: T): T {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(name, `must be one of ${values.join(', ')}`);
  return raw as T;
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
      jwksUri,
      agencyClaim: optional(env, 'OIDC_AGENCY_CLAIM') ?? 'agency_id',
      roleClaim: optional(env, 'OIDC_ROLE_CLAIM') ?? 'role',
    },
  };
}

function username(env: NodeJS.ProcessEnv, name: string): string {
  const value = optional(env, name)!;
  if (!/^[a-z0-9._-]{3,60}$/.test(value))
    throw new ConfigError(name, 'is a username: 3 to 60 lower-case letters, digits, dot, dash or underscore');
  return value;
}

function origins(env: NodeJS.ProcessEnv, name: string): string[] {
  const list = (optional(env, name) ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of list) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin))
      throw new ConfigError(name, 'is a comma-separated list of origins such as https://referrals.example.org');
  }
  return list;
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, 'must be true or false');
}

export const APP_CONFIG = Symbol('AppConfig');
