import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { AGENCY_KINDS, DATA_CATEGORIES, PURPOSES, SERVICE_TYPES } from '../../libs/consent-policy/index.js';
import type { AgencyKind, DataCategory, Purpose, ServiceType } from '../../libs/consent-policy/index.js';
import { CONSENT_GRANTORS, CONSENT_METHODS } from '../../libs/domain/index.js';
import type { ConsentGrantor, ConsentMethod } from '../../libs/domain/index.js';
import { IsInstant } from '../platform/date-validation.js';
import { IsCategoryList, NOTE_MAX, stacked } from './dto-rules.js';

/** Consent, its provisions, and the best-interests determination that stands in for it for a child. */
export class RecipientDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional({ enum: AGENCY_KINDS }) @IsOptional() @IsIn(AGENCY_KINDS) agencyKind?: AgencyKind;
}

export class ProvisionDto {
  @ApiProperty({ type: RecipientDto, description: 'Exactly one of agencyId or agencyKind' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RecipientDto)
  recipient!: RecipientDto;
  @ApiProperty({ enum: PURPOSES }) @IsIn(PURPOSES) purpose!: Purpose;
  @ApiPropertyOptional({ enum: SERVICE_TYPES, isArray: true, description: 'For service_provision: the services agreed to' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(SERVICE_TYPES, { each: true })
  serviceTypes?: ServiceType[];
  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true })
  @IsCategoryList()
  categories!: DataCategory[];
  @ApiPropertyOptional({ format: 'date-time', description: 'RFC 3339 with an offset; defaults to now' })
  @IsOptional()
  @IsInstant()
  validFrom?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'RFC 3339 with an offset; absent means until withdrawn' })
  @IsOptional()
  @IsInstant()
  validUntil?: string;
}

/** Between one and twenty provisions, each validated on its own. */
const IsProvisionList = (): PropertyDecorator =>
  stacked(
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(20),
    IsObject({ each: true }),
    ValidateNested({ each: true }),
    Type(() => ProvisionDto),
  );

export class GiveConsentDto {
  @ApiProperty({ enum: CONSENT_GRANTORS }) @IsIn(CONSENT_GRANTORS) grantor!: ConsentGrantor;
  @ApiPropertyOptional({ description: 'For a child: whether the child assented' }) @IsOptional() @IsBoolean() childAssent?: boolean;
  @ApiProperty({ enum: CONSENT_METHODS }) @IsIn(CONSENT_METHODS) method!: ConsentMethod;
  @ApiProperty({ example: 'ha', description: 'Language the consent was explained in (BCP 47)' })
  @IsString()
  @Length(2, 35)
  @Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'language is a BCP 47 tag such as ha or fr-CA' })
  language!: string;
  @ApiProperty() @IsBoolean() interpreterUsed!: boolean;
  @ApiProperty({ example: 'consent-notice-2026-01' })
  @IsString()
  @Length(1, 50)
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'noticeVersion is letters, digits, dot, dash or underscore' })
  noticeVersion!: string;
  @ApiProperty({ type: [ProvisionDto] })
  @IsProvisionList()
  provisions!: ProvisionDto[];
}

export class WithdrawConsentDto {
  @ApiPropertyOptional({ type: [String], description: 'Provisions to withdraw; absent withdraws the whole consent' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  provisionIds?: string[];
}

export class ProposeBestInterestsDto {
  @ApiProperty({ type: [ProvisionDto], description: 'What the determination allows to be shared; each entry needs validUntil' })
  @IsProvisionList()
  scope!: ProvisionDto[];
  @ApiProperty({ maxLength: NOTE_MAX, description: "Why sharing is in the child's best interests; encrypted" })
  @IsString()
  @Length(1, NOTE_MAX)
  reasons!: string;
}
