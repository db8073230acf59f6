import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { Principal } from './principal.js';
import { JWT_SIGNING_KEY, TOKEN_AUDIENCE, TOKEN_ISSUER, type TokenClaims, TokenService } from './token.service.js';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly tokens: TokenService,
    @Inject(JWT_SIGNING_KEY) secret: Buffer,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject: given bytes, jsonwebtoken first tries (and fails) to parse them as a public key
      // at every request (6-10% of the HTTP thread's CPU under write load). It takes one; the types say Buffer.
      secretOrKey: createSecretKey(secret) as unknown as Buffer,
      algorithms: ['HS256'],
      audience: TOKEN_AUDIENCE,
      issuer: TOKEN_ISSUER,
      ignoreExpiration: false,
    });
  }

  validate(claims: Partial<TokenClaims>): Promise<Principal> {
    return this.tokens.principalOf(claims);
  }
}
