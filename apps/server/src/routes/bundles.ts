/**
 * Serving a draw's verification bundle, and the rate limits of the anonymous heavy routes.
 *
 * The bundle is stored once (services/bundle-store.ts) as gzip with the SHA-256 of its JSON; it
 * is sent as stored to a client that accepts gzip, gunzipped as a stream otherwise, with a strong
 * ETag (`"<sha256>"`, `"<sha256>-gzip"` for the gzip coding) and Cache-Control; a matching
 * If-None-Match gets 304. Anonymous clients are limited per IP (`req.ip`: see CHOUCHA_TRUST_PROXY);
 * logged-in staff are never limited here.
 *
 * The FULL bundle of a v2 draw (draw-protocol-v2 §11: the openings name every entity's stratum, the
 * private matching record the inspectors' calendar) is built on demand for the supervisor, the
 * joint office or the department (`sendFullBundle`): never stored by a cache (`private, no-store`),
 * no ETag, a file name of its own (`draw-<id>-full.json`).
 */
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { AppError } from '@choucha/core';
import type { StoredBundle } from '@choucha/services';

/** Per anonymous IP: bundle downloads (several MiB each). */
export const BUNDLE_RATE = { max: 12, timeWindow: 60_000 } as const;
/** Per anonymous IP: the other public routes that query the database at length. */
export const PUBLIC_RATE = { max: 240, timeWindow: 60_000 } as const;

/**
 * @fastify/rate-limit for the routes that ask for it (`config: { rateLimit: … }`), after the
 * session is resolved (preHandler), so that staff are recognised and let through.
 */
export async function registerRateLimits(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    allowList: (req) => req.actor?.kind === 'user',
    errorResponseBuilder: (_req, ctx) =>
      new AppError('RATE_LIMITED', `Too many requests from this address; retry in ${ctx.after}`, {
        limit: ctx.max,
        retryAfterSeconds: Math.ceil(ctx.ttl / 1000),
      }),
  });
}

function etagMatches(header: string | undefined, tags: readonly string[]): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => tags.includes(t));
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';');
    if (coding?.trim().toLowerCase() !== 'gzip' && coding?.trim() !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** Sends the gzip bytes as they are to a client that accepts gzip, gunzipped as a stream otherwise. */
function sendGzipJson(
  req: FastifyRequest,
  reply: FastifyReply,
  bundle: StoredBundle,
  fileName: string,
): FastifyReply {
  reply.header('content-type', 'application/json; charset=utf-8');
  reply.header('content-disposition', `attachment; filename="${fileName}"`);
  if (acceptsGzip(req.headers['accept-encoding'])) {
    reply.header('content-encoding', 'gzip');
    reply.header('content-length', bundle.gzip.length);
    return reply.send(bundle.gzip);
  }
  reply.header('content-length', bundle.size);
  return reply.send(Readable.from([bundle.gzip]).pipe(zlib.createGunzip()));
}

/** A draw's full bundle (the supervisor's): no cache may keep it, no validator to revalidate it. */
export function sendFullBundle(
  req: FastifyRequest,
  reply: FastifyReply,
  drawId: number,
  bundle: StoredBundle,
): FastifyReply {
  reply.header('vary', 'Accept-Encoding');
  reply.header('cache-control', 'private, no-store');
  return sendGzipJson(req, reply, bundle, `draw-${drawId}-full.json`);
}

export function sendBundle(
  req: FastifyRequest,
  reply: FastifyReply,
  drawId: number,
  bundle: StoredBundle,
  visibility: 'public' | 'private',
): FastifyReply {
  const identityTag = `"${bundle.sha256}"`;
  const gzipTag = `"${bundle.sha256}-gzip"`;
  const gzip = acceptsGzip(req.headers['accept-encoding']);
  reply.header('vary', 'Accept-Encoding');
  // not immutable: a v2 draw's public bundle is replaced at the reveal, an escalation and a redraw
  // (stage committed → matched, supersededBy), so a cache revalidates every time (mostly a 304)
  reply.header('cache-control', `${visibility}, no-cache`);
  reply.header('etag', gzip ? gzipTag : identityTag);
  if (etagMatches(req.headers['if-none-match'], [identityTag, gzipTag])) return reply.code(304).send();
  return sendGzipJson(req, reply, bundle, `draw-${drawId}.json`);
}
