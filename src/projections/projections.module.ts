import { Global, Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/index.js';
import { ProjectionRunner } from '../../libs/projections/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { DATABASE_ROLES } from '../platform/database-roles.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { READ_MODELS, READ_MODELS_RUNNER } from '../read-models.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/** The read models kept from the event stream: run in-process unless PROJECTOR=external. */
@Global()
@Module({
  providers: [
    {
      provide: ProjectionRunner,
      inject: [SQL_DATABASE, EVENT_STORE],
      // Each batch as the projector's role: the app's own role may not write the per-agency tables.
      useFactory: (db: SqlDatabase, store: EventStore) =>
        new ProjectionRunner(READ_MODELS_RUNNER, db, store, READ_MODELS, { role: DATABASE_ROLES.projector }),
    },
  ],
  exports: [ProjectionRunner],
})
export class ProjectionsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private readonly stop = new AbortController();
  private running?: Promise<void>;
  private unwatch?: () => Promise<void>;

  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Writes wait for the read models to include them: learn of batches other processes commit.
    this.unwatch = await this.runner.watch();
    if (this.config.projector === 'external') return; // `npm run projector` keeps the read models

    // The service listens while the read models catch up: /health/ready says how far they are.
    this.running = this.follow().catch((error: unknown) => {
      // A failed batch is rolled back and stops the runner; /health reports it and a restart resumes.
      this.logger.error(`Projection runner stopped: ${error instanceof Error ? error.name : 'unknown error'}`);
    });
  }

  private async follow(): Promise<void> {
    const applied = await this.runner.catchUp(undefined, this.stop.signal);
    if (applied > 0) this.logger.log(`Caught up ${applied} events`);
    await this.runner.run(this.stop.signal);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.running;
    await this.unwatch?.();
  }
}
