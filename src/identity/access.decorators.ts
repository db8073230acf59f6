import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { PUBLIC_OPERATION } from '../platform/openapi-problems.js';
import type { Action } from './roles.js';

export const PUBLIC_ROUTE = 'identity:public';
export const ROUTE_ACTION = 'identity:action';

/** Opens a route to callers who are not signed in (health, sign-in, API docs); the OpenAPI document says so too. */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension(PUBLIC_OPERATION, true));

/** The action of the permission table a route performs; roles not listed for it get 403. */
export const Allow = (action: Action) => SetMetadata(ROUTE_ACTION, action);
