/**
 * Anchors of the audit chain: its head (seq and hash) is written down as a checkpoint at every
 * draw commitment, when the server starts and at least daily, kept forever and published on the
 * public portal. A copy held outside proves that the log still holds that event unchanged
 * (`choucha audit verify --anchor SEQ:HASH`); the stored ones are checked by every `audit verify`.
 */
import { count, desc } from 'drizzle-orm';
import { auditCheckpoints, type Db, type Executor } from '@choucha/db';
import type { Services } from './context.ts';
import { lockedChainHead } from './audit.ts';

export const CHECKPOINT_REASONS = ['start', 'daily', 'draw_commitment'] as const;
export type CheckpointReason = (typeof CHECKPOINT_REASONS)[number];

export const DAY_MS = 24 * 3600 * 1000;

export interface Checkpoint {
  seq: number;
  hash: string;
  createdAt: string;
  reason: string;
  reference: string | null;
}

const present = (c: typeof auditCheckpoints.$inferSelect): Checkpoint => ({
  seq: c.seq,
  hash: c.hash,
  createdAt: c.createdAt.toISOString(),
  reason: c.reason,
  reference: c.reference,
});

/**
 * Write the current head as a checkpoint inside `tx` (which then holds the chain lock, so the head
 * is the one this transaction commits with). Nothing for an empty log.
 */
export async function recordCheckpoint(
  tx: Executor,
  svc: Services,
  reason: CheckpointReason,
  reference: string | null = null,
): Promise<Checkpoint | null> {
  const head = await lockedChainHead(tx);
  if (head.seq === 0) return null;
  const [row] = await tx
    .insert(auditCheckpoints)
    .values({ seq: head.seq, hash: head.hash, createdAt: svc.clock(), reason, reference })
    .returning();
  return row ? present(row) : null;
}

/** A checkpoint unless one was written within `maxAgeMs` (default a day). */
export async function ensureCheckpoint(
  svc: Services,
  opts: { reason: CheckpointReason; maxAgeMs?: number },
): Promise<Checkpoint | null> {
  return (svc.database.db as Db).transaction(async (tx) => {
    await lockedChainHead(tx); // serialise with writers and with another ensureCheckpoint
    const [last] = await tx
      .select({ createdAt: auditCheckpoints.createdAt })
      .from(auditCheckpoints)
      .orderBy(desc(auditCheckpoints.createdAt))
      .limit(1);
    const age = last ? svc.clock().getTime() - last.createdAt.getTime() : Number.POSITIVE_INFINITY;
    if (age < (opts.maxAgeMs ?? DAY_MS)) return null;
    return recordCheckpoint(tx, svc, opts.reason);
  });
}

/**
 * While the server runs: every `everyMs` (default an hour), a 'daily' checkpoint if the last one is
 * older than a day. The timer is unref'd (it never keeps the process alive); stop() ends it.
 */
export function startCheckpointTimer(
  svc: Services,
  opts: { everyMs?: number; maxAgeMs?: number; onError?: (e: unknown) => void } = {},
): { stop: () => Promise<void>; keepsProcessAlive: () => boolean } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(
    () => {
      if (stopped) return;
      running = running
        .then(() =>
          stopped
            ? null
            : ensureCheckpoint(svc, {
                reason: 'daily',
                ...(opts.maxAgeMs === undefined ? {} : { maxAgeMs: opts.maxAgeMs }),
              }),
        )
        .catch((e: unknown) => opts.onError?.(e));
    },
    opts.everyMs ?? 3600 * 1000,
  );
  timer.unref();
  return {
    keepsProcessAlive: () => timer.hasRef(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running; // a checkpoint being written finishes before the database closes
    },
  };
}

/** The published checkpoints, newest first. */
export async function publicCheckpoints(svc: Services, q: { page: number; pageSize: number }) {
  const db = svc.database.db;
  const rows = await db
    .select()
    .from(auditCheckpoints)
    .orderBy(desc(auditCheckpoints.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [total] = await db.select({ n: count() }).from(auditCheckpoints);
  return { items: rows.map(present), total: Number(total?.n ?? 0) };
}
