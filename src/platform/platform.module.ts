import { Global, Module } from '@nestjs/common';
import { Clock } from './clock.js';

/** What every feature module may inject without importing anything: the one clock. */
@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class PlatformModule {}
