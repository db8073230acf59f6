import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { SAFETY_FLAGS, SERVICE_TYPES } from '../../libs/consent-policy/index.js';
import type { SafetyFlag, ServiceType } from '../../libs/consent-policy/index.js';
import { IDENTIFICATION_OUTCOMES, INDICATOR_CODES, RISK_LEVELS, SCREENING_OUTCOMES } from '../../libs/domain/index.js';
import type { IdentificationOutcome, IndicatorCode, RiskLevel, ScreeningOutcome } from '../../libs/domain/index.js';
import { IsIndicatorList, NOTE_MAX } from './dto-rules.js';

/** The steps of the case path: screening, identification, intake, the case plan and safety. */
export class RecordScreeningDto {
  @ApiProperty({ enum: SCREENING_OUTCOMES }) @IsIn(SCREENING_OUTCOMES) outcome!: ScreeningOutcome;
  @ApiPropertyOptional({ enum: INDICATOR_CODES, isArray: true, description: 'Further warning signs seen in screening; never proof' })
  @IsOptional()
  @IsIndicatorList()
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

export class RaiseSafetyFlagDto {
  @ApiProperty({ enum: SAFETY_FLAGS, description: 'Narrows what any consent lets other agencies see; never shown to them' })
  @IsIn(SAFETY_FLAGS)
  flag!: SafetyFlag;
}
