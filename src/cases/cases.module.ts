import { Module } from '@nestjs/common';
import { Clock } from '../platform/clock.js';
import { CaseCommandService } from './case-commands.service.js';
import { CasesController } from './cases.controller.js';
import { CasesService } from './cases.service.js';
import { CaseViews } from './case-views.reader.js';

@Module({
  controllers: [CasesController],
  providers: [CaseCommandService, CasesService, CaseViews, Clock],
})
export class CasesModule {}
