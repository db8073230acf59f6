import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { record, text } from '../platform/api-responses.js';
import { Public } from './access.decorators.js';

const OIDC_SIGN_IN = {
  oneOf: [
    record({ configured: { type: 'boolean', enum: [false] } }),
    record({
      configured: { type: 'boolean', enum: [true] },
      issuer: text({ format: 'uri', description: 'Its discovery document is at `<issuer>/.well-known/openid-configuration`' }),
      clientId: text(),
      agencyClaim: text({ description: "Dotted path of the access token's claim naming the member agency" }),
      roleClaim: text({ description: "Dotted path of the access token's claim naming the role" }),
    }),
  ],
};

/** What the screens need to offer "sign in with your organisation": public, since it is read before anyone signs in. */
@ApiTags('identity')
@Controller('auth/oidc')
export class OidcSignInController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: "The organisation's identity provider the screens sign in with (authorization code + PKCE), if one is configured",
  })
  @ApiOkResponse({ schema: OIDC_SIGN_IN })
  signIn() {
    const oidc = this.config.oidc;
    if (!oidc) return { configured: false };
    return { configured: true, issuer: oidc.issuer, clientId: oidc.clientId, agencyClaim: oidc.agencyClaim, roleClaim: oidc.roleClaim };
  }
}
