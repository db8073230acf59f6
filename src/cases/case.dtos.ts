import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
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
import { AGENCY_KINDS, DATA_CATEGORIES, PURPOSES, SAFETY_FLAGS, SERVICE_TYPES } from '../../libs/consent-policy/index.js';
import type { AgencyKind, DataCategory, Purpose, SafetyFlag, ServiceType } from '../../libs/consent-policy/index.js';
import { IsCalendarDate, IsInstant } from '../platform/date-validation.js';
import {
  AGE_GROUPS,
  CASE_SOURCES,
  CLOSURE_REASONS,
  CONSENT_GRANTORS,
  CONSENT_METHODS,
  DECLINE_REASONS,
  ERASURE_REASONS,
  IDENTIFICATION_OUTCOMES,
  INDICATOR_CODES,
  INTERRUPTION_REASONS,
  RISK_LEVELS,
  SCREENING_OUTCOMES,
  URGENCIES,
} from '../../libs/domain/index.js';
import type {
  AgeGroup,
  CaseSource,
  ClosureReason,
  ConsentGrantor,
  ConsentMethod,
  DeclineReason,
  ErasureReason,
  IdentificationOutcome,
  IndicatorCode,
  InterruptionReason,
  RiskLevel,
  ScreeningOutcome,
  Urgency,
} from '../../libs/domain/index.js';
import { PageQueryDto } from '../platform/keyset-cursor.js';

/** Free text is personal by nature: kept short, and sealed before it is stored. */
const NOTE_MAX = 2000;

export class IdentityDto {
  @ApiProperty({ maxLength: 200 }) @IsString() @Length(1, 200) fullName!: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  otherNames?: string[];
  @ApiPropertyOptional({ example: '2004-05-17' }) @IsOptional() @IsCalendarDate() dateOfBirth?: string;
}

export class ContactDto {
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @IsString() @Length(3, 40) phone?: string;
  @ApiProperty({ description: 'Whether contacting the person is safe at all (a phone may be watched)' })
  @IsBoolean()
  safeToContact!: boolean;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @Length(1, 500) safeContactNotes?: string;
}

export class PersonLocationDto {
  @ApiProperty({ maxLength: 200, description: 'Area or camp, as precise as the purpose needs and no more' })
  @IsString()
  @Length(1, 200)
  area!: string;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @Length(1, 500) details?: string;
}

export const SEXES = ['female', 'male', 'other', 'undisclosed'] as const;
export const AGE_BANDS = ['0-4', '5-11', '12-14', '15-17', '18-24', '25-59', '60+', 'unknown'] as const;

export class DemographicsDto {
  @ApiProperty({ enum: SEXES }) @IsIn(SEXES) sex!: (typeof SEXES)[number];
  @ApiProperty({ enum: AGE_BANDS }) @IsIn(AGE_BANDS) ageBand!: (typeof AGE_BANDS)[number];
  @ApiPropertyOptional({ maxLength: 60 }) @IsOptional() @IsString() @Length(2, 60) nationality?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() disability?: boolean;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(2, 35, { each: true })
  languages?: string[];
}

export class PersonDto {
  @ApiPropertyOptional({ type: IdentityDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => IdentityDto) identity?: IdentityDto;
  @ApiPropertyOptional({ type: ContactDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => ContactDto) contact?: ContactDto;
  @ApiPropertyOptional({ type: PersonLocationDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonLocationDto)
  location?: PersonLocationDto;
  @ApiPropertyOptional({ type: DemographicsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DemographicsDto)
  demographics?: DemographicsDto;
}

export class OpenCaseDto {
  @ApiProperty({ enum: CASE_SOURCES }) @IsIn(CASE_SOURCES) source!: CaseSource;
  @ApiProperty({ enum: INDICATOR_CODES, isArray: true, description: 'Warning signs observed (seed 002 checklist); never proof' })
  @IsArray()
  @ArrayMaxSize(INDICATOR_CODES.length)
  @ArrayUnique()
  @IsIn(INDICATOR_CODES, { each: true })
  indicators!: IndicatorCode[];
  @ApiProperty({ enum: AGE_GROUPS, description: 'Anyone who is, says they are, or may be a child is treated as a child' })
  @IsIn(AGE_GROUPS)
  ageGroup!: AgeGroup;
  @ApiPropertyOptional({ type: PersonDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => PersonDto) person?: PersonDto;
}

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
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(DATA_CATEGORIES, { each: true })
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
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ProvisionDto)
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
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(DATA_CATEGORIES, { each: true })
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
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(DATA_CATEGORIES, { each: true })
  sharedCategories?: DataCategory[];
}

export class RecordScreeningDto {
  @ApiProperty({ enum: SCREENING_OUTCOMES }) @IsIn(SCREENING_OUTCOMES) outcome!: ScreeningOutcome;
  @ApiPropertyOptional({ enum: INDICATOR_CODES, isArray: true, description: 'Further warning signs seen in screening; never proof' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(INDICATOR_CODES.length)
  @ArrayUnique()
  @IsIn(INDICATOR_CODES, { each: true })
  indicators?: IndicatorCode[];
}

export class RecordIdentificationDto {
  @ApiProperty({ enum: IDENTIFICATION_OUTCOMES, description: 'not_trafficked still leaves referral for other needs open' })
  @IsIn(IDENTIFICATION_OUTCOMES)
  outcome!: IdentificationOutcome;
}

export class RecordIntakeDto {
  @ApiProperty({ format: 'uuid', description: 'A caseworker or supervisor of the owning agency who manages the case' })
  @IsUUID()
  caseworkerId!: string;
}

export class RecordCasePlanDto {
  @ApiProperty({ enum: SERVICE_TYPES, isArray: true })
  @IsArray()
  @ArrayMaxSize(SERVICE_TYPES.length)
  @ArrayUnique()
  @IsIn(SERVICE_TYPES, { each: true })
  servicesNeeded!: ServiceType[];
  @ApiProperty({ maxLength: NOTE_MAX, description: 'The plan agreed with the person; encrypted, seen by the owning agency only' })
  @IsString()
  @Length(1, NOTE_MAX)
  plan!: string;
}

export class AssessSafetyDto {
  @ApiProperty({ enum: RISK_LEVELS }) @IsIn(RISK_LEVELS) riskLevel!: RiskLevel;
  @ApiProperty({
    maxLength: NOTE_MAX,
    description: 'Risks to the person and staff, and the safety plan; encrypted, shared only as the safety category',
  })
  @IsString()
  @Length(1, NOTE_MAX)
  plan!: string;
  @ApiPropertyOptional({ enum: SAFETY_FLAGS, isArray: true, description: 'Flags the assessment raises; they narrow sharing at once' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(SAFETY_FLAGS, { each: true })
  flags?: SafetyFlag[];
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
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(DATA_CATEGORIES, { each: true })
  categories?: DataCategory[];
}

export class DeclineReferralDto {
  @ApiProperty({ enum: DECLINE_REASONS }) @IsIn(DECLINE_REASONS) reason!: DeclineReason;
  @ApiPropertyOptional({ maxLength: NOTE_MAX }) @IsOptional() @IsString() @Length(1, NOTE_MAX) note?: string;
}

export class CompleteReferralDto {
  @ApiProperty({ maxLength: NOTE_MAX }) @IsString() @Length(1, NOTE_MAX) outcome!: string;
}

export class InterruptCaseDto {
  @ApiProperty({ enum: INTERRUPTION_REASONS }) @IsIn(INTERRUPTION_REASONS) reason!: InterruptionReason;
  @ApiPropertyOptional({ maxLength: NOTE_MAX, description: 'A safety note, not a search lead' })
  @IsOptional()
  @IsString()
  @Length(1, NOTE_MAX)
  note?: string;
}

export class CloseCaseDto {
  @ApiProperty({ enum: CLOSURE_REASONS }) @IsIn(CLOSURE_REASONS) reason!: ClosureReason;
}

const RELATIONS = ['owner', 'recipient'] as const;
const CASE_STATUSES = ['open', 'paused', 'closed'] as const;

export class ListCasesDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RELATIONS, description: "owner: cases of the caller's agency; recipient: cases referred to it" })
  @IsOptional()
  @IsIn(RELATIONS)
  relation?: (typeof RELATIONS)[number];
  @ApiPropertyOptional({ enum: CASE_STATUSES, description: "Filters the agency's own cases by status (paused: open, static)" })
  @IsOptional()
  @IsIn(CASE_STATUSES)
  status?: (typeof CASE_STATUSES)[number];
}

export class RaiseSafetyFlagDto {
  @ApiProperty({ enum: SAFETY_FLAGS, description: 'Narrows what any consent lets other agencies see; never shown to them' })
  @IsIn(SAFETY_FLAGS)
  flag!: SafetyFlag;
}

export class ProposeBestInterestsDto {
  @ApiProperty({ type: [ProvisionDto], description: 'What the determination allows to be shared; each entry needs validUntil' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ProvisionDto)
  scope!: ProvisionDto[];
  @ApiProperty({ maxLength: NOTE_MAX, description: "Why sharing is in the child's best interests; encrypted" })
  @IsString()
  @Length(1, NOTE_MAX)
  reasons!: string;
}

const REQUESTABLE_ERASURE_REASONS = ERASURE_REASONS.filter((r) => r !== 'retention');

export class RequestErasureDto {
  @ApiProperty({ enum: REQUESTABLE_ERASURE_REASONS }) @IsIn(REQUESTABLE_ERASURE_REASONS) reason!: Exclude<ErasureReason, 'retention'>;
}
