import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { AppError } from '@choucha/core';
import {
  ANONYMOUS,
  toActor,
  userForSession,
  type Actor,
  type Services,
  type SessionUser,
} from '@choucha/services';
import type { Config } from './config.ts';
import { errorHandler, frameworkErrors, notFound } from './errors.ts';
import { registerInputGuard } from './input-guard.ts';
import { registerRateLimits } from './routes/bundles.ts';
import { registerRoutes } from './routes/index.ts';
import { registerSecurity } from './security.ts';
import { registerUploadLimit } from './upload-limit.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    sessionUser: SessionUser | undefined;
    sessionToken: string | undefined;
  }
}

export const SESSION_COOKIE = 'choucha_session';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_WEB_DIST = path.resolve(here, '../../web/dist');

export interface AppOptions {
  services: Services;
  config: Pick<Config, 'cookieSecure' | 'uploadLimitBytes' | 'webDist' | 'logLevel'> &
    Partial<Pick<Config, 'trustProxy'>>;
  logger?: boolean;
  /** Where log lines go (default stdout); startServer passes the rotated file of logging.ts. */
  logStream?: { write(line: string): void };
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : { level: opts.config.logLevel, ...(opts.logStream ? { stream: opts.logStream } : {}) },
    genReqId: () => `req-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    // Only configured proxies may set X-Forwarded-For (CHOUCHA_TRUST_PROXY, default none).
    trustProxy: opts.config.trustProxy ?? false,
    bodyLimit: 2 * 1024 * 1024,
    // Fastify ignores the handler's return value; the reply is sent inside it.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(cookie);
  await registerSecurity(app, { cookieSecure: opts.config.cookieSecure });
  await app.register(multipart, { limits: { fileSize: opts.config.uploadLimitBytes, files: 1 } });
  registerUploadLimit(app, opts.services, opts.config.uploadLimitBytes);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'choucha API',
        description: '双随机、一公开 supervision platform. Errors: see docs/errors.md.',
        version: '0.1.0',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await registerRateLimits(app); // per-route limits of the anonymous heavy routes (routes/bundles.ts)

  app.decorateRequest('actor', null as never);
  app.decorateRequest('sessionUser', undefined);
  app.decorateRequest('sessionToken', undefined);
  app.addHook('onRequest', async (req) => {
    req.actor = ANONYMOUS;
    if (!req.url.startsWith('/api/')) return;
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const user = await userForSession(opts.services, token);
    if (!user) return;
    req.sessionUser = user;
    req.sessionToken = token;
    req.actor = toActor(user);
    // A user with an initial or reset password may only change it (or log out).
    if (user.mustChangePassword && !req.url.startsWith('/api/auth/') && !req.url.startsWith('/api/public/')) {
      throw new AppError('AUTH_PASSWORD_CHANGE_REQUIRED');
    }
  });

  registerInputGuard(app); // no NUL, no lone surrogate in params, query, body, stored headers
  await app.register(async (api) => registerRoutes(api.withTypeProvider<ZodTypeProvider>(), opts), {
    prefix: '/api',
  });

  const dist = opts.config.webDist ?? DEFAULT_WEB_DIST;
  if (fs.existsSync(path.join(dist, 'index.html'))) {
    await app.register(fastifyStatic, { root: dist, wildcard: true, index: ['index.html'] });
    // SPA fallback: any non-API GET that is not a file serves the app.
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/')) return reply.sendFile('index.html');
      return notFound(req, reply);
    });
  } else {
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/')) {
        return reply
          .type('text/plain; charset=utf-8')
          .send('The web app is not built. Run `npm run build:web` (npm start does this).');
      }
      return notFound(req, reply);
    });
  }
  return app;
}
