import { Controller, ParseUUIDPipe, UseInterceptors, applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { CaseAnswerInterceptor } from './case-answer.js';

/** Every route under /cases: documented alike, and answering through CaseAnswer. */
export const CaseRoutes = () =>
  applyDecorators(
    ApiTags('cases'),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'A retried write with the same key returns the first result and appends nothing',
    }),
    ApiHeader({ name: 'If-Match', required: false, description: 'The case ETag last read; a stale one gets 412' }),
    Controller('cases'),
    UseInterceptors(CaseAnswerInterceptor),
  );

/** Any UUID version: ids derived from an Idempotency-Key are version 8. */
export const uuid = new ParseUUIDPipe({ version: undefined });
