import {
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  Injectable,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { randomBytes, randomUUID } from 'node:crypto';
import { AGENCY_KINDS, type AgencyKind } from '../../libs/consent-policy/index.js';
import { type SqlDatabase, UNIQUE_VIOLATION, sqlState } from '../../libs/sql/index.js';
import { instant, list, oneOf, record, text } from '../platform/api-responses.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { Allow } from './access.decorators.js';
import { hashPassword } from './password.js';
import { CurrentPrincipal, type Principal } from './principal.js';
import { MemberAgencies } from './member-agencies.js';
import { Principals } from './principals.js';
import type { Role } from './roles.js';

/** The roles an agency admin gives its own staff; network-wide roles and partner systems are not among them. */
const AGENCY_STAFF_ROLES = ['frontline_worker', 'caseworker', 'supervisor', 'agency_admin'] as const satisfies readonly Role[];

export class CreateUserDto {
  @ApiProperty({ example: 'caseworker.two' })
  @IsString()
  @Length(3, 60)
  @Matches(/^[a-z0-9._-]+$/, { message: 'username is lower-case letters, digits, dot, dash or underscore' })
  username!: string;
  @ApiProperty() @IsString() @Length(1, 100) displayName!: string;
  @ApiProperty({ enum: AGENCY_STAFF_ROLES }) @IsIn(AGENCY_STAFF_ROLES) role!: (typeof AGENCY_STAFF_ROLES)[number];
}

export class FirstAdminDto {
  @ApiProperty({ example: 'admin.shelter' })
  @IsString()
  @Length(3, 60)
  @Matches(/^[a-z0-9._-]+$/, { message: 'username is lower-case letters, digits, dot, dash or underscore' })
  username!: string;
  @ApiProperty() @IsString() @Length(1, 100) displayName!: string;
}

export class CreateAgencyDto {
  @ApiProperty() @IsString() @Length(3, 200) name!: string;
  @ApiProperty({ enum: AGENCY_KINDS }) @IsIn(AGENCY_KINDS) kind!: AgencyKind;
  @ApiPropertyOptional({
    type: FirstAdminDto,
    description: "The new agency's first admin, who then adds its users; the initial password is shown once",
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => FirstAdminDto)
  firstAdmin?: FirstAdminDto;
}

/** Users of an agency, managed by its own admins; member agencies, managed by the network's coordinators. */
@Injectable()
export class Administration {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly principals: Principals,
  ) {}

  users(agencyId: string) {
    return this.db.query(
      `SELECT id, username, display_name AS "displayName", role, active, locked_until AS "lockedUntil" FROM users WHERE agency_id = $1 ORDER BY username`,
      [agencyId],
    );
  }

  /** The initial password is returned once, to be handed over and changed; only its hash is kept. */
  async createUser(admin: Principal, body: CreateUserDto) {
    const id = randomUUID();
    const initialPassword = randomBytes(12).toString('base64url');
    try {
      await this.db.query(
        'INSERT INTO users (id, username, display_name, agency_id, role, password_hash, password_change_required) VALUES ($1, $2, $3, $4, $5, $6, true)',
        [id, body.username, body.displayName, admin.agencyId, body.role, await hashPassword(initialPassword)],
      );
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) throw new ConflictException('this username is taken');
      throw error;
    }
    return { id, username: body.username, role: body.role, initialPassword };
  }

  /** Deactivation ends every token of the user at once: each request checks the user is active (Principals). */
  async deactivateUser(admin: Principal, userId: string) {
    if (userId === admin.userId)
      throw new UnprocessableEntityException('an admin cannot deactivate themself; ask another admin of the agency');
    const rows = await this.db.query('UPDATE users SET active = false WHERE id = $1 AND agency_id = $2 RETURNING id', [
      userId,
      admin.agencyId,
    ]);
    if (rows.length === 0) throw new NotFoundException('no user of your agency has this id');
    this.principals.changed();
  }

  /** A new member agency, and optionally its first admin: nobody else could add that agency's users. */
  async createAgency(body: CreateAgencyDto) {
    const id = randomUUID();
    const initialPassword = randomBytes(12).toString('base64url');
    const passwordHash = body.firstAdmin ? await hashPassword(initialPassword) : undefined;
    try {
      await this.db.transaction(async (tx) => {
        await tx.query('INSERT INTO agencies (id, name, kind) VALUES ($1, $2, $3)', [id, body.name, body.kind]);
        if (body.firstAdmin) {
          await tx.query(
            'INSERT INTO users (id, username, display_name, agency_id, role, password_hash, password_change_required) VALUES ($1, $2, $3, $4, $5, $6, true)',
            [randomUUID(), body.firstAdmin.username, body.firstAdmin.displayName, id, 'agency_admin', passwordHash],
          );
        }
      });
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION)
        throw new ConflictException('an agency of this name, or a user of this username, exists already');
      throw error;
    }
    return {
      id,
      name: body.name,
      kind: body.kind,
      ...(body.firstAdmin ? { firstAdmin: { username: body.firstAdmin.username, initialPassword } } : {}),
    };
  }

  /** A deactivated agency's users and keys stop working at once, and it can no longer be referred to. */
  async deactivateAgency(coordinator: Principal, agencyId: string) {
    if (agencyId === coordinator.agencyId) throw new UnprocessableEntityException('a coordinator cannot deactivate their own agency');
    const rows = await this.db.query('UPDATE agencies SET active = false WHERE id = $1 AND active RETURNING id', [agencyId]);
    if (rows.length === 0) throw new NotFoundException('no active member agency has this id');
    this.principals.changed();
  }
}

const uuid = text({ format: 'uuid' });
const USER = record({
  id: uuid,
  username: text(),
  displayName: text(),
  role: text(),
  active: { type: 'boolean' },
  lockedUntil: { ...instant, nullable: true },
});
const USER_ADDED = record({ id: uuid, username: text(), role: text(), initialPassword: text() });
const AGENCY_ADDED = record(
  { id: uuid, name: text(), kind: oneOf(AGENCY_KINDS), firstAdmin: record({ username: text(), initialPassword: text() }) },
  ['id', 'name', 'kind'],
);
const CASE_STAFF = record({ id: uuid, displayName: text(), role: text() }, ['id', 'displayName', 'role']);
const DEACTIVATED = record({ id: uuid, active: { type: 'boolean', enum: [false] } });

@ApiTags('identity')
@Controller()
export class AdministrationController {
  constructor(
    private readonly administration: Administration,
    private readonly members: MemberAgencies,
  ) {}

  @Get('agency/case-staff')
  @Allow('case.manage')
  @ApiOperation({ summary: "Your agency's active caseworkers and supervisors, whom its cases can be given to at intake" })
  @ApiOkResponse({ schema: list(CASE_STAFF) })
  caseStaff(@CurrentPrincipal() principal: Principal) {
    return this.members.caseStaff(principal.agencyId);
  }

  @Get('agency/users')
  @Allow('user.manage')
  @ApiOperation({ summary: "Your agency's users" })
  @ApiOkResponse({ schema: list(USER) })
  users(@CurrentPrincipal() principal: Principal) {
    return this.administration.users(principal.agencyId);
  }

  @Post('agency/users')
  @Allow('user.manage')
  @ApiOperation({ summary: 'Add a user to your agency; the initial password is shown once' })
  @ApiCreatedResponse({ schema: USER_ADDED })
  createUser(@Body() body: CreateUserDto, @CurrentPrincipal() principal: Principal) {
    return this.administration.createUser(principal, body);
  }

  @Post('agency/users/:userId/deactivation')
  @HttpCode(200)
  @Allow('user.manage')
  @ApiOperation({ summary: 'Deactivate a user of your agency: their tokens stop working at once' })
  @ApiOkResponse({ schema: DEACTIVATED })
  async deactivateUser(@Param('userId', new ParseUUIDPipe()) userId: string, @CurrentPrincipal() principal: Principal) {
    await this.administration.deactivateUser(principal, userId);
    return { id: userId, active: false };
  }

  @Post('directory/agencies')
  @Allow('agency.manage')
  @ApiOperation({ summary: 'Add a member agency to the network' })
  @ApiCreatedResponse({ schema: AGENCY_ADDED })
  createAgency(@Body() body: CreateAgencyDto) {
    return this.administration.createAgency(body);
  }

  @Post('directory/agencies/:agencyId/deactivation')
  @HttpCode(200)
  @Allow('agency.manage')
  @ApiOperation({ summary: 'Deactivate a member agency: its users and keys stop working at once' })
  @ApiOkResponse({ schema: DEACTIVATED })
  async deactivateAgency(@Param('agencyId', new ParseUUIDPipe()) agencyId: string, @CurrentPrincipal() principal: Principal) {
    await this.administration.deactivateAgency(principal, agencyId);
    return { id: agencyId, active: false };
  }
}
