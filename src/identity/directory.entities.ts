import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AgencyKind } from '../../libs/consent-policy/index.js';
import type { Role } from './roles.js';

@Entity('agencies')
export class AgencyEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') kind!: AgencyKind;
  @Column('boolean') active!: boolean;
}

@Entity('users')
export class UserEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') username!: string;
  @Column('text', { name: 'display_name' }) displayName!: string;
  @Column('uuid', { name: 'agency_id' }) agencyId!: string;
  @Column('text') role!: Role;
  @Column('text', { name: 'password_hash' }) passwordHash!: string;
  @Column('boolean') active!: boolean;
  @Column('int', { name: 'failed_sign_ins' }) failedSignIns!: number;
  @Column('timestamptz', { name: 'locked_until', nullable: true }) lockedUntil!: Date | null;
  @Column('boolean', { name: 'password_change_required' }) passwordChangeRequired!: boolean;
  @Column('int', { name: 'credentials_version' }) credentialsVersion!: number;
}

/** Identity's tables that TypeORM maps (the persistence module registers them; nobody outside identity queries them). */
export const IDENTITY_ENTITIES = [AgencyEntity, UserEntity];
