import { z } from 'zod';
import { AppError } from '@choucha/core';
import { ChangePasswordBody, ErrorBody, LoginBody, Me } from '@choucha/api';
import { changePassword, login, logout, SESSION_TTL_MS, TRUSTED_DEVICE_TTL_MS } from '@choucha/services';
import { SESSION_COOKIE, type AppOptions } from '../app.ts';
import { DEVICE_COOKIE } from '../security.ts';
import type { Api } from './index.ts';

const tags = ['identity'];

export async function authRoutes(api: Api, { services, config }: AppOptions) {
  api.post(
    '/auth/login',
    {
      schema: {
        tags,
        body: LoginBody,
        response: { 200: z.object({ user: Me }), 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (req, reply) => {
      const { token, user, deviceToken } = await login(services, {
        ...req.body,
        ip: req.ip,
        deviceToken: req.cookies[DEVICE_COOKIE],
      }).catch((e: unknown) => {
        const wait = e instanceof AppError ? e.details?.retryAfterSeconds : undefined;
        if (typeof wait === 'number') void reply.header('retry-after', String(wait));
        throw e;
      });
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: config.cookieSecure,
        path: '/',
        maxAge: Math.floor(SESSION_TTL_MS / 1000),
      });
      // Trusted-device cookie: exempts this browser from lockouts caused by failures elsewhere.
      reply.setCookie(DEVICE_COOKIE, deviceToken, {
        httpOnly: true,
        sameSite: 'strict',
        secure: config.cookieSecure,
        path: '/api/auth/login',
        maxAge: Math.floor(TRUSTED_DEVICE_TTL_MS / 1000),
      });
      return { user };
    },
  );
  api.post('/auth/logout', { schema: { tags } }, async (req, reply) => {
    if (req.sessionToken) await logout(services, req.actor, req.sessionToken);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });
  api.get(
    '/auth/me',
    { schema: { tags, response: { 200: z.object({ user: Me }), 401: ErrorBody } } },
    async (req) => {
      if (!req.sessionUser) throw new AppError('AUTH_REQUIRED');
      return { user: req.sessionUser };
    },
  );
  api.post('/auth/password', { schema: { tags, body: ChangePasswordBody } }, async (req, reply) => {
    await changePassword(services, req.actor, req.body);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });
}
