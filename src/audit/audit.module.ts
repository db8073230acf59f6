import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { ACCESS_LOG_SCHEMA, AccessLog } from './access-log.js';
import { AuditController } from './audit.controller.js';
import { AUDIT_CHAIN_SCHEMA } from './audit-chain.js';
import { AuditHeadPublisher } from './head-publisher.js';
import { Clock } from '../platform/clock.js';

@Global()
@Module({ controllers: [AuditController], providers: [AccessLog, AuditHeadPublisher, Clock], exports: [AccessLog] })
export class AuditModule implements OnModuleInit {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  async onModuleInit(): Promise<void> {
    await this.db.exec(ACCESS_LOG_SCHEMA + AUDIT_CHAIN_SCHEMA);
  }
}
