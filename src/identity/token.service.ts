import { Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TYPEORM_DATA_SOURCE } from '../platform/persistence.module.js';
import { AgencyEntity, UserEntity } from './directory.entities.js';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './password.js';
import { Clock } from '../platform/clock.js';
import type { Principal } from './principal.js';
import { ROLES, type Role } from './roles.js';

export const TOKEN_AUDIENCE = 'referral-coordination-api';
export const TOKEN_ISSUER = 'referral-coordination';
export const JWT_SIGNING_KEY = Symbol('JwtSigningKey');

/** Repeated wrong passwords pause sign-in for the account: slows guessing, and a real user can wait it out. */
const LOCK_AFTER_FAILURES = 5;
const LOCK_MINUTES = 15;

export interface TokenClaims {
  sub: string;
  agency: string;
  role: Role;
}

@Injectable()
export class TokenService {
  private readonly logger = new Logger('Identity');

  constructor(
    private readonly clock: Clock,
    private readonly jwt: JwtService,
    @Inject(TYPEORM_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(username: string, password: string): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
    const users = this.dataSource.getRepository(UserEntity);
    const user = await users.findOneBy({ username });
    const now = this.clock.now();
    const locked = user?.lockedUntil && user.lockedUntil.getTime() > Date.parse(now);
    // The hash is checked even for an unknown or locked account, so timing tells nothing.
    const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !valid || !user.active || locked) {
      if (user && !locked) {
        const failed = user.failedSignIns + 1;
        const lock = failed >= LOCK_AFTER_FAILURES;
        await users.update({ id: user.id }, { failedSignIns: lock ? 0 : failed, lockedUntil: lock ? new Date(Date.parse(now) + LOCK_MINUTES * 60_000) : null });
        if (lock) this.logger.warn(`Sign-in locked for ${LOCK_MINUTES} min after ${LOCK_AFTER_FAILURES} failures (user ${user.id})`);
      }
      // One message for every refusal: it must not tell whether the username exists or is locked.
      throw new UnauthorizedException(`unknown username or wrong password (after ${LOCK_AFTER_FAILURES} failures, sign-in pauses for ${LOCK_MINUTES} minutes)`);
    }
    await users.update({ id: user.id }, {
      failedSignIns: 0, lockedUntil: null, ...(needsRehash(user.passwordHash) ? { passwordHash: await hashPassword(password) } : {}),
    });
    const claims: TokenClaims = { sub: user.id, agency: user.agencyId, role: user.role };
    const access_token = await this.jwt.signAsync(claims, { expiresIn: this.config.tokenTtlSeconds });
    return { access_token, token_type: 'Bearer', expires_in: this.config.tokenTtlSeconds };
  }

  /** A token is honoured only while its user and agency are active and its claims still match them. */
  async principalOf(claims: Partial<TokenClaims>): Promise<Principal> {
    if (typeof claims.sub !== 'string' || typeof claims.agency !== 'string' || !ROLES.includes(claims.role as Role)) {
      throw new UnauthorizedException('the token is not valid');
    }
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: claims.sub });
    const agency = user ? await this.dataSource.getRepository(AgencyEntity).findOneBy({ id: user.agencyId }) : null;
    if (!user || !agency || !user.active || !agency.active || user.agencyId !== claims.agency || user.role !== claims.role) {
      throw new UnauthorizedException('the token is no longer valid');
    }
    return { userId: user.id, agencyId: agency.id, agencyKind: agency.kind, role: user.role };
  }
}
