import { Controller, Get, Header, Headers, Inject, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
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
    private readonly runner: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers. Restart it only when this fails.' })
  live() {
    return { status: 'ok' };
  }

  @Public()
  @Get(['ready', ''])
  @ApiOperation({ summary: 'Readiness (also at /health): the database answers and the read models are caught up and following' })
  async ready() {
    try {
      await this.db.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException('the database does not answer');
    }
    const projections = this.runner.current();
    if (projections.state === 'failed')
      throw new ServiceUnavailableException('the projection runner stopped; restart the service to resume');
    const lag = await this.runner.lag();
    const inProcess = this.config.projector === 'in-process';
    if (inProcess && (projections.state === 'catching_up' || projections.state === 'idle')) {
      // A share, not counts: activity figures are on /metrics.
      const done = projections.eventsApplied / Math.max(1, projections.eventsApplied + lag.events);
      throw new ServiceUnavailableException(`the read models are catching up: ${Math.floor(done * 100)}% applied`);
    }
    // An external projector, or a follower held up, is seen through its checkpoint: events waiting too long mean it stalled.
    if (lag.events > 0 && lag.seconds > this.config.readinessMaxLagSeconds) {
      throw new ServiceUnavailableException(
        `the read models are ${Math.round(lag.seconds)} s behind: the projector has stalled or stopped`,
      );
    }
    // Public, so it says no more than ok: deployment details and activity figures are on /metrics.
    return { status: 'ok' };
  }
}

/** Prometheus text exposition of the projection lag; counts and ages only, nothing from an event. */
@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics: projection lag in events and seconds (Bearer METRICS_TOKEN when configured)' })
  async metrics(@Headers('authorization') authorization?: string): Promise<string> {
    const token = this.config.metricsToken;
    if (token && !sameSecret(authorization ?? '', `Bearer ${token}`)) throw new UnauthorizedException('metrics need the metrics token');
    const lag = await this.runner.lag();
    const { eventsApplied } = await this.runner.checkpoint();
    const running = this.config.projector === 'external' || this.runner.current().state === 'running';
    return [
      metric('gauge', 'referrals_projection_lag_events', 'Events in the store not yet applied to the read models', lag.events),
      metric('gauge', 'referrals_projection_lag_seconds', 'Age of the oldest event not yet applied to the read models', lag.seconds),
      metric(
        'counter',
        'referrals_projection_events_applied_total',
        'Events applied to the read models since the last rebuild',
        eventsApplied,
      ),
      metric(
        'gauge',
        'referrals_projection_runner_up',
        '1 while the in-process runner follows the store (always 1 with an external projector)',
        running ? 1 : 0,
      ),
      // Embedded mode only: 0 says the latest commits may be lost to a power loss (EMBEDDED_FSYNC=false).
      ...(this.config.mode === 'embedded'
        ? [
            metric(
              'gauge',
              'referrals_embedded_fsync',
              '1 while the embedded database flushes each commit to disk',
              this.config.embeddedFsync ? 1 : 0,
            ),
          ]
        : []),
    ].join('');
  }
}

const metric = (type: 'gauge' | 'counter', name: string, help: string, value: number) =>
  `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name}{runner="read-models"} ${value}\n`;

/** Compares in constant time whatever the lengths. */
const sameSecret = (given: string, expected: string) =>
  timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
