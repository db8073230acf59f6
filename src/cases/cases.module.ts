import { Module } from '@nestjs/common';
import { Clock } from '../platform/clock.js';
import { CaseCommandService } from './case-commands.service.js';
import { CasesController } from './cases.controller.js';
import { CasesService } from './cases.service.js';

@Module({
  controllers: [CasesController],
  providers: [CaseCommandService, CasesService, Clock],
})
export class CasesModule {}
