import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Injectable,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { Clock } from '../platform/clock.js';
import { instant, list, record, text } from '../platform/api-responses.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { Allow } from './access.decorators.js';
import { CurrentPrincipal, type Principal } from './principal.js';
import { OpaqueCredentials } from './opaque-credential.js';
import { HeaderCredentialStrategy } from './header-credential.strategy.js';
import { Principals } from './principals.js';
import { type Action, PERMISSIONS, mayPerform } from './roles.js';

export const API_KEY_HASH_KEY = Symbol('ApiKeyHashKey');

/** What a partner system's key may do: the partner_system role's actions, or some of them. */
const PARTNER_ACTIONS = (Object.keys(PERMISSIONS) as Action[]).filter((a) => mayPerform('partner_system', a));

export class IssueApiKeyDto {
  @ApiProperty({ example: 'shelter case system' }) @IsString() @Length(1, 100) name!: string;
  @ApiPropertyOptional({
    enum: PARTNER_ACTIONS,
    isArray: true,
    description: 'Narrows the key to these actions; absent: every action of partner_system',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(20)
  @IsIn(PARTNER_ACTIONS, { each: true })
  actions?: Action[];
  @ApiPropertyOptional({ description: 'Only the reading actions (case.read, referral.list, directory.read); not with actions' })
  @IsOptional()
  @IsBoolean()
  readOnly?: boolean;
}

/** The partner actions that change nothing. */
const READ_ACTIONS: readonly Action[] = ['case.read', 'referral.list', 'directory.read'];

interface ApiKeyRow {
  id: string;
  agency_id: string;
  name: string;
  secret_hash: string;
  actions: Action[] | null;
  created_at: Date | string;
  revoked_at: Date | string | null;
}

/** Keys look like `rk_<id>_<secret>` (OpaqueCredentials); the key is shown once, when issued. */
@Injectable()
export class ApiKeys {
  private readonly credentials: OpaqueCredentials;
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(API_KEY_HASH_KEY) hashKey: Buffer,
    private readonly clock: Clock,
    private readonly principals: Principals,
  ) {
    this.credentials = new OpaqueCredentials('rk', hashKey);
  }

  async issue(issuer: Principal, body: IssueApiKeyDto): Promise<{ id: string; key: string }> {
    if (body.readOnly && body.actions) throw new BadRequestException('give either readOnly or actions, not both');
    const actions = body.readOnly ? PARTNER_ACTIONS.filter((a) => READ_ACTIONS.includes(a)) : body.actions;
    const { id, credential, secretHash } = this.credentials.issue();
    await this.db.query(
      'INSERT INTO api_keys (id, agency_id, name, secret_hash, actions, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [id, issuer.agencyId, body.name, secretHash, actions ?? null, issuer.userId, this.clock.now()],
    );
    return { id, key: credential };
  }

  async list(agencyId: string) {
    const rows = await this.db.query<ApiKeyRow>(
      'SELECT id, name, actions, created_at, revoked_at FROM api_keys WHERE agency_id = $1 ORDER BY created_at',
      [agencyId],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      actions: r.actions ?? PARTNER_ACTIONS,
      createdAt: new Date(r.created_at).toISOString(),
      revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
    }));
  }

  async revoke(revoker: Principal, id: string): Promise<void> {
    const rows = await this.db.query(
      'UPDATE api_keys SET revoked_at = $3, revoked_by = $4 WHERE id = $1 AND agency_id = $2 AND revoked_at IS NULL RETURNING id',
      [id, revoker.agencyId, this.clock.now(), revoker.userId],
    );
    if (rows.length === 0) throw new NotFoundException('no active key of your agency has this id');
    this.principals.changed();
  }

  /** The principal a presented key stands for; undefined when it is unknown, revoked or its agency inactive. */
  async principalOf(presented: string): Promise<Principal | undefined> {
    const parsed = this.credentials.parse(presented);
    if (!parsed) return undefined;
    const key = await this.principals.apiKey(parsed.id);
    if (!this.credentials.matches(parsed.secret, key?.secretHash) || !key) return undefined;
    return {
      userId: key.keyId,
      agencyId: key.agencyId,
      agencyKind: key.agencyKind,
      role: 'partner_system',
      ...(key.actions ? { actions: key.actions } : {}),
    };
  }
}

/** `Authorization: ApiKey rk_…`. */
class HeaderApiKeyStrategy extends HeaderCredentialStrategy {
  protected extract(authorization: string): string | undefined {
    return authorization.startsWith('ApiKey ') ? authorization.slice('ApiKey '.length).trim() : undefined;
  }
}

/** Partner systems authenticate with their agency's key. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(HeaderApiKeyStrategy, 'api-key') {
  constructor(private readonly keys: ApiKeys) {
    super();
  }

  async validate(key: string): Promise<Principal | false> {
    return (await this.keys.principalOf(key)) ?? false;
  }
}

const uuid = text({ format: 'uuid' });
const KEY_ISSUED = record({ id: uuid, key: text({ description: 'The whole key, shown this once: `rk_…`' }) });
const KEY = record({ id: uuid, name: text(), actions: list(text()), createdAt: instant, revokedAt: { ...instant, nullable: true } });

@ApiTags('identity')
@Controller('agency/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeys) {}

  @Post()
  @Allow('api-key.manage')
  @ApiOperation({ summary: 'Issue a key for a partner system of your agency; the key is shown once, only its keyed hash is kept' })
  @ApiCreatedResponse({ schema: KEY_ISSUED })
  issue(@Body() body: IssueApiKeyDto, @CurrentPrincipal() principal: Principal) {
    return this.keys.issue(principal, body);
  }

  @Get()
  @Allow('api-key.manage')
  @ApiOperation({ summary: "Your agency's keys: names, actions, when issued and revoked; never the secrets" })
  @ApiOkResponse({ schema: list(KEY) })
  list(@CurrentPrincipal() principal: Principal) {
    return this.keys.list(principal.agencyId);
  }

  @Post(':keyId/revocation')
  @HttpCode(200)
  @Allow('api-key.manage')
  @ApiOperation({ summary: 'Revoke a key of your agency: it stops working at once' })
  @ApiOkResponse({ schema: record({ id: uuid, revoked: { type: 'boolean', enum: [true] } }) })
  async revoke(@Param('keyId', new ParseUUIDPipe()) keyId: string, @CurrentPrincipal() principal: Principal) {
    await this.keys.revoke(principal, keyId);
    return { id: keyId, revoked: true };
  }
}
