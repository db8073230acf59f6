import { Body, Controller, Get, HttpCode, Inject, Injectable, Put, UnprocessableEntityException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { type SqlClient, type SqlDatabase, appendOnly } from '../../libs/sql/index.js';
import { Allow } from '../identity/access.decorators.js';
import { CurrentPrincipal, type Principal } from '../identity/principal.js';
import { instant, list, record, text } from '../platform/api-responses.js';
import { Clock } from '../platform/clock.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { type FeedPublicJwk, UnusableFeedKeyError, feedPublicKey } from './feed-encryption.js';

/**
 * The feeds' tables: each agency's registered public key and the history of its changes, the
 * record keys each agency's topic holds, and each relay's checkpoint in the event store.
 */
export const FEEDS_SCHEMA = `
CREATE TABLE IF NOT EXISTS agency_feed_keys (
  agency_id uuid PRIMARY KEY,
  jwk jsonb NOT NULL,
  registered_at timestamptz NOT NULL,
  registered_by text NOT NULL
);
-- The agency's secret for pseudonymous record keys and message ids (feed-pseudonyms.ts): kept when
-- the key is replaced, so a case's later messages still replace its earlier ones in the compacted topic.
ALTER TABLE agency_feed_keys ADD COLUMN IF NOT EXISTS pseudonym_secret text NOT NULL DEFAULT (gen_random_uuid()::text || gen_random_uuid()::text);
-- Set once the relay has tombstoned every case in the topic of a deactivated agency; nothing follows.
ALTER TABLE agency_feed_keys ADD COLUMN IF NOT EXISTS closed_at timestamptz;
CREATE TABLE IF NOT EXISTS agency_feed_key_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agency_id uuid NOT NULL,
  kid text NOT NULL,
  changed_at timestamptz NOT NULL,
  changed_by text NOT NULL
);
${appendOnly('agency_feed_key_changes', 'the history of feed keys is append-only')}
CREATE TABLE IF NOT EXISTS feed_published_keys (
  agency_id uuid NOT NULL,
  record_key text NOT NULL,
  PRIMARY KEY (agency_id, record_key)
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
    // A replaced key is recorded, who and when, so a partner or an auditor can tell which key read which messages.
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO agency_feed_keys (agency_id, jwk, registered_at, registered_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (agency_id) DO UPDATE
           SET jwk = EXCLUDED.jwk, registered_at = EXCLUDED.registered_at, registered_by = EXCLUDED.registered_by, closed_at = NULL`,
        [admin.agencyId, JSON.stringify(jwk), registeredAt, admin.userId],
      );
      await tx.query('INSERT INTO agency_feed_key_changes (agency_id, kid, changed_at, changed_by) VALUES ($1, $2, $3, $4)', [
        admin.agencyId,
        jwk.kid,
        registeredAt,
        admin.userId,
      ]);
    });
    return { kid: jwk.kid, registeredAt };
  }

  /** No key registered: the agency's feed carries nothing (the relay skips agencies without one). */
  async show(
    agencyId: string,
  ): Promise<
    | { registered: false }
    | { registered: true; jwk: FeedPublicJwk; registeredAt: string; history: Array<{ kid: string; changedAt: string; changedBy: string }> }
  > {
    const [row] = await this.db.query<{ jwk: FeedPublicJwk; registered_at: Date | string }>(
      'SELECT jwk, registered_at FROM agency_feed_keys WHERE agency_id = $1',
      [agencyId],
    );
    if (!row) return { registered: false };
    const history = await this.db.query<{ kid: string; changed_at: Date | string; changed_by: string }>(
      'SELECT kid, changed_at, changed_by FROM agency_feed_key_changes WHERE agency_id = $1 ORDER BY id',
      [agencyId],
    );
    return {
      registered: true,
      jwk: row.jwk,
      registeredAt: new Date(row.registered_at).toISOString(),
      history: history.map((h) => ({ kid: h.kid, changedAt: new Date(h.changed_at).toISOString(), changedBy: h.changed_by })),
    };
  }
}

/** An agency's feed as the relay needs it: the key to encrypt to, and the secret its pseudonyms are made with. */
export interface FeedRecipient {
  readonly jwk: FeedPublicJwk;
  readonly secret: string;
}

/**
 * The feeds the relay may publish to, of some agencies: a registered key, the agency active and its
 * feed not closed. A deactivated agency gets nothing more, not even an update of a case it had.
 */
export async function feedRecipientsOf(db: SqlClient, agencyIds: readonly string[]): Promise<Map<string, FeedRecipient>> {
  if (agencyIds.length === 0) return new Map();
  const rows = await db.query<{ agency_id: string; jwk: FeedPublicJwk; pseudonym_secret: string }>(
    `SELECT k.agency_id, k.jwk, k.pseudonym_secret FROM agency_feed_keys k JOIN agencies a ON a.id = k.agency_id
     WHERE k.agency_id = ANY($1::uuid[]) AND a.active AND k.closed_at IS NULL`,
    [[...agencyIds]],
  );
  return new Map(rows.map((r) => [r.agency_id, { jwk: r.jwk, secret: r.pseudonym_secret }]));
}

@ApiTags('feeds')
@Controller('agency/feed-key')
export class FeedKeysController {
  constructor(private readonly keys: FeedKeys) {}

  @Get()
  @Allow('feed-key.manage')
  @ApiOperation({ summary: "The public key your agency's Kafka feed is encrypted to" })
  @ApiOkResponse({
    schema: record(
      {
        registered: { type: 'boolean' },
        jwk: { type: 'object', additionalProperties: true, description: 'The public JWK (EC P-256)' },
        registeredAt: instant,
        history: list(record({ kid: text(), changedAt: instant, changedBy: text() })),
      },
      ['registered'],
    ),
  })
  show(@CurrentPrincipal() principal: Principal) {
    return this.keys.show(principal.agencyId);
  }

  @Put()
  @HttpCode(200)
  @Allow('feed-key.manage')
  @ApiOperation({ summary: "Register (or replace) the public key your agency's Kafka feed is encrypted to; messages from then on use it" })
  @ApiOkResponse({ schema: record({ kid: text({ description: 'RFC 7638 thumbprint of the key' }), registeredAt: instant }) })
  register(@Body() body: RegisterFeedKeyDto, @CurrentPrincipal() principal: Principal) {
    return this.keys.register(principal, body.jwk);
  }
}
