import { BadRequestException, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_DATABASE, TYPEORM_DATA_SOURCE } from '../platform/persistence.module.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { randomUUID } from 'node:crypto';
import { OpaqueCredentials } from './opaque-credential.js';
import { AgencyEntity, UserEntity } from './directory.entities.js';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './password.js';
import { Clock } from '../platform/clock.js';
import { KindOfProblem } from '../platform/problem-catalogue.js';
import type { Principal } from './principal.js';
import { Principals } from './principals.js';
import { ROLES, type Role } from './roles.js';

export const TOKEN_AUDIENCE = 'referral-coordination-api';
export const TOKEN_ISSUER = 'referral-coordination';
export const JWT_SIGNING_KEY = Symbol('JwtSigningKey');

/** Repeated wrong passwords pause sign-in for the account: slows guessing, and a real user can wait it out. */
const LOCK_AFTER_FAILURES = 5;
const LOCK_MINUTES = 15;
/** One message for every refused sign-in: it must not tell whether the username exists, is locked or its password just changed. */
const SIGN_IN_REFUSED = `unknown username or wrong password (after ${LOCK_AFTER_FAILURES} failures, sign-in pauses for ${LOCK_MINUTES} minutes)`;

export const REFRESH_HASH_KEY = Symbol('RefreshHashKey');

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
}

interface RefreshRow {
  id: string;
  family_id: string;
  user_id: string;
  token_hash: string;
  expires_at: Date | string;
  used_at: Date | string | null;
  revoked_at: Date | string | null;
}

export interface TokenClaims {
  sub: string;
  agency: string;
  role: Role;
  /** The user's credentials version at issue; absent on tokens issued before versions existed (version 0). */
  cv?: number;
}

@Injectable()
export class TokenService {
  private readonly logger = new Logger('Identity');
  private readonly refreshTokens: OpaqueCredentials;

  constructor(
    private readonly clock: Clock,
    private readonly jwt: JwtService,
    @Inject(TYPEORM_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(REFRESH_HASH_KEY) refreshHashKey: Buffer,
    private readonly principals: Principals,
  ) {
    this.refreshTokens = new OpaqueCredentials('rt', refreshHashKey);
  }

  async issue(username: string, password: string): Promise<TokenResponse> {
    const user = await this.verified(username, password);
    // Only after the password was verified: a wrong one answers as any other, so this tells a guesser nothing.
    if (user.passwordChangeRequired) {
      throw new KindOfProblem(
        'password-change-required',
        'this password was chosen by someone else and works only once: choose your own password (POST /auth/password), then sign in with it',
      );
    }
    return this.tokensFor(user, randomUUID(), SIGN_IN_REFUSED);
  }

  /**
   * A user chooses their own password: the current one must be right (as at sign-in, failures count
   * towards the pause), and every token issued before stops working: refresh tokens are revoked,
   * access tokens carry an older credentials version (whoever had the old password may hold one).
   */
  async changePassword(username: string, currentPassword: string, newPassword: string): Promise<void> {
    if (newPassword === currentPassword) throw new BadRequestException('newPassword must differ from currentPassword');
    const user = await this.verified(username, currentPassword);
    const passwordHash = await hashPassword(newPassword);
    await this.db.transaction(async (tx) => {
      await tx.query(
        'UPDATE users SET password_hash = $2, password_change_required = false, credentials_version = credentials_version + 1 WHERE id = $1',
        [user.id, passwordHash],
      );
      await tx.query('UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [user.id, this.clock.now()]);
    });
    // Other instances hear of it from the users table's trigger (PostgreSQL); this one forgets now.
    this.principals.changed();
    this.logger.log(`Password changed; the user's earlier tokens are ended (user ${user.id})`);
  }

  /** The active, unlocked user with this username and password; otherwise one 401 for every reason. */
  private async verified(username: string, password: string): Promise<UserEntity> {
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
        await users.update(
          { id: user.id },
          { failedSignIns: lock ? 0 : failed, lockedUntil: lock ? new Date(Date.parse(now) + LOCK_MINUTES * 60_000) : null },
        );
        if (lock) this.logger.warn(`Sign-in locked for ${LOCK_MINUTES} min after ${LOCK_AFTER_FAILURES} failures (user ${user.id})`);
      }
      throw new UnauthorizedException(SIGN_IN_REFUSED);
    }
    await users.update({ id: user.id }, { failedSignIns: 0, lockedUntil: null });
    // Over the hash just checked only: a password changed meanwhile must not get the old one back.
    if (needsRehash(user.passwordHash))
      await users.update({ id: user.id, passwordHash: user.passwordHash }, { passwordHash: await hashPassword(password) });
    return user;
  }

  /**
   * Exchanges a refresh token for new tokens. Each refresh token works once (rotation); presenting
   * one that was already used means it was copied, so its whole family is revoked.
   */
  async refresh(presented: string): Promise<TokenResponse> {
    const now = this.clock.now();
    const row = await this.refreshRowOf(presented);
    if (!row) throw new UnauthorizedException('the refresh token is not valid');
    if (row.used_at || row.revoked_at || new Date(row.expires_at).getTime() <= Date.parse(now)) {
      if (row.used_at && !row.revoked_at) {
        await this.revokeFamily(row.family_id, now);
        this.logger.warn(`A used refresh token was presented again; its family is revoked (user ${row.user_id})`);
      }
      throw new UnauthorizedException('the refresh token is not valid');
    }
    const claimed = await this.db.query(
      'UPDATE refresh_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING id',
      [row.id, now],
    );
    if (claimed.length === 0) throw new UnauthorizedException('the refresh token is not valid');
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: row.user_id });
    const agency = user && (await this.dataSource.getRepository(AgencyEntity).findOneBy({ id: user.agencyId }));
    if (!user || !user.active || !agency?.active) throw new UnauthorizedException('the refresh token is not valid');
    return this.tokensFor(user, row.family_id, 'the refresh token is not valid');
  }

  /** Signing out: the refresh token's family stops working (access tokens end with their short life). */
  async revoke(presented: string): Promise<void> {
    const row = await this.refreshRowOf(presented);
    if (row) await this.revokeFamily(row.family_id, this.clock.now());
  }

  /** The stored row of a presented refresh token whose secret matches; undefined otherwise. */
  private async refreshRowOf(presented: string): Promise<RefreshRow | undefined> {
    const parsed = this.refreshTokens.parse(presented);
    if (!parsed) return undefined;
    const [row] = await this.db.query<RefreshRow>(
      'SELECT id, family_id, user_id, token_hash, expires_at, used_at, revoked_at FROM refresh_tokens WHERE id = $1',
      [parsed.id],
    );
    return this.refreshTokens.matches(parsed.secret, row?.token_hash) ? row : undefined;
  }

  /** `refused`: what the caller answers if the user's password changed since `user` was read. */
  private async tokensFor(user: UserEntity, familyId: string, refused: string): Promise<TokenResponse> {
    const claims: TokenClaims = { sub: user.id, agency: user.agencyId, role: user.role, cv: user.credentialsVersion };
    const access_token = await this.jwt.signAsync(claims, { expiresIn: this.config.tokenTtlSeconds });
    const { id, credential, secretHash } = this.refreshTokens.issue();
    const now = this.clock.now();
    // Only while the user's credentials are still those just checked: a password change that commits
    // meanwhile either makes this insert find no row, or waits for it (the share lock) and then revokes
    // it. Without this, a sign-in or refresh racing the change kept a session the change meant to end.
    const inserted = await this.db.query(
      `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, issued_at, expires_at)
       SELECT $1, $2, id, $4, $5, $6 FROM users WHERE id = $3 AND credentials_version = $7 FOR SHARE
       RETURNING id`,
      [
        id,
        familyId,
        user.id,
        secretHash,
        now,
        new Date(Date.parse(now) + this.config.refreshTtlSeconds * 1000).toISOString(),
        user.credentialsVersion,
      ],
    );
    if (inserted.length === 0) throw new UnauthorizedException(refused);
    return {
      access_token,
      token_type: 'Bearer',
      expires_in: this.config.tokenTtlSeconds,
      refresh_token: credential,
      refresh_expires_in: this.config.refreshTtlSeconds,
    };
  }

  private async revokeFamily(familyId: string, now: string): Promise<void> {
    await this.db.query('UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL', [familyId, now]);
  }

  /**
   * A token is honoured only while its user and agency are active and its claims still match them,
   * the credentials version included (a password change ends the tokens issued before it).
   */
  async principalOf(claims: Partial<TokenClaims>): Promise<Principal> {
    if (typeof claims.sub !== 'string' || typeof claims.agency !== 'string' || !ROLES.includes(claims.role!)) {
      throw new UnauthorizedException('the token is not valid');
    }
    const user = await this.principals.user(claims.sub);
    if (user?.agencyId !== claims.agency || user.role !== claims.role || user.credentialsVersion !== (claims.cv ?? 0))
      throw new UnauthorizedException('the token is no longer valid');
    return { userId: user.userId, agencyId: user.agencyId, agencyKind: user.agencyKind, role: user.role };
  }
}
