import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { PUBLIC_ROUTE, ROUTE_ACTION } from './access.decorators.js';
import type { Principal } from './principal.js';
import { type Action, mayPerform } from './roles.js';

/** The passport strategies a credential is tried with: the service's own token, the identity provider's, a partner system's API key. */
export const CREDENTIAL_STRATEGIES = ['jwt', 'oidc', 'api-key'] as const;

/** Global: every route needs a valid credential unless marked @Public(). */
@Injectable()
export class TokenGuard extends AuthGuard([...CREDENTIAL_STRATEGIES]) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    return super.canActivate(context);
  }
}

/** Global, after TokenGuard: the caller's role must be listed for the route's action. */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const action = this.reflector.getAllAndOverride<Action | undefined>(ROUTE_ACTION, targets);
    const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (!action || !principal || !mayPerform(principal.role, action) || (principal.actions && !principal.actions.includes(action))) {
      throw new ForbiddenException(
        action ? `the role ${principal?.role ?? 'none'} may not ${action}` : 'this route is not open to any role',
      );
    }
    return true;
  }
}
