import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { Redis } from 'ioredis';
import { createHmac } from 'node:crypto';
import type { MasterKey } from '../../libs/crypto/index.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Clock } from './clock.js';
import { MASTER_KEY } from './persistence.module.js';
import { deriveKey } from './secrets.js';

const SIGN_IN = 'rate-limit:sign-in';
/** Marks the sign-in routes: limited per address and per address and username, before any password is checked. */
export const SignInRateLimited = () => SetMetadata(SIGN_IN, true);

const WINDOW_MS = 60_000;

/** One hit counted in a window of `windowMs` that starts with the key's first hit. */
export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<{ hits: number; resetsInMs: number }>;
}

/** The embedded default: counters in this process, each instance counting its own, by the application's clock. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { hits: number; resetsAt: number }>();

  constructor(private readonly clock: Clock) {}

  hit(key: string, windowMs: number): Promise<{ hits: number; resetsInMs: number }> {
    const now = Date.parse(this.clock.now());
    if (this.windows.size > 50_000) for (const [k, w] of this.windows) if (w.resetsAt <= now) this.windows.delete(k);
    const current = this.windows.get(key);
    const window = current && current.resetsAt > now ? current : { hits: 0, resetsAt: now + windowMs };
    window.hits += 1;
    this.windows.set(key, window);
    return Promise.resolve({ hits: window.hits, resetsInMs: window.resetsAt - now });
  }
}

/** Counts in Redis, so every instance behind the same Redis shares each limit: one atomic script per hit. */
const HIT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {hits, redis.call('PTTL', KEYS[1])}`;

export class RedisRateLimitStore implements RateLimitStore, OnApplicationShutdown {
  constructor(private readonly redis: Redis) {}

  async hit(key: string, windowMs: number): Promise<{ hits: number; resetsInMs: number }> {
    const [hits, resetsInMs] = (await this.redis.eval(HIT, 1, `rate:${key}`, windowMs)) as [number, number];
    return { hits, resetsInMs };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}

type LimitedRequest = Request & { user?: { userId: string } };
interface Policy {
  readonly name: string;
  readonly limit: number;
  /** What the limit counts by (an address, an address and a username, a user); undefined: the policy does not apply. */
  tracker(request: LimitedRequest, signIn: boolean): string | undefined;
}

const usernameOf = (request: LimitedRequest) => {
  const body = request.body as { username?: unknown } | undefined;
  return typeof body?.username === 'string' ? body.username.slice(0, 100) : '';
};

/** Sign-ins per client address and per address and username; writes per signed-in user. */
const policies = (config: AppConfig): Policy[] => [
  { name: 'sign-in-address', limit: config.signInsPerMinute * 10, tracker: (r, signIn) => (signIn ? (r.ip ?? 'unknown') : undefined) },
  {
    name: 'sign-in',
    limit: config.signInsPerMinute,
    tracker: (r, signIn) => (signIn ? `${r.ip ?? 'unknown'}\n${usernameOf(r)}` : undefined),
  },
  {
    name: 'writes',
    limit: config.writesPerMinute,
    tracker: (r, signIn) => (!signIn && r.method !== 'GET' && r.method !== 'HEAD' ? r.user?.userId : undefined),
  },
];

export const RATE_LIMIT_STORE = Symbol('RateLimitStore');

/**
 * Each policy counts hits per minute under a key that is an HMAC of its tracker (no address or
 * username is stored, nor can one be confirmed from the key). Past the limit: 429 as draft-ietf-httpapi-ratelimit-headers has it,
 * `RateLimit-Policy` naming the policy, its quota and window, `RateLimit` what remains (nothing) and
 * for how long, and `Retry-After`. Runs after the token guard, so writes count per signed-in user.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly policies: readonly Policy[];
  private readonly keySecret: Buffer;

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    @Inject(MASTER_KEY) masterKey: MasterKey,
  ) {
    this.policies = policies(config);
    // HMACs, not bare hashes: whoever reads Redis could otherwise confirm a guessed address or user
    // by hashing it. Every instance sharing a Redis holds the same master key, so the same secret.
    this.keySecret = deriveKey(masterKey, 'rate-limit-keys');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<LimitedRequest>();
    const signIn = this.reflector.get<boolean>(SIGN_IN, context.getHandler());
    for (const policy of this.policies) {
      const tracker = policy.tracker(request, signIn);
      if (tracker === undefined) continue;
      const { hits, resetsInMs } = await this.store.hit(
        `${policy.name}:${createHmac('sha256', this.keySecret).update(tracker).digest('base64url')}`,
        WINDOW_MS,
      );
      if (hits > policy.limit) {
        const wait = Math.max(1, Math.ceil(resetsInMs / 1000));
        const response = context.switchToHttp().getResponse<Response>();
        response.setHeader('Retry-After', String(wait));
        response.setHeader('RateLimit-Policy', `"${policy.name}";q=${policy.limit};w=${WINDOW_MS / 1000}`);
        response.setHeader('RateLimit', `"${policy.name}";r=0;t=${wait}`);
        throw new HttpException(`too many requests: try again in ${wait} s`, HttpStatus.TOO_MANY_REQUESTS);
      }
    }
    return true;
  }
}

/** A request meeting Redis down fails (500) rather than passing unlimited; the error is logged by kind, never with the URL. */
function connect(url: string, keyPrefix: string): Redis {
  const redis = new Redis(url, { keyPrefix, maxRetriesPerRequest: 2 });
  const logger = new Logger('RateLimits');
  redis.on('error', (error: Error & { code?: string }) => logger.error(`Redis: ${error.code ?? error.name}`));
  return redis;
}

/** The limits' counters: in Redis with REDIS_URL (shared by every instance), otherwise in this process. */
@Module({
  providers: [
    {
      provide: RATE_LIMIT_STORE,
      inject: [APP_CONFIG, Clock],
      useFactory: (config: AppConfig, clock: Clock): RateLimitStore =>
        config.redisUrl ? new RedisRateLimitStore(connect(config.redisUrl, config.redisKeyPrefix)) : new MemoryRateLimitStore(clock),
    },
  ],
  exports: [RATE_LIMIT_STORE],
})
export class RateLimitModule {}
