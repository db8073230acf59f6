import { Module } from '@nestjs/common';
import { ProjectionsModule } from './projections.module.js';
import { ReferralsController } from './referrals.controller.js';

@Module({ imports: [ProjectionsModule], controllers: [ReferralsController] })
export class ReferralsModule {}
