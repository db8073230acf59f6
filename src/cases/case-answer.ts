import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { type Observable, map } from 'rxjs';
import type { CaseEvent } from '../../libs/domain/index.js';
import type { CommandOutcome } from './case-commands.service.js';

/**
 * What a case route answers, with what its headers say: the case's revision (ETag, for the next
 * If-Match), whether an Idempotency-Key replayed an earlier write, where a new case lives.
 * Handlers return one; CaseAnswerInterceptor turns it into headers and a body.
 */
export class CaseAnswer {
  private constructor(
    readonly body: Record<string, unknown>,
    readonly revision: number | undefined,
    readonly replayed: boolean,
    readonly location: string | undefined,
  ) {}

  /** A write's answer: the body and the case's new revision. */
  static written(outcome: CommandOutcome, body: Record<string, unknown>, location?: string): CaseAnswer {
    return new CaseAnswer({ ...body, revision: outcome.revision }, outcome.revision, outcome.replayed, location);
  }

  /** A read's answer: only a view that carries a revision (the owner's) gets an ETag. */
  static read(view: Record<string, unknown> & { revision?: number }): CaseAnswer {
    return new CaseAnswer(view, view.revision, false, undefined);
  }
}

@Injectable()
export class CaseAnswerInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((value: unknown) => {
        if (!(value instanceof CaseAnswer)) return value;
        const response = context.switchToHttp().getResponse<Response>();
        if (value.revision !== undefined) response.setHeader('ETag', `"${value.revision}"`);
        if (value.replayed) response.setHeader('Idempotent-Replayed', 'true');
        if (value.location !== undefined) response.setHeader('Location', value.location);
        return value.body;
      }),
    );
  }
}

/** The referrals a command withdrew on the way (consent withdrawn, case closed, a safety flag raised). */
export const withdrawnReferrals = (events: readonly CaseEvent[]) =>
  events.flatMap((e) => (e.type === 'ReferralWithdrawn' ? [e.data.referralId] : []));
