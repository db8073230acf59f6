import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { DATA_CATEGORIES, PURPOSES, SERVICE_TYPES } from '../../libs/consent-policy/index.js';
import type { DataCategory, Purpose, ServiceType } from '../../libs/consent-policy/index.js';
import { DECLINE_REASONS, URGENCIES } from '../../libs/domain/index.js';
import type { DeclineReason, Urgency } from '../../libs/domain/index.js';
import { IsCategoryList, NOTE_MAX } from './dto-rules.js';

/** Referrals, re-referrals, their answers and the suggestions that precede them. */
/** What a referral and a re-referral have in common: where it goes and what travels with it. */
class ReferralTargetDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() toAgencyId!: string;
  @ApiPropertyOptional({ enum: URGENCIES, default: 'normal' }) @IsOptional() @IsIn(URGENCIES) urgency?: Urgency;
  @ApiPropertyOptional({ maxLength: NOTE_MAX }) @IsOptional() @IsString() @Length(1, NOTE_MAX) note?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The directory service referred to, when the agency offers the service at several' })
  @IsOptional()
  @IsUUID()
  serviceId?: string;
  @ApiPropertyOptional({ maxLength: 100, description: 'The area the service is to be delivered in (an area the service serves)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  area?: string;
}

export class RequestReferralDto extends ReferralTargetDto {
  @ApiProperty({ enum: PURPOSES }) @IsIn(PURPOSES) purpose!: Purpose;
  @ApiPropertyOptional({ enum: SERVICE_TYPES }) @IsOptional() @IsIn(SERVICE_TYPES) serviceType?: ServiceType;
  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true })
  @IsCategoryList()
  sharedCategories!: DataCategory[];
}

/** The same need as the declined referral, to another agency. */
export class ReReferralDto extends ReferralTargetDto {
  @ApiPropertyOptional({
    enum: DATA_CATEGORIES,
    isArray: true,
    description: "Default: what the declined referral shared (urgency too defaults to the declined referral's)",
  })
  @IsOptional()
  @IsCategoryList()
  sharedCategories?: DataCategory[];
}

export class ReferralSuggestionsDto {
  @ApiProperty({ enum: SERVICE_TYPES }) @IsIn(SERVICE_TYPES) serviceType!: ServiceType;
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @Length(1, 100) area?: string;
  @ApiPropertyOptional({
    enum: DATA_CATEGORIES,
    isArray: true,
    description: 'Categories the referral would share (comma-separated); default identity',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value))
  @IsCategoryList()
  categories?: DataCategory[];
}

export class DeclineReferralDto {
  @ApiProperty({ enum: DECLINE_REASONS }) @IsIn(DECLINE_REASONS) reason!: DeclineReason;
  @ApiPropertyOptional({ maxLength: NOTE_MAX }) @IsOptional() @IsString() @Length(1, NOTE_MAX) note?: string;
}

export class CompleteReferralDto {
  @ApiProperty({ maxLength: NOTE_MAX }) @IsString() @Length(1, NOTE_MAX) outcome!: string;
}
