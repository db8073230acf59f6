import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../identity/access.decorators.js';
import { CurrentPrincipal, type Principal } from '../identity/principal.js';
import {
  AgencyProfileDto,
  CapacityUpdateDto,
  CreateServiceDto,
  HsdsPageQueryDto,
  MembershipDto,
  ServiceDto,
  ServiceQueryDto,
} from './directory.dtos.js';
import {
  AGENCY,
  AGENCY_PROFILE,
  CAPACITY_SET,
  HSDS_DIRECTORY,
  HSDS_IMPORTED,
  HSDS_PAGE,
  SERVICE,
  SERVICES,
} from './directory-responses.js';
import { Directory } from './directory.js';
import { HsdsExchange } from './hsds-exchange.js';
import { AGENCY_KINDS } from '../../libs/consent-policy/index.js';
import { ApiProblems, list, oneOf, record, text } from '../platform/api-responses.js';

const uuid = new ParseUUIDPipe({ version: undefined });

/** The route taking a whole directory; app.factory.ts gives it a larger body limit than the rest. */
export const HSDS_IMPORT_ROUTE = '/directory/hsds/import';

@ApiTags('directory')
@Controller('directory')
export class DirectoryController {
  constructor(private readonly directory: Directory) {}

  @Get('agencies')
  @Allow('directory.read')
  @ApiOperation({ summary: 'Member agencies of the network: id, name, kind' })
  @ApiOkResponse({ schema: list(record({ id: text({ format: 'uuid' }), name: text(), kind: oneOf(AGENCY_KINDS) })) })
  @ApiProblems(401, 403)
  agencies() {
    return this.directory.agencies();
  }

  @Get('agencies/:agencyId')
  @Allow('directory.read')
  @ApiOperation({ summary: "A member agency's profile (subcommittees, areas served) and its services" })
  @ApiOkResponse({ schema: AGENCY })
  agency(@Param('agencyId', uuid) agencyId: string) {
    return this.directory.agency(agencyId);
  }

  @Put('agencies/:agencyId/profile')
  @Allow('directory.manage')
  @ApiOperation({ summary: "Replace a member agency's profile: description, task-force subcommittees, areas served" })
  @ApiOkResponse({ schema: AGENCY_PROFILE })
  saveProfile(@Param('agencyId', uuid) agencyId: string, @Body() body: AgencyProfileDto) {
    return this.directory.saveProfile(agencyId, body);
  }

  @Get('services')
  @Allow('directory.read')
  @ApiOperation({ summary: 'Services of any status, by type, agency and area served (case-insensitive)' })
  @ApiOkResponse({ schema: SERVICES })
  services(@Query() query: ServiceQueryDto) {
    return this.directory.services(query);
  }

  @Post('services')
  @Allow('service.maintain')
  @ApiOperation({ summary: 'Add a service: an agency admin to their own agency, a coordinator to any' })
  @ApiCreatedResponse({ schema: SERVICE })
  createService(@Body() body: CreateServiceDto, @CurrentPrincipal() principal: Principal) {
    return this.directory.createService(principal, body);
  }

  @Put('services/:serviceId')
  @Allow('service.maintain')
  @ApiOperation({ summary: "Replace a service: an agency admin their own agency's, a coordinator any" })
  @ApiOkResponse({ schema: SERVICE })
  updateService(@Param('serviceId', uuid) serviceId: string, @Body() body: ServiceDto, @CurrentPrincipal() principal: Principal) {
    return this.directory.updateService(principal, serviceId, body);
  }

  @Post('organizations/:organizationId/membership')
  @HttpCode(200)
  @Allow('directory.manage')
  @ApiOperation({
    summary:
      'Make a listed organization (imported without the network kind) a member agency of this kind, with its services and locations; add its users after',
  })
  @ApiOkResponse({ schema: AGENCY })
  makeMember(@Param('organizationId', uuid) organizationId: string, @Body() body: MembershipDto) {
    return this.directory.makeMember(organizationId, body.kind);
  }

  @Post('services/:serviceId/capacity')
  @HttpCode(200)
  @Allow('service.capacity')
  @ApiOperation({ summary: "Places free now (and in all) of one of your agency's services, e.g. a shelter that is full says 0" })
  @ApiOkResponse({ schema: CAPACITY_SET })
  setCapacity(@Param('serviceId', uuid) serviceId: string, @Body() body: CapacityUpdateDto, @CurrentPrincipal() principal: Principal) {
    return this.directory.setCapacity(principal, serviceId, body);
  }
}

@ApiTags('directory')
@Controller('directory/hsds')
export class HsdsController {
  constructor(private readonly exchange: HsdsExchange) {}

  @Get()
  @Allow('directory.read')
  @ApiOperation({
    summary:
      'The directory as Open Referral HSDS 3.0 JSON: organizations, services, locations, service_at_locations, taxonomies, taxonomy_terms',
  })
  @ApiOkResponse({ schema: HSDS_DIRECTORY })
  export() {
    return this.exchange.export();
  }

  @Get('services')
  @Allow('directory.read')
  @ApiOperation({ summary: 'HSDS 3.0 API: a page of services, each with its organization; ?search in name and description' })
  @ApiOkResponse({ schema: HSDS_PAGE })
  servicesPage(@Query() query: HsdsPageQueryDto) {
    return this.exchange.page('services', query);
  }

  @Get('organizations')
  @Allow('directory.read')
  @ApiOperation({ summary: 'HSDS 3.0 API: a page of organizations (member agencies and listed organizations); ?search' })
  @ApiOkResponse({ schema: HSDS_PAGE })
  organizationsPage(@Query() query: HsdsPageQueryDto) {
    return this.exchange.page('organizations', query);
  }

  @Get('service_at_locations')
  @Allow('directory.read')
  @ApiOperation({
    summary:
      'HSDS 3.0 API: a page of service_at_locations with their service and location (no street address of a confidential one); ?search',
  })
  @ApiOkResponse({ schema: HSDS_PAGE })
  serviceAtLocationsPage(@Query() query: HsdsPageQueryDto) {
    return this.exchange.page('service_at_locations', query);
  }

  @Post('import')
  @HttpCode(200)
  @Allow('directory.manage')
  @ApiBody({
    description:
      'HSDS 3.0 as publishers produce it: one object, a list, a paged list (contents), compiled nested records, the tabular form, or the bundle GET /directory/hsds writes',
    schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] },
  })
  @ApiOperation({
    summary:
      'Upsert HSDS 3.0 records by id, all or nothing: one invalid record and nothing is imported (422 listing each invalid record and field); the answer lists what was ignored and why',
  })
  @ApiOkResponse({ schema: HSDS_IMPORTED })
  import(@Body() body: unknown) {
    return this.exchange.import(body);
  }
}
