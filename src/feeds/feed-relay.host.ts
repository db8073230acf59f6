import { Inject, Injectable, Logger } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { AccessLog } from '../audit/access-log.js';
import { CaseSealing } from '../cases/case-sealing.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BackgroundWork } from '../platform/background-work.js';
import { Clock } from '../platform/clock.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { FeedRelay } from './feed-relay.js';
import { KafkaFeedPublisher } from './kafka-publisher.js';

/** How long the relay waits after a failure (broker away, topic unfit) before it starts again from its checkpoint. */
const RESTART_AFTER_MS = 5_000;

/**
 * FEED_RELAY=in-process: the service publishes the agencies' feeds itself, as `npm run relay` does
 * beside it otherwise. This is how an embedded deployment has feeds (its database belongs to this
 * process alone). A failure never stops the service: the relay starts again from its checkpoint.
 */
@Injectable()
export class FeedRelayHost extends BackgroundWork {
  private readonly logger = new Logger('FeedRelay');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly sealing: CaseSealing,
    private readonly accessLog: AccessLog,
    private readonly clock: Clock,
  ) {
    super();
  }

  protected wanted(): boolean {
    return this.config.feedRelay === 'in-process' && this.config.kafka !== undefined;
  }

  protected async work(signal: AbortSignal): Promise<void> {
    const publisher = new KafkaFeedPublisher(this.config.kafka!);
    const relay = new FeedRelay(this.db, this.store, this.sealing, this.accessLog, publisher, { now: () => this.clock.now() });
    while (!signal.aborted) {
      try {
        await publisher.connect();
        this.logger.log('publishing the agencies’ feeds');
        await relay.run(signal);
      } catch (error) {
        // The error's kind only: a broker or database message could quote data.
        this.logger.error(`the feed relay stopped (${error instanceof Error ? error.name : 'unknown error'}); starting again shortly`);
        await new Promise((resolve) => setTimeout(resolve, RESTART_AFTER_MS).unref());
      } finally {
        await publisher.disconnect().catch(() => undefined);
      }
    }
  }
}
