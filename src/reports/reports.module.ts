import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { ReportsController } from './reports.controller.js';
import { ReportsService } from './reports.service.js';

/** The network coordinator's reports; the service directory comes from the global DirectoryModule. */
@Module({ imports: [IdentityModule], controllers: [ReportsController], providers: [ReportsService] })
export class ReportsModule {}
