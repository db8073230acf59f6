import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type Request, type Response } from 'express';
import helmet from 'helmet';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';

/**
 * The built screens (web/, built by `npm run build` into WEB_DIR) at `/`, same origin as the API.
 * The screens route by the URL's fragment (`/#/cases/…`), so the server serves only `/` and
 * `/assets/`, and no screen path can shadow an API path. Their policy allows the built assets and
 * calls to this origin (and the identity provider's, with OIDC) only: no inline script or style, no framing.
 */
export function serveWebApp(app: INestApplication, config: AppConfig): void {
  const index = join(config.webDir, 'index.html');
  if (!existsSync(index)) return;
  // The idle sign-out time is a deployment setting: written into the page, read by the screens.
  const page = readFileSync(index, 'utf8').replace(
    /<meta name="idle-sign-out-seconds" content="\d+"/,
    `<meta name="idle-sign-out-seconds" content="${config.webIdleSignOutSeconds}"`,
  );
  const policy = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'none'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        // The organisation's identity provider, where OIDC is configured: the screens read its discovery document and exchange the code there.
        'connect-src': ["'self'", ...(config.oidc ? [new URL(config.oidc.issuer).origin] : [])],
        'font-src': ["'self'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    // Nothing the screens show may linger in a shared device's HTTP cache or be sent on as a referrer.
    referrerPolicy: { policy: 'no-referrer' },
  });
  const server = app as NestExpressApplication;
  server.use('/assets', policy, express.static(join(config.webDir, 'assets'), { immutable: true, maxAge: '365d', index: false }));
  server.use('/', (request: Request, response: Response, next: () => void) => {
    if (request.method !== 'GET' || (request.path !== '/' && request.path !== '/index.html')) {
      next();
      return;
    }
    policy(request, response, () => {
      response.setHeader('Cache-Control', 'no-store');
      response.type('html').send(page);
    });
  });
}
