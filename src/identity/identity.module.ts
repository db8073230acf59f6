import { Inject, Logger, Module, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { MasterKey } from '../../libs/crypto/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MASTER_KEY, SQL_DATABASE } from '../platform/persistence.module.js';
import { deriveKey } from '../platform/secrets.js';
import { RateLimitGuard, RateLimitModule } from '../platform/rate-limit.js';
import { PermissionGuard, TokenGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { OidcSignInController } from './oidc-sign-in.controller.js';
import { OidcStrategy } from './oidc.js';
import { Administration, AdministrationController } from './administration.js';
import { API_KEY_HASH_KEY, ApiKeyStrategy, ApiKeys, ApiKeysController } from './api-keys.js';
import {
  DEMO_NETWORK_EXTENSION,
  DEMO_USERNAMES,
  type DemoNetworkExtension,
  bootstrapCoordinator,
  seedDemoNetwork,
} from './demo-network.js';
import { JwtStrategy } from './jwt.strategy.js';
import { MemberAgencies } from './member-agencies.js';
import { Principals } from './principals.js';
import { JWT_SIGNING_KEY, REFRESH_HASH_KEY, TOKEN_AUDIENCE, TOKEN_ISSUER, TokenService } from './token.service.js';

const signingKey = (config: AppConfig, masterKey: MasterKey): Buffer =>
  config.jwtSecret ? Buffer.from(config.jwtSecret, 'base64') : deriveKey(masterKey, 'jwt-signing');

@Module({
  imports: [
    PassportModule,
    RateLimitModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG, MASTER_KEY],
      useFactory: (config: AppConfig, masterKey: MasterKey) => ({
        secret: signingKey(config, masterKey),
        signOptions: { algorithm: 'HS256', audience: TOKEN_AUDIENCE, issuer: TOKEN_ISSUER },
      }),
    }),
  ],
  controllers: [AuthController, OidcSignInController, ApiKeysController, AdministrationController],
  providers: [
    MemberAgencies,
    Principals,
    TokenService,
    JwtStrategy,
    ApiKeys,
    Administration,
    ApiKeyStrategy,
    OidcStrategy,
    { provide: REFRESH_HASH_KEY, inject: [MASTER_KEY], useFactory: (masterKey: MasterKey) => deriveKey(masterKey, 'refresh-token-hash') },
    { provide: API_KEY_HASH_KEY, inject: [MASTER_KEY], useFactory: (masterKey: MasterKey) => deriveKey(masterKey, 'api-key-hash') },
    { provide: JWT_SIGNING_KEY, inject: [APP_CONFIG, MASTER_KEY], useFactory: signingKey },
    { provide: APP_GUARD, useClass: TokenGuard },
    { provide: APP_GUARD, useClass: PermissionGuard },
    // After the token guard, so writes are counted per signed-in user.
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [MemberAgencies],
})
export class IdentityModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('Identity');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Optional() @Inject(DEMO_NETWORK_EXTENSION) private readonly demoExtension?: DemoNetworkExtension,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.bootstrapCoordinator) {
      const file = await bootstrapCoordinator(this.db, this.config.dataDir, this.config.bootstrapCoordinator, this.config.bootstrapAgency);
      if (file)
        this.logger.warn(
          `Created the first network coordinator, ${this.config.bootstrapCoordinator}; the password is in ${file}. Change it and delete the file.`,
        );
    }
    if (!this.config.demoNetwork) return;
    const seeded = await seedDemoNetwork(this.db, this.config.dataDir, this.demoExtension);
    if (!seeded) return;
    this.logger.warn(
      `Seeded the fictional demo network with users ${DEMO_USERNAMES.join(', ')}. ` +
        `Their password is in ${seeded.credentialsFile}. Get a token with: ` +
        `curl -s -X POST http://${this.config.host}:${this.config.port}/auth/token -H 'Content-Type: application/json' ` +
        `-d '{"username":"caseworker.social","password":"'$(cat ${seeded.credentialsFile})'"}'`,
    );
  }
}
