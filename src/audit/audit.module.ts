import { Global, Module } from '@nestjs/common';
import { AccessLog } from './access-log.js';
import { AuditController } from './audit.controller.js';
import { AuditHeadPublisher } from './head-publisher.js';

@Global()
@Module({ controllers: [AuditController], providers: [AccessLog, AuditHeadPublisher], exports: [AccessLog] })
export class AuditModule {}
