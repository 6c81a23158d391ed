/**
 * What the public portal shows: published results and draws. Never the risk class, never an
 * unpublished result. Every query here selects its columns explicitly for that reason.
 */
import { asc, desc, eq } from 'drizzle-orm';
import { AppError } from '@choucha/core';
import { departments, draws, entities, targets, tasks } from '@choucha/db';
import { encodeBundle, insertBundle, readBundle, type StoredBundle } from './bundle-store.ts';
import { drawBundle } from './draws.ts';
import type { Services } from './context.ts';
import { publicTaskState, publicTaskStates } from './campaigns/public-draw-state.ts';

// published results: one row per target, with every department's result (campaigns/results/public-results.ts)
export { publicResults } from './campaigns/results/public-results.ts';

const publicDrawColumns = {
  id: draws.id,
  taskName: tasks.name,
  departmentName: departments.name,
  attempt: draws.attempt,
  status: draws.status,
  algorithmVersion: draws.algorithmVersion,
  commitment: draws.commitment,
  commitmentHash: draws.commitmentHash,
  committedAt: draws.committedAt,
  seedInputs: draws.seedInputs,
  seed: draws.seed,
  redrawReason: draws.redrawReason,
};

export async function publicDraws(svc: Services) {
  const rows = await svc.database.db
    .select(publicDrawColumns)
    .from(draws)
    .innerJoin(tasks, eq(tasks.id, draws.taskId))
    .innerJoin(departments, eq(departments.id, tasks.departmentId))
    .orderBy(desc(draws.id))
    .limit(500);
  const states = await publicTaskStates(
    svc,
    rows.map((r) => r.id),
  );
  return rows.map(({ commitment: _c, ...r }) => ({
    ...r,
    committedAt: r.committedAt.toISOString(),
    taskState: states.get(r.id),
  }));
}

export async function publicDraw(svc: Services, id: number) {
  const db = svc.database.db;
  const [row] = await db
    .select(publicDrawColumns)
    .from(draws)
    .innerJoin(tasks, eq(tasks.id, draws.taskId))
    .innerJoin(departments, eq(departments.id, tasks.departmentId))
    .where(eq(draws.id, id));
  if (!row) throw new AppError('NOT_FOUND', `No draw ${id}`);
  const sel = await db
    .select({ entityName: entities.name, key: targets.key, stratum: targets.stratum, ticket: targets.ticket })
    .from(targets)
    .innerJoin(entities, eq(entities.id, targets.entityId))
    .where(eq(targets.drawId, id))
    .orderBy(asc(targets.stratum), asc(targets.rank));
  // Stratum labels are opaque per draw (see draws.ts): they are what the commitment publishes.
  // the task's real state (committed … published / corrected), not only the draw's status
  const taskState = await publicTaskState(svc, id);
  return { ...row, committedAt: row.committedAt.toISOString(), targets: sel, taskState };
}

// ---- the verification bundle, stored once (bundle-store.ts) ---------------------------------

/**
 * Recently served bundles, per database (ids are per database): immutable from the reveal on,
 * except that an escalation replaces one (campaigns/escalation.ts calls forgetBundle).
 */
const bundleCache = new WeakMap<object, Map<number, StoredBundle>>();

/** Drop a draw's cached bundle (after an escalation stored a new one). */
export function forgetBundle(svc: Services, drawId: number): void {
  bundleCache.get(svc.database)?.delete(drawId);
}
const BUNDLE_CACHE_BYTES = 64 * 1024 * 1024;
/** First downloads of a draw without a stored bundle build it once, however many arrive together. */
const building = new WeakMap<object, Map<number, Promise<StoredBundle>>>();

function cacheOf<T>(m: WeakMap<object, Map<number, T>>, key: object): Map<number, T> {
  let c = m.get(key);
  if (!c) m.set(key, (c = new Map()));
  return c;
}

function remember(cache: Map<number, StoredBundle>, id: number, b: StoredBundle): void {
  cache.delete(id);
  cache.set(id, b);
  let total = 0;
  for (const v of cache.values()) total += v.gzip.length;
  for (const [k, v] of cache) {
    if (total <= BUNDLE_CACHE_BYTES || k === id) break;
    cache.delete(k);
    total -= v.gzip.length;
  }
}

/**
 * A drawn draw's bundle as stored: gzip bytes, the JSON's size and SHA-256 (its ETag). Built and
 * stored on the first request when the reveal predates the store; a draw not drawn yet is
 * NOT_FOUND publicly and DRAW_STATE for staff, as before.
 */
export async function drawBundleFile(
  svc: Services,
  drawId: number,
  opts: { publicView: boolean },
): Promise<StoredBundle> {
  const key = svc.database;
  const cache = cacheOf(bundleCache, key);
  const hit = cache.get(drawId);
  if (hit) {
    remember(cache, drawId, hit);
    return hit;
  }
  const stored = await readBundle(svc.database.db, drawId);
  if (stored) {
    remember(cache, drawId, stored);
    return stored;
  }
  const inFlight = cacheOf(building, key);
  let p = inFlight.get(drawId);
  if (!p) {
    p = (async () => {
      const enc = await encodeBundle(await drawBundle(svc, drawId, opts));
      await insertBundle(svc.database.db, drawId, enc, svc.clock());
      // a concurrent writer may have won: serve what is stored
      return (await readBundle(svc.database.db, drawId)) ?? enc;
    })().finally(() => inFlight.delete(drawId));
    inFlight.set(drawId, p);
  }
  const built = await p;
  remember(cache, drawId, built);
  return built;
}
