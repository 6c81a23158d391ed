/**
 * What the public portal shows: published results and draws. Never the risk class (not even a
 * target's stratum label: draw-protocol-v2 §10), never an unpublished result, never a draw's secret
 * columns (openings_text, private_matching). Every query here selects its columns explicitly for that
 * reason.
 */
import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { AppError } from '@choucha/core';
import { departments, draws, entities, targets, tasks } from '@choucha/db';
import { encodeBundle, insertBundle, readBundle, type StoredBundle } from './bundle-store.ts';
import { drawBundle } from './draws.ts';
import type { Actor, Services } from './context.ts';
import { assertDepartment, authorize } from './access.ts';
import { inTransaction } from './audit.ts';
import { loadTask, taskDepartments } from './tasks.ts';
import { publicTaskState, publicTaskStates } from './campaigns/public-draw-state.ts';
import { drawStage, isV2, type DiceCeremony } from './campaigns/draw-v2.ts';

// published results: one row per target, with every department's result (campaigns/results/public-results.ts)
export { publicResults } from './campaigns/results/public-results.ts';

const successor = alias(draws, 'successor');
const predecessorDraw = alias(draws, 'predecessor_draw');

/** Never draws.openings_text nor draws.private_matching (secret: the full bundle only). */
const publicDrawColumns = {
  id: draws.id,
  taskId: draws.taskId,
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
  matchedAt: draws.matchedAt,
  infeasible: sql<boolean>`(${draws.matchProblems} is not null)`,
  redrawReason: draws.redrawReason,
  ceremony: draws.ceremony,
  successorId: successor.id,
  successorHash: successor.commitmentHash,
};

interface PublicDrawRowDb {
  id: number;
  taskId: number;
  taskName: string;
  departmentName: string;
  attempt: number;
  status: string;
  algorithmVersion: string;
  commitment: string;
  commitmentHash: string;
  committedAt: Date;
  seedInputs: unknown;
  seed: string | null;
  matchedAt: Date | null;
  infeasible: boolean;
  redrawReason: string | null;
  ceremony: unknown;
  successorId: number | null;
  successorHash: string | null;
}

/** The columns every public draw shows: stage, the attempt chain (predecessor, successor), the ceremony. */
function present(r: PublicDrawRowDb, predecessor: { drawId: number | null; commitmentHash: string } | null) {
  const {
    commitment: _c,
    matchedAt,
    infeasible,
    successorId,
    successorHash,
    ceremony,
    taskId: _t,
    ...rest
  } = r;
  return {
    ...rest,
    committedAt: r.committedAt.toISOString(),
    stage: drawStage({ seed: r.seed, matchedAt, infeasible: Boolean(infeasible) }),
    predecessor,
    supersededBy:
      successorId !== null && successorHash !== null
        ? { drawId: successorId, commitmentHash: successorHash }
        : null,
    ceremony: (ceremony ?? null) as DiceCeremony | null,
  };
}

/**
 * The predecessor of each v2 draw: the commitment's `predecessor` hash is that of the task's previous
 * attempt (draw-commit.ts), whose draw id is answered with it. v1 draws have none (not committed).
 */
async function predecessorsOf(
  svc: Services,
  rows: readonly PublicDrawRowDb[],
): Promise<Map<number, { drawId: number | null; commitmentHash: string }>> {
  const out = new Map<number, { drawId: number | null; commitmentHash: string }>();
  const v2 = rows.filter((r) => isV2(r) && r.attempt > 1);
  if (v2.length === 0) return out;
  const prev = await svc.database.db
    .select({
      id: predecessorDraw.id,
      taskId: predecessorDraw.taskId,
      attempt: predecessorDraw.attempt,
      hash: predecessorDraw.commitmentHash,
    })
    .from(predecessorDraw)
    .where(
      inArray(
        predecessorDraw.taskId,
        v2.map((r) => r.taskId),
      ),
    );
  for (const r of v2) {
    const committed = (JSON.parse(r.commitment) as { predecessor?: string | null }).predecessor ?? null;
    if (committed === null) continue;
    const p = prev.find((x) => x.taskId === r.taskId && x.attempt === r.attempt - 1 && x.hash === committed);
    out.set(r.id, { drawId: p?.id ?? null, commitmentHash: committed });
  }
  return out;
}

export async function publicDraws(svc: Services) {
  const rows = await svc.database.db
    .select(publicDrawColumns)
    .from(draws)
    .innerJoin(tasks, eq(tasks.id, draws.taskId))
    .innerJoin(departments, eq(departments.id, tasks.departmentId))
    .leftJoin(successor, eq(successor.id, draws.supersededBy))
    .orderBy(desc(draws.id))
    .limit(500);
  const states = await publicTaskStates(
    svc,
    rows.map((r) => r.id),
  );
  const preds = await predecessorsOf(svc, rows);
  return rows.map((r) => ({
    ...present(r, preds.get(r.id) ?? null),
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
    .leftJoin(successor, eq(successor.id, draws.supersededBy))
    .where(eq(draws.id, id));
  if (!row) throw new AppError('NOT_FOUND', `No draw ${id}`);
  // No stratum label: even opaque, labels group the targets by class (draw-protocol-v2 §10). Targets
  // in the public selection's order: phase, ticket, key (v1 rows: ticket, key).
  const sel = await db
    .select({ entityName: entities.name, key: targets.key, ticket: targets.ticket, phase: targets.phase })
    .from(targets)
    .innerJoin(entities, eq(entities.id, targets.entityId))
    .where(eq(targets.drawId, id))
    .orderBy(sql`${targets.phase} nulls first`, asc(targets.ticket), asc(targets.key));
  // the task's real state (committed … published / corrected), not only the draw's status
  const taskState = await publicTaskState(svc, id);
  const preds = await predecessorsOf(svc, [row]);
  return {
    ...present(row, preds.get(row.id) ?? null),
    commitment: row.commitment,
    targets: sel,
    taskState,
  };
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
 * A draw's public bundle as stored: gzip bytes, the JSON's size and SHA-256 (its ETag). v2: stored
 * from the commitment on (any stage, committed too). v1: built and stored on the first request when
 * the reveal predates the store; a v1 draw not drawn yet is NOT_FOUND publicly and DRAW_STATE for
 * staff (`publicView: false`), as before. `view: 'full'` is the full bundle, built on demand and never
 * cached (callers authorize: fullDrawBundle).
 */
export async function drawBundleFile(
  svc: Services,
  drawId: number,
  opts: { view?: 'public' | 'full' | undefined; publicView?: boolean | undefined },
): Promise<StoredBundle> {
  if (opts.view === 'full') return encodeBundle(await drawBundle(svc, drawId, { view: 'full' }));
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
      const enc = await encodeBundle(
        await drawBundle(svc, drawId, { view: 'public', publicView: opts.publicView ?? true }),
      );
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

/**
 * The full bundle of a draw (draw-protocol-v2 §1, §11: the public bundle plus the openings — every
 * entity's stratum — and the private matching record — the real inspectors), for the supervisor, the
 * joint office and the department admins of the task's departments (`draw.verify`; another
 * department's draw is NOT_FOUND). Built on demand, never cached. A v1 draw's bundle is its only one.
 *
 * Every release is on the record (全程留痕): once the bundle is built, the audit event
 * `draw.bundle.full` (who, which draw, its commitment hash, the file's SHA-256 and size) is written
 * before the bytes are handed out; if the event cannot be written, nothing is released.
 */
export async function fullDrawBundle(svc: Services, actor: Actor, drawId: number): Promise<StoredBundle> {
  authorize(actor, 'draw.verify');
  const [d] = await svc.database.db
    .select({ taskId: draws.taskId, commitmentHash: draws.commitmentHash, attempt: draws.attempt })
    .from(draws)
    .where(eq(draws.id, drawId));
  if (!d) throw new AppError('NOT_FOUND', `No draw ${drawId}`);
  const task = await loadTask(svc.database.db, d.taskId);
  assertDepartment(actor, taskDepartments(task), 'read');
  const bundle = await drawBundleFile(svc, drawId, { view: 'full', publicView: false });
  await inTransaction(svc, actor, (_tx, audit) =>
    audit({
      action: 'draw.bundle.full',
      subjectType: 'draw',
      subjectId: drawId,
      departmentId: task.departmentId,
      after: {
        taskId: d.taskId,
        attempt: d.attempt,
        commitmentHash: d.commitmentHash,
        view: 'full',
        sha256: bundle.sha256,
        size: bundle.size,
      },
    }),
  );
  return bundle;
}
