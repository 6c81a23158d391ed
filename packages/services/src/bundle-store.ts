/**
 * A draw's public verification bundle, encoded once (JSON, gzip, SHA-256) and stored in draw_bundles.
 * v1: by the reveal itself, or for a draw revealed before the table existed on the first download
 * (public.ts), then replaced only by an escalation. v2 (draw-protocol-v2 §11): from the commitment on
 * (stage 'committed'), replaced at the reveal (matched / infeasible), at an escalation and when the
 * draw is superseded (supersededBy). The full (supervisor's) bundle is never stored here.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import type { BundleV2, DrawBundle } from '@choucha/core';
import { drawBundles, type Database, type Tx } from '@choucha/db';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

export interface StoredBundle {
  /** hex SHA-256 of the JSON bytes (the ETag) */
  readonly sha256: string;
  /** bytes of the JSON */
  readonly size: number;
  readonly gzip: Buffer;
}

/** The bytes served: exactly what `JSON.stringify` of the bundle gives (as before it was stored). */
export async function encodeBundle(bundle: DrawBundle | BundleV2): Promise<StoredBundle> {
  const json = Buffer.from(JSON.stringify(bundle), 'utf8');
  // zlib runs on the thread pool: the event loop is free meanwhile
  const packed = await gzip(json, { level: 6 });
  return { sha256: createHash('sha256').update(json).digest('hex'), size: json.length, gzip: packed };
}

/** Store a bundle once; a second writer (a concurrent first download) changes nothing. */
export async function insertBundle(
  db: Tx | Database['db'],
  drawId: number,
  b: StoredBundle,
  now: Date,
): Promise<void> {
  await db
    .insert(drawBundles)
    .values({ drawId, sha256: b.sha256, size: b.size, gzip: b.gzip, createdAt: now })
    .onConflictDoNothing({ target: drawBundles.drawId });
}

/** Store a bundle, replacing the stored one (a v2 draw's next stage, an escalation, a supersession). */
export async function storeBundle(
  db: Tx | Database['db'],
  drawId: number,
  b: StoredBundle,
  now: Date,
): Promise<void> {
  await db
    .insert(drawBundles)
    .values({ drawId, sha256: b.sha256, size: b.size, gzip: b.gzip, createdAt: now })
    .onConflictDoUpdate({
      target: drawBundles.drawId,
      set: { sha256: b.sha256, size: b.size, gzip: b.gzip, createdAt: now },
    });
}

/** The JSON text of an encoded bundle. */
export async function bundleText(b: StoredBundle): Promise<string> {
  return (await gunzip(b.gzip)).toString('utf8');
}

export async function readBundle(db: Tx | Database['db'], drawId: number): Promise<StoredBundle | null> {
  const [row] = await db
    .select({ sha256: drawBundles.sha256, size: drawBundles.size, gzip: drawBundles.gzip })
    .from(drawBundles)
    .where(eq(drawBundles.drawId, drawId));
  return row ?? null;
}

/** Whether a bundle is stored (without reading its bytes). */
export async function hasBundle(db: Tx | Database['db'], drawId: number): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(drawBundles)
    .where(eq(drawBundles.drawId, drawId));
  return row !== undefined;
}
