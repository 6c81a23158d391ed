/**
 * Browser-facing protections, registered once from app.ts:
 * - security headers (@fastify/helmet): a Content-Security-Policy the built web app works with,
 *   frame-ancestors 'none' / X-Frame-Options DENY, nosniff, Referrer-Policy, and HSTS only when the
 *   session cookie is Secure (the deployment is served over https);
 * - a same-origin check on state-changing API requests (see `originVerdict`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import { AppError } from '@choucha/core';

/** The trusted-device cookie (see services/auth.ts, login throttling). */
export const DEVICE_COOKIE = 'choucha_device';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The Content-Security-Policy. The built app (apps/web/dist) loads only its own module scripts;
 * styles need 'unsafe-inline' because index.html has a <style> block and antd writes its
 * CSS-in-JS into <style> elements at run time. Scripts stay 'self' only.
 */
export function cspDirectives(secure: boolean): Record<string, string[]> {
  const d: Record<string, string[]> = {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'worker-src': ["'self'", 'blob:'],
  };
  if (secure) d['upgrade-insecure-requests'] = [];
  return d;
}

/**
 * Which state-changing requests are accepted (CSRF defence in depth beside the SameSite=Strict
 * session cookie):
 * 1. `Sec-Fetch-Site` present (every current browser sends it): only `same-origin` or `none`;
 * 2. otherwise an `Origin` header, when present, must name this host (`Host`, or the
 *    X-Forwarded-Host of a trusted proxy); `Origin: null` is refused;
 * 3. neither header: not a browser (the CLI, curl, scripts) — accepted; such clients carry no
 *    ambient cookies from a user's browser, so there is nothing to forge.
 */
export function originVerdict(
  req: Pick<FastifyRequest, 'method' | 'url' | 'headers' | 'host'>,
): string | null {
  if (!STATE_CHANGING.has(req.method) || !req.url.startsWith('/api/')) return null;
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') {
    return site === 'same-origin' || site === 'none' ? null : `Sec-Fetch-Site: ${site}`;
  }
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return `Origin: ${origin.slice(0, 100)}`;
  }
  return host !== '' && host.toLowerCase() === req.host.toLowerCase()
    ? null
    : `Origin: ${origin.slice(0, 100)}`;
}

export async function registerSecurity(app: FastifyInstance, opts: { cookieSecure: boolean }): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(opts.cookieSecure) },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    // HSTS only where the deployment is https (the Secure cookie says so); never on plain http.
    strictTransportSecurity: opts.cookieSecure
      ? { maxAge: 180 * 24 * 3600, includeSubDomains: false }
      : false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', async (req) => {
    const reason = originVerdict(req);
    if (reason !== null) {
      throw new AppError('ORIGIN_REJECTED', `Cross-site request refused (${reason})`, { reason });
    }
  });
}
