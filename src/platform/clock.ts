import { Injectable } from '@nestjs/common';

/** The application's only clock: the domain receives time as an argument. */
@Injectable()
export class Clock {
  now(): string {
    return new Date().toISOString();
  }
}
