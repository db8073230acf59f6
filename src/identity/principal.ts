import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AgencyKind } from '../../libs/consent-policy/index.js';
import type { Actor } from '../../libs/domain/index.js';
import type { Action, Role } from './roles.js';

/** The signed-in caller, as established from a verified token and the directory. */
export interface Principal {
  readonly userId: string;
  readonly agencyId: string;
  readonly agencyKind: AgencyKind;
  readonly role: Role;
  /** A partner system's API key may be narrowed to some actions of its role (undefined: all of them). */
  readonly actions?: readonly Action[];
}

export const actorOf = ({ userId, agencyId, agencyKind }: Principal): Actor => ({ userId, agencyId, agencyKind });

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<{ user: Principal }>().user;
});
