import { Controller, Get, Inject, Module, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  type HealthIndicatorResult,
  TerminusModule,
} from '@nestjs/terminus';
import { ProjectionRunner } from '../../libs/projections/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Public } from '../identity/access.decorators.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { KindOfProblem } from '../platform/problem-catalogue.js';

/** Terminus's answer: each check up, by name (none for liveness). */
const CHECKS = {
  schema: {
    type: 'object' as const,
    required: ['status'],
    properties: {
      status: { type: 'string' as const, enum: ['ok'] },
      info: { type: 'object' as const, additionalProperties: true },
      error: { type: 'object' as const, additionalProperties: true },
      details: { type: 'object' as const, additionalProperties: true },
    },
  },
};

/**
 * Liveness and readiness apart, so an orchestrator restarts the process only when it is stuck
 * (liveness) and stops sending it requests while the database or the read models are not there
 * (readiness). Public, so each check says up or down and, when down, why; figures are on /metrics.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly runner: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('live')
  @HealthCheck()
  @ApiOkResponse(CHECKS)
  @ApiOperation({ summary: 'Liveness: the process answers, whatever the database or the projector do. Restart it only when this fails.' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Public()
  @Get(['ready', ''])
  @HealthCheck()
  @ApiOkResponse(CHECKS)
  @ApiOperation({
    summary: 'Readiness (also at /health): the database answers and the read models are caught up and following; 503 names what failed',
  })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.database(), () => this.readModels()]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // Terminus's body is its own shape; the answer stays problem details, naming each failed check.
      const result = error.getResponse() as HealthCheckResult;
      const failed = Object.values(result.error ?? {}).map((check) => String(check?.message));
      throw new KindOfProblem('service-unavailable', failed.join('; '), { checks: result.details });
    }
  }

  private async database(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('database');
    try {
      await this.db.query('SELECT 1');
      return check.up();
    } catch {
      return check.down('the database does not answer');
    }
  }

  private async readModels(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('read_models');
    const projections = this.runner.current();
    if (projections.state === 'failed') return check.down('the projection runner stopped; restart the service to resume');
    let lag: Awaited<ReturnType<ProjectionRunner['lag']>>;
    try {
      lag = await this.runner.lag();
    } catch {
      return check.down('the read models cannot be checked: the database does not answer');
    }
    if (this.config.projector === 'in-process' && (projections.state === 'catching_up' || projections.state === 'idle')) {
      // A share, not counts: activity figures are on /metrics.
      const done = projections.eventsApplied / Math.max(1, projections.eventsApplied + lag.events);
      return check.down(`the read models are catching up: ${Math.floor(done * 100)}% applied`);
    }
    // An external projector, or a follower held up, is seen through its checkpoint: events waiting too long mean it stalled.
    if (lag.events > 0 && lag.seconds > this.config.readinessMaxLagSeconds)
      return check.down(`the read models are ${Math.round(lag.seconds)} s behind: the projector has stalled or stopped`);
    return check.up();
  }
}

@Module({
  // Terminus's own logger would print outside the structured log; a failed check is in the answer and the request log.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
})
export class HealthModule {}
