import { Global, Module } from '@nestjs/common';
import { AccessLog } from './access-log.js';
import { AuditController } from './audit.controller.js';

@Global()
@Module({ controllers: [AuditController], providers: [AccessLog], exports: [AccessLog] })
export class AuditModule {}
