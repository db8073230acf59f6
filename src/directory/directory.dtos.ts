import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { AGENCY_KINDS, type AgencyKind, SERVICE_TYPES, type ServiceType } from '../../libs/consent-policy/index.js';
import {
  COUNTRY_CODE,
  ELIGIBLE_SEXES,
  type EligibleSex,
  LANGUAGE_CODE,
  LIMITS,
  SERVICE_STATUSES,
  SUBCOMMITTEES,
  type ServiceStatus,
  type Subcommittee,
} from './directory.model.js';

/** The value is at most another number of the same object (checked when both are numbers). */
const NoGreaterThan = (other: string) =>
  ValidateBy({
    name: 'noGreaterThan',
    constraints: [other],
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const limit = (args?.object as Record<string, unknown> | undefined)?.[other];
        return typeof value !== 'number' || typeof limit !== 'number' || value <= limit;
      },
      defaultMessage: (args?: ValidationArguments) => `${args?.property} must not be greater than ${other}`,
    },
  });

/** Names of areas served, e.g. local government areas. */
const AreaNames = () =>
  applyDecorators(
    ApiProperty({ type: [String], maxItems: LIMITS.areas, example: ['Maiduguri', 'Jere'] }),
    IsArray(),
    ArrayMaxSize(LIMITS.areas),
    ArrayUnique(),
    IsString({ each: true }),
    Length(1, LIMITS.area, { each: true }),
  );

export class ServiceQueryDto {
  @ApiPropertyOptional({ enum: SERVICE_TYPES }) @IsOptional() @IsIn(SERVICE_TYPES) serviceType?: ServiceType;
  @ApiPropertyOptional({ description: 'Services serving this area (case-insensitive)' })
  @IsOptional()
  @IsString()
  @Length(1, LIMITS.area)
  area?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() agencyId?: string;
}

export class AgencyProfileDto {
  @ApiProperty({ maxLength: LIMITS.description }) @IsString() @MaxLength(LIMITS.description) description!: string;
  @ApiProperty({ enum: SUBCOMMITTEES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(SUBCOMMITTEES, { each: true })
  subcommittees!: Subcommittee[];
  @AreaNames() areasServed!: string[];
}

export class EligibilityDto {
  @ApiPropertyOptional({ enum: ELIGIBLE_SEXES, isArray: true, description: 'The sexes accepted; empty or absent: any' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(ELIGIBLE_SEXES, { each: true })
  sexes?: EligibleSex[];
  @ApiPropertyOptional({ minimum: 0, maximum: LIMITS.age })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(LIMITS.age)
  @NoGreaterThan('maximumAge')
  minimumAge?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: LIMITS.age }) @IsOptional() @IsInt() @Min(0) @Max(LIMITS.age) maximumAge?: number;
  @ApiProperty() @IsBoolean() childrenAccepted!: boolean;
  @ApiPropertyOptional({ type: [String], example: ['ha', 'kr', 'en'], description: 'ISO 639 codes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.languages)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(LANGUAGE_CODE, { each: true, message: 'languages are ISO 639 codes such as ha or kau' })
  languages?: string[];
}

export class CapacityDto {
  @ApiProperty({ minimum: 0, maximum: LIMITS.capacity }) @IsInt() @Min(0) @Max(LIMITS.capacity) total!: number;
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(LIMITS.capacity) @NoGreaterThan('total') available!: number;
}

export class LocationDto {
  @ApiProperty({ example: 'Main site', description: 'Unique within the agency: a location of this name is updated, not doubled' })
  @IsString()
  @Length(1, LIMITS.name)
  name!: string;
  @ApiProperty({ example: 'Maiduguri' }) @IsString() @Length(1, LIMITS.area) locality!: string;
  @ApiProperty({ example: 'Borno' }) @IsString() @Length(1, LIMITS.area) region!: string;
  @ApiProperty({ example: 'NG', description: 'ISO 3166-1 alpha-2' })
  @IsString()
  @Matches(COUNTRY_CODE, { message: 'country is an ISO 3166-1 alpha-2 code such as NG' })
  country!: string;
}

export class ServiceDto {
  @ApiProperty() @IsString() @Length(1, LIMITS.name) name!: string;
  @ApiProperty({ enum: SERVICE_TYPES }) @IsIn(SERVICE_TYPES) serviceType!: ServiceType;
  @ApiPropertyOptional({ maxLength: LIMITS.description }) @IsOptional() @IsString() @MaxLength(LIMITS.description) description?: string;
  @ApiProperty({ enum: SERVICE_STATUSES }) @IsIn(SERVICE_STATUSES) status!: ServiceStatus;
  @AreaNames() areas!: string[];
  @ApiProperty({ type: EligibilityDto }) @IsObject() @ValidateNested() @Type(() => EligibilityDto) eligibility!: EligibilityDto;
  @ApiPropertyOptional({ type: CapacityDto, description: 'Where capacity matters (e.g. shelter beds)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CapacityDto)
  capacity?: CapacityDto;
  @ApiPropertyOptional({ type: [LocationDto], description: 'Where the service is offered; replaces the previous list' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.locations)
  @IsObject({ each: true })
  @ArrayUnique((l: LocationDto | null) => l?.name, { message: 'locations must have distinct names' })
  @ValidateNested({ each: true })
  @Type(() => LocationDto)
  locations?: LocationDto[];
}

export class CreateServiceDto extends ServiceDto {
  @ApiPropertyOptional({ format: 'uuid', description: "The agency offering it; default: the caller's" })
  @IsOptional()
  @IsUUID()
  agencyId?: string;
}

export class CapacityUpdateDto {
  @ApiProperty({ minimum: 0, description: 'Places free now, at most the total' })
  @IsInt()
  @Min(0)
  @Max(LIMITS.capacity)
  @NoGreaterThan('total')
  available!: number;
  @ApiPropertyOptional({ minimum: 0, maximum: LIMITS.capacity, description: 'Default: the total on record' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(LIMITS.capacity)
  total?: number;
}

/** Whom a coordinator makes a member: the agency's kind, on which consent given to a kind of agency depends. */
export class MembershipDto {
  @ApiProperty({ enum: AGENCY_KINDS }) @IsIn(AGENCY_KINDS) kind!: AgencyKind;
}

/** Paging and search of the HSDS 3.0 API read endpoints, as the HSDS OpenAPI names them. */
export class HsdsPageQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  per_page?: number;
  @ApiPropertyOptional({ description: 'Records whose name or description contains this text (any case)' })
  @IsOptional()
  @IsString()
  @Length(1, LIMITS.name)
  search?: string;
}
