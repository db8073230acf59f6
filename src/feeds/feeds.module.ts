import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CasesModule } from '../cases/cases.module.js';
import { FeedKeys, FeedKeysController } from './feed-keys.js';
import { FeedRelayHost } from './feed-relay.host.js';

/** Per-agency Kafka feeds: the admin route for the feed key, and the relay when it runs in the service (FEED_RELAY=in-process). */
@Module({ imports: [CasesModule, AuditModule], controllers: [FeedKeysController], providers: [FeedKeys, FeedRelayHost] })
export class FeedsModule {}
