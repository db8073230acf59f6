import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { TYPEORM_DATA_SOURCE } from '../platform/persistence.module.js';
import { Allow } from './access.decorators.js';
import { AgencyEntity } from './directory.entities.js';

@ApiTags('directory')
@ApiBearerAuth()
@Controller('directory')
export class DirectoryController {
  constructor(@Inject(TYPEORM_DATA_SOURCE) private readonly dataSource: DataSource) {}

  @Get('agencies')
  @Allow('directory.read')
  @ApiOperation({ summary: 'Member agencies of the network: id, name, kind' })
  async agencies() {
    const agencies = await this.dataSource.getRepository(AgencyEntity).find({ where: { active: true }, order: { name: 'ASC' } });
    return agencies.map(({ id, name, kind }) => ({ id, name, kind }));
  }
}
