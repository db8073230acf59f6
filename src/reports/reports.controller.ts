import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { Allow } from '../identity/access.decorators.js';
import { IsCalendarDate } from '../platform/date-validation.js';
import type { PeriodQuery } from './report-period.js';
import { DECLINE_REPORT, OVERDUE_REPORT, REFERRAL_REPORT, SERVICE_MAP } from './report-responses.js';
import { ReportsService } from './reports.service.js';

export class ReportPeriodDto implements PeriodQuery {
  @ApiPropertyOptional({
    example: '2026-01-01',
    description:
      'First day (UTC) of the referrals requested, included; default 89 days before `to`. A period is 7 to 3660 days within the years 2000 to 2100',
  })
  @IsOptional()
  @IsCalendarDate()
  from?: string;
  @ApiPropertyOptional({ example: '2026-03-31', description: 'Last day (UTC), included; default today' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

/** The network coordinator's reports: anonymous statistics and the directory, never a case or a person. */
@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('service-map')
  @Allow('report.read')
  @ApiOperation({
    summary: 'Who does what where: per area and service type, the agencies offering an active service, and capacity where known',
  })
  @ApiOkResponse({ schema: SERVICE_MAP })
  serviceMap() {
    return this.reports.serviceMap();
  }

  @Get('referrals')
  @Allow('report.read')
  @ApiOperation({ summary: 'Referral volumes, outcomes and response times (hours) per service type and area; small counts suppressed' })
  @ApiOkResponse({ schema: REFERRAL_REPORT })
  referrals(@Query() query: ReportPeriodDto) {
    return this.reports.referrals(query);
  }

  @Get('declines')
  @Allow('report.read')
  @ApiOperation({
    summary: 'Declined referrals in all, by reason, by service type, and by service type and reason; small counts suppressed',
  })
  @ApiOkResponse({ schema: DECLINE_REPORT })
  declines(@Query() query: ReportPeriodDto) {
    return this.reports.declines(query);
  }

  @Get('overdue-referrals')
  @Allow('report.read')
  @ApiOperation({
    summary:
      'Per receiving agency and service type, how many referrals wait for an answer past their deadline (not those on hold) and the most days overdue; no referral',
  })
  @ApiOkResponse({ schema: OVERDUE_REPORT })
  overdueReferrals() {
    return this.reports.overdueReferrals();
  }
}
