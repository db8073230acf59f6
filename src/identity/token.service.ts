import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TYPEORM_DATA_SOURCE } from '../platform/persistence.module.js';
import { AgencyEntity, UserEntity } from './directory.entities.js';
import { DUMMY_HASH, verifyPassword } from './password.js';
import type { Principal } from './principal.js';
import { ROLES, type Role } from './roles.js';

export const TOKEN_AUDIENCE = 'referral-coordination-api';
export const TOKEN_ISSUER = 'referral-coordination';
export const JWT_SIGNING_KEY = Symbol('JwtSigningKey');

export interface TokenClaims {
  sub: string;
  agency: string;
  role: Role;
}

@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(TYPEORM_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(username: string, password: string): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ username });
    const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !valid || !user.active) throw new UnauthorizedException('unknown username or wrong password');
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
