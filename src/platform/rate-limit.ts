import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

const SIGN_IN = 'rate-limit:sign-in';
/** Marks the sign-in route: limited per address and per address and username, before any password is checked. */
export const SignInRateLimited = () => SetMetadata(SIGN_IN, true);

const MINUTE_MS = 60_000;

/**
 * Token buckets in this process's memory (a burst up to the per-minute limit, refilled evenly over
 * the minute): sign-ins per client address and per address and username, writes per signed-in
 * user. Behind several instances each counts its own; a shared limiter belongs in front of them.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request & { user?: { userId: string } }>();
    const response = context.switchToHttp().getResponse<Response>();
    const address = request.ip ?? 'unknown';
    if (this.reflector.get<boolean>(SIGN_IN, context.getHandler())) {
      const body = request.body as { username?: unknown } | undefined;
      const username = typeof body?.username === 'string' ? body.username.slice(0, 100) : '';
      this.take(`sign-in:${address}`, this.config.signInsPerMinute * 10, response);
      this.take(`sign-in:${address}:${username}`, this.config.signInsPerMinute, response);
    } else if (request.method !== 'GET' && request.method !== 'HEAD' && request.user) {
      this.take(`write:${request.user.userId}`, this.config.writesPerMinute, response);
    }
    return true;
  }

  private take(key: string, perMinute: number, response: Response): void {
    const now = Date.now();
    if (this.buckets.size > 50_000) for (const [k, b] of this.buckets) if (now - b.at > MINUTE_MS) this.buckets.delete(k);
    const bucket = this.buckets.get(key);
    const tokens = bucket ? Math.min(perMinute, bucket.tokens + ((now - bucket.at) * perMinute) / MINUTE_MS) : perMinute;
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      const retryAfter = Math.ceil(((1 - tokens) * MINUTE_MS) / perMinute / 1000);
      response.setHeader('Retry-After', String(retryAfter));
      throw new HttpException(`too many requests: try again in ${retryAfter} s`, HttpStatus.TOO_MANY_REQUESTS);
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
  }
}
