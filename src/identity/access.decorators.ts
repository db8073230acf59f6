import { SetMetadata } from '@nestjs/common';
import type { Action } from './roles.js';

export const PUBLIC_ROUTE = 'identity:public';
export const ROUTE_ACTION = 'identity:action';

/** Opens a route to callers who are not signed in (health, sign-in, API docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The action of the permission table a route performs; roles not listed for it get 403. */
export const Allow = (action: Action) => SetMetadata(ROUTE_ACTION, action);
