import { Body, Controller, Get, HttpCode, Inject, Injectable, Module, Put, UnprocessableEntityException } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import type { SqlClient, SqlDatabase } from '../../libs/sql/index.js';
import { Allow } from '../identity/access.decorators.js';
import { CurrentPrincipal, type Principal } from '../identity/principal.js';
import { Clock } from '../platform/clock.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { type FeedPublicJwk, UnusableFeedKeyError, feedPublicKey } from './feed-encryption.js';

/** The feeds' tables: each agency's registered public key, and each relay's checkpoint in the event store. */
export const FEEDS_SCHEMA = `
CREATE TABLE IF NOT EXISTS agency_feed_keys (
  agency_id uuid PRIMARY KEY,
  jwk jsonb NOT NULL,
  registered_at timestamptz NOT NULL,
  registered_by text NOT NULL
);
CREATE TABLE IF NOT EXISTS feed_relay_checkpoints (
  relay text PRIMARY KEY,
  position text,
  updated_at timestamptz NOT NULL
);`;

export class RegisterFeedKeyDto {
  @ApiProperty({
    description: 'The public JWK the feed encrypts to: EC P-256/P-384/P-521, X25519 or RSA of at least 2048 bits',
    example: { kty: 'EC', crv: 'P-256', x: '…', y: '…' },
  })
  @IsObject()
  jwk!: Record<string, unknown>;
}

/** The public keys agencies register for their feeds; the private keys never reach the service. */
@Injectable()
export class FeedKeys {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly clock: Clock,
  ) {}

  async register(admin: Principal, offered: Record<string, unknown>): Promise<{ kid: string; registeredAt: string }> {
    const jwk = await feedPublicKey(offered).catch((error: unknown) => {
      if (error instanceof UnusableFeedKeyError) throw new UnprocessableEntityException(error.message);
      throw error;
    });
    const registeredAt = this.clock.now();
    await this.db.query(
      `INSERT INTO agency_feed_keys (agency_id, jwk, registered_at, registered_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (agency_id) DO UPDATE
         SET jwk = EXCLUDED.jwk, registered_at = EXCLUDED.registered_at, registered_by = EXCLUDED.registered_by`,
      [admin.agencyId, JSON.stringify(jwk), registeredAt, admin.userId],
    );
    return { kid: jwk.kid, registeredAt };
  }

  /** No key registered: the agency's feed carries nothing (the relay skips agencies without one). */
  async show(agencyId: string): Promise<{ registered: false } | { registered: true; jwk: FeedPublicJwk; registeredAt: string }> {
    const [row] = await this.db.query<{ jwk: FeedPublicJwk; registered_at: Date | string }>(
      'SELECT jwk, registered_at FROM agency_feed_keys WHERE agency_id = $1',
      [agencyId],
    );
    return row ? { registered: true, jwk: row.jwk, registeredAt: new Date(row.registered_at).toISOString() } : { registered: false };
  }
}

/** The registered keys of some agencies (the relay's read, on its own connection). */
export async function feedKeysOf(db: SqlClient, agencyIds: readonly string[]): Promise<Map<string, FeedPublicJwk>> {
  if (agencyIds.length === 0) return new Map();
  const rows = await db.query<{ agency_id: string; jwk: FeedPublicJwk }>(
    'SELECT agency_id, jwk FROM agency_feed_keys WHERE agency_id = ANY($1::uuid[])',
    [[...agencyIds]],
  );
  return new Map(rows.map((r) => [r.agency_id, r.jwk]));
}

@ApiTags('feeds')
@Controller('agency/feed-key')
export class FeedKeysController {
  constructor(private readonly keys: FeedKeys) {}

  @Get()
  @Allow('feed-key.manage')
  @ApiOperation({ summary: "The public key your agency's Kafka feed is encrypted to" })
  show(@CurrentPrincipal() principal: Principal) {
    return this.keys.show(principal.agencyId);
  }

  @Put()
  @HttpCode(200)
  @Allow('feed-key.manage')
  @ApiOperation({ summary: "Register (or replace) the public key your agency's Kafka feed is encrypted to; messages from then on use it" })
  register(@Body() body: RegisterFeedKeyDto, @CurrentPrincipal() principal: Principal) {
    return this.keys.register(principal, body.jwk);
  }
}

/** Per-agency Kafka feeds: the admin route for the feed key (the relay itself runs as `npm run relay`). */
@Module({ controllers: [FeedKeysController], providers: [FeedKeys, Clock] })
export class FeedsModule {}
