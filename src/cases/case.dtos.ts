import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import {
  AGE_GROUPS,
  CASE_SOURCES,
  CLOSURE_REASONS,
  ERASURE_REASONS,
  INDICATOR_CODES,
  INTERRUPTION_REASONS,
} from '../../libs/domain/index.js';
import type { AgeGroup, CaseSource, ClosureReason, ErasureReason, IndicatorCode, InterruptionReason } from '../../libs/domain/index.js';
import { PageQueryDto } from '../platform/keyset-cursor.js';
import { IsIndicatorList, NOTE_MAX } from './dto-rules.js';
import { PersonDto } from './person.dtos.js';

/** Opening, listing, pausing, closing and erasing a case. */
export class OpenCaseDto {
  @ApiProperty({ enum: CASE_SOURCES }) @IsIn(CASE_SOURCES) source!: CaseSource;
  @ApiProperty({ enum: INDICATOR_CODES, isArray: true, description: 'Warning signs observed (seed 002 checklist); never proof' })
  @IsIndicatorList()
  indicators!: IndicatorCode[];
  @ApiProperty({ enum: AGE_GROUPS, description: 'Anyone who is, says they are, or may be a child is treated as a child' })
  @IsIn(AGE_GROUPS)
  ageGroup!: AgeGroup;
  @ApiPropertyOptional({ type: PersonDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => PersonDto) person?: PersonDto;
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

const REQUESTABLE_ERASURE_REASONS = ERASURE_REASONS.filter((r) => r !== 'retention');

export class RequestErasureDto {
  @ApiProperty({ enum: REQUESTABLE_ERASURE_REASONS }) @IsIn(REQUESTABLE_ERASURE_REASONS) reason!: Exclude<ErasureReason, 'retention'>;
}
