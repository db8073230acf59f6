import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { type JWTPayload, type JWTVerifyGetKey, createRemoteJWKSet, jwtVerify } from 'jose';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Principal } from './principal.js';
import { Principals } from './principals.js';
import { HeaderCredentialStrategy } from './header-credential.strategy.js';
import { ROLES, type Role } from './roles.js';

/** Bearer tokens whose unverified issuer is the configured provider's; others are left to the service's own strategy. */
class ProviderBearerStrategy extends HeaderCredentialStrategy {
  protected issuer?: string;

  protected extract(authorization: string): string | undefined {
    const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
    return this.issuer && token && issuerOf(token) === this.issuer ? token : undefined;
  }
}

/** Only to route the token to the right strategy; nothing is trusted before the signature is checked. */
function issuerOf(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Bearer tokens from the organisation's identity provider (OIDC), verified against its JWKS:
 * signature (asymmetric algorithms only), issuer, audience, expiry. The agency and role come from
 * claims named in configuration; the agency must be an active member, the role one of ours.
 */
@Injectable()
export class OidcStrategy extends PassportStrategy(ProviderBearerStrategy, 'oidc') {
  private readonly keys?: JWTVerifyGetKey;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly principals: Principals,
  ) {
    super();
    this.issuer = config.oidc?.issuer;
    if (config.oidc) this.keys = createRemoteJWKSet(new URL(config.oidc.jwksUri));
  }

  async validate(token: string): Promise<Principal | false> {
    const oidc = this.config.oidc!;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys!, {
        issuer: oidc.issuer,
        audience: oidc.audience,
        algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
        clockTolerance: 30,
      }));
    } catch {
      return false;
    }
    const agencyId = claim(payload, oidc.agencyClaim);
    const role = claim(payload, oidc.roleClaim);
    if (typeof payload.sub !== 'string' || !agencyId || !ROLES.includes(role as Role)) return false;
    const agency = await this.principals.agency(agencyId);
    if (!agency) return false;
    return { userId: payload.sub, agencyId: agency.agencyId, agencyKind: agency.agencyKind, role: role as Role };
  }
}

/** A claim by dotted path (e.g. `realm_access.role`), as a string. */
function claim(payload: JWTPayload, path: string): string | undefined {
  const value = path
    .split('.')
    .reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), payload);
  return typeof value === 'string' ? value : undefined;
}
