import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller.js';
import { ReportsService } from './reports.service.js';

/** The network coordinator's reports; the service directory comes from the global DirectoryModule. */
@Module({ controllers: [ReportsController], providers: [ReportsService] })
export class ReportsModule {}
