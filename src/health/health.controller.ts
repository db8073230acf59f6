import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectionRunner } from '../../libs/projections/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Public } from '../identity/access.decorators.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: ProjectionRunner,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and database reachability; no personal data, no secrets' })
  async health() {
    try {
      await this.db.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException('the database does not answer');
    }
    const projections = this.runner.current();
    if (projections.state === 'failed') throw new ServiceUnavailableException('the projection runner stopped; restart the service to resume');
    return { status: 'ok', mode: this.config.mode, database: this.db.driver, projections: { state: projections.state, eventsApplied: projections.eventsApplied } };
  }
}
