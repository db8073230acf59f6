import { Global, Module } from '@nestjs/common';
import { AccessLog } from './access-log.js';
import { AuditController } from './audit.controller.js';
import { AuditHeadPublisher } from './head-publisher.js';
import { Clock } from '../platform/clock.js';

@Global()
@Module({ controllers: [AuditController], providers: [AccessLog, AuditHeadPublisher, Clock], exports: [AccessLog] })
export class AuditModule {}
