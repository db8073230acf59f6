import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { IsCalendarDate } from '../platform/date-validation.js';

/** What a case may hold about the person, each part sealed under its own data category. */
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
