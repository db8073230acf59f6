import { Controller, Get, Headers, Inject, Injectable, Module, Res, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ProjectionRunner } from '../../libs/projections/index.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Public } from '../identity/access.decorators.js';
import { routeOf } from '../platform/logging.js';
import { ApiProblems } from '../platform/api-responses.js';

const RUNNER = { runner: 'read-models' };

/**
 * The service's Prometheus metrics, in a registry of its own (not prom-client's global one, which
 * two instances in one process would share): process and Node metrics, HTTP durations by method,
 * route pattern and status, and the projector's gauges, read from the runner when scraped.
 * Counts, ages and durations only: nothing from a request or an event.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent, by method, route pattern and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });

  constructor(runner: ProjectionRunner, @Inject(APP_CONFIG) config: AppConfig) {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    new Gauge({
      name: 'referrals_projection_lag_events',
      help: 'Events in the store not yet applied to the read models',
      labelNames: ['runner'],
      registers,
      async collect() {
        this.set(RUNNER, (await runner.lag()).events);
      },
    });
    new Gauge({
      name: 'referrals_projection_lag_seconds',
      help: 'Age of the oldest event not yet applied to the read models',
      labelNames: ['runner'],
      registers,
      async collect() {
        this.set(RUNNER, (await runner.lag()).seconds);
      },
    });
    new Counter({
      name: 'referrals_projection_events_applied_total',
      help: 'Events applied to the read models since the last rebuild',
      labelNames: ['runner'],
      registers,
      // Kept by the checkpoint, possibly by another process: reported as it stands there.
      async collect() {
        const { eventsApplied } = await runner.checkpoint();
        this.reset();
        this.inc(RUNNER, eventsApplied);
      },
    });
    new Gauge({
      name: 'referrals_projection_runner_up',
      help: '1 while the in-process runner follows the store (always 1 with an external projector)',
      labelNames: ['runner'],
      registers,
      collect() {
        this.set(RUNNER, config.projector === 'external' || runner.current().state === 'running' ? 1 : 0);
      },
    });
    // Embedded mode only: 0 says the latest commits may be lost to a power loss (EMBEDDED_FSYNC=false).
    if (config.mode === 'embedded')
      new Gauge({
        name: 'referrals_embedded_fsync',
        help: '1 while the embedded database flushes each commit to disk',
        labelNames: ['runner'],
        registers,
      }).set(RUNNER, config.embeddedFsync ? 1 : 0);
  }

  /** Times every request, those refused before a route (404, 413) included; express middleware, first in line. */
  readonly timing = (request: Request, response: Response, next: NextFunction): void => {
    const stop = this.durations.startTimer();
    response.on('finish', () => stop({ method: request.method, route: routeOf(request), status_code: response.statusCode }));
    next();
  };
}

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics: HTTP durations, process and Node, projection lag (Bearer METRICS_TOKEN when configured)',
  })
  @ApiOkResponse({ content: { 'text/plain': { schema: { type: 'string', description: 'Prometheus text exposition format 0.0.4' } } } })
  @ApiProblems(401)
  async scrape(@Res({ passthrough: true }) response: Response, @Headers('authorization') authorization?: string): Promise<string> {
    const token = this.config.metricsToken;
    if (token && !sameSecret(authorization ?? '', `Bearer ${token}`)) throw new UnauthorizedException('metrics need the metrics token');
    response.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}

/** Compares in constant time whatever the lengths. */
const sameSecret = (given: string, expected: string) =>
  timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());

@Module({ controllers: [MetricsController], providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
