import { Module } from '@nestjs/common';
import { ProjectionsModule } from './projections.module.js';
import { Clock } from '../platform/clock.js';
import { ReferralsController } from './referrals.controller.js';

@Module({ imports: [ProjectionsModule], controllers: [ReferralsController], providers: [Clock] })
export class ReferralsModule {}
