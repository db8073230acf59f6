import 'reflect-metadata';
import { BadRequestException, type INestApplication, type LoggerService, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { type NextFunction, type Request, type RequestHandler, type Response, json } from 'express';
import passport from 'passport';
import helmet from 'helmet';
import { mkdir } from 'node:fs/promises';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module.js';
import type { SqlDatabase } from '../libs/sql/index.js';
import type { AppConfig } from './config/app-config.js';
import { HSDS_IMPORT_ROUTE } from './directory/directory.controller.js';
import { CREDENTIAL_STRATEGIES } from './identity/access.guard.js';
import type { Principal } from './identity/principal.js';
import { mayPerform } from './identity/roles.js';
import { ProblemDetailsFilter } from './platform/problem-details.filter.js';
import { StructuredLogger, createLog, requestLogging } from './platform/logging.js';
import { Metrics } from './health/metrics.js';
import { describeSuccessHeaders } from './platform/openapi-headers.js';
import { describeProblems } from './platform/openapi-problems.js';
import { BodyShapeInterceptor, validationMessages } from './platform/body-shape.js';
import { serveWebApp } from './platform/web-app.js';

/**
 * Builds the whole application; main.ts listens on it, the end-to-end tests drive it over HTTP.
 * `logDestination`: where the structured log goes (stdout by default); given, requests are logged
 * there whatever LOG_FORMAT says, so a test can read every line.
 */
export async function createApp(
  config: AppConfig,
  options: { logger?: LoggerService | false; logDestination?: DestinationStream; connecting?: Promise<SqlDatabase> } = {},
): Promise<INestApplication> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  // LOG_FORMAT=text keeps Nest's console lines for a developer and logs no requests.
  const log = config.logFormat === 'json' || options.logDestination ? createLog(options.logDestination) : undefined;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options.connecting), {
    logger: options.logger ?? (config.logFormat === 'json' ? new StructuredLogger(log!) : ['log', 'warn', 'error']),
    bodyParser: false,
  });
  // The client's address (rate limits) from X-Forwarded-For only as far as TRUST_PROXY trusts the proxies.
  app.set('trust proxy', config.trustProxy);
  // First in line, so every answer, a refused body's included, carries a request id and is timed.
  app.use(requestLogging(log));
  app.use(app.get(Metrics).timing);
  // Bodies are small JSON documents; anything larger is refused before it is parsed. An HSDS import
  // carries a whole directory: that route alone takes up to 2 MB (the global parser skips a parsed
  // body), and only from a caller who may import, so nobody else gets a large body parsed.
  const directoryImport = json({ limit: '2mb' });
  app.use(HSDS_IMPORT_ROUTE, (request: Request, response: Response, next: NextFunction) => {
    const authenticate = passport.authenticate(
      [...CREDENTIAL_STRATEGIES],
      { session: false },
      (_error: unknown, principal: Principal | false) =>
        principal && mayPerform(principal.role, 'directory.manage') ? directoryImport(request, response, next) : next(),
    ) as RequestHandler;
    authenticate(request, response, next);
  });
  app.useBodyParser('json', { limit: '64kb' });
  app.disable('x-powered-by');
  // Security headers; the API serves JSON, and /api/docs needs only its own scripts and styles.
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
      },
    }),
  );
  if (config.corsOrigins.length > 0)
    app.enableCors({
      origin: [...config.corsOrigins],
      credentials: false,
      exposedHeaders: ['ETag', 'Location', 'Retry-After', 'RateLimit', 'RateLimit-Policy', 'X-Request-Id'],
    });
  // ETags here are case revisions for If-Match; Express's own body-hash ETags would be mistaken for them.
  app.set('etag', false);
  app.useGlobalFilters(new ProblemDetailsFilter(config.publicUrl));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // The value a caller sent may be personal data: messages name the field and the rule only.
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new BadRequestException(validationMessages(errors)),
    }),
  );
  app.useGlobalInterceptors(new BodyShapeInterceptor());
  app.enableShutdownHooks();
  // Built at its first request, not at every start.
  SwaggerModule.setup('api/docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
  serveWebApp(app, config);
  await app.init();
  return app;
}

/** The service's OpenAPI document: served at /api/docs-json, and the source of the web application's typed client. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Referral coordination')
      .setDescription('Consent-gated referrals between agencies assisting trafficked persons')
      .setVersion('0.1.0')
      .addBearerAuth()
      .addSecurity('ApiKey', { type: 'http', scheme: 'ApiKey', description: "A partner system's API key: `Authorization: ApiKey rk_…`" })
      .addServer('/', 'This service, where the document is served from')
      .build(),
  );
  describeProblems(document);
  describeSuccessHeaders(document);
  return document;
}
