/**
 * The scheduled opening of plan batches: every batch of a plan in force (approved or in progress)
 * whose window has opened by `today` and that has no task yet becomes a task (openPlanBatch, one
 * transaction per batch). Called daily by the server's timer and by `choucha plans open-due`.
 * A batch whose window has already ended is not opened (it is reported as missed, for the joint
 * office to open by hand or amend the plan); a batch that cannot be opened (an item withdrawn
 * from the list …) is reported with its coded error and the others still open.
 */
import { and, asc, eq, inArray, isNull, lte } from 'drizzle-orm';
import { AppError, isoDateInChina } from '@choucha/core';
import { planBatches, plans } from '@choucha/db';
import type { Actor, Services } from '../context.ts';
import { openPlanBatch } from './plans.ts';

export const PLAN_SCHEDULER: Actor = { kind: 'system', name: 'plan-scheduler' };

export interface OpenDueResult {
  today: string;
  opened: { batchId: number; planId: number; name: string; taskId: number }[];
  missed: { batchId: number; planId: number; name: string; windowEnd: string }[];
  failed: { batchId: number; planId: number; name: string; code: string; message: string }[];
}

export async function openDueBatches(
  svc: Services,
  today: string,
  actor: Actor = PLAN_SCHEDULER,
): Promise<OpenDueResult> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(today)))
    throw new AppError('VALIDATION_FAILED', `Not a date: ${today}`, { field: 'today' });
  const db = svc.database.db;
  const due = await db
    .select({
      id: planBatches.id,
      planId: planBatches.planId,
      name: planBatches.name,
      windowEnd: planBatches.windowEnd,
    })
    .from(planBatches)
    .innerJoin(plans, eq(plans.id, planBatches.planId))
    .where(
      and(
        inArray(plans.status, ['approved', 'in_progress']),
        isNull(planBatches.taskId),
        lte(planBatches.windowStart, today),
      ),
    )
    .orderBy(asc(planBatches.windowStart), asc(planBatches.id));
  const out: OpenDueResult = { today, opened: [], missed: [], failed: [] };
  for (const b of due) {
    if (b.windowEnd < today) {
      out.missed.push({ batchId: b.id, planId: b.planId, name: b.name, windowEnd: b.windowEnd });
      continue;
    }
    try {
      const taskId = await openPlanBatch(svc, actor, b.id);
      out.opened.push({ batchId: b.id, planId: b.planId, name: b.name, taskId });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      // opened meanwhile by hand: not a failure
      if (e.code === 'PLAN_BATCH_OPENED') continue;
      out.failed.push({ batchId: b.id, planId: b.planId, name: b.name, code: e.code, message: e.message });
    }
  }
  return out;
}

/** The date in China (UTC+8, no daylight saving) of an instant, as YYYY-MM-DD: core's calendar. */
export const chinaDate = isoDateInChina;

/**
 * The server's daily opening: checks every `everyMs` (default an hour) whether the date in China
 * has changed since the last run, and then runs openDueBatches for that date (also once shortly
 * after start). Unref'd: it does not keep the process alive; stop() waits for a run in progress.
 */
export function startPlanTimer(
  svc: Services,
  opts: {
    everyMs?: number;
    firstRunMs?: number;
    onResult?: (r: OpenDueResult) => void;
    onError?: (e: unknown) => void;
  } = {},
): { stop: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let lastDay: string | null = null;
  const tick = () => {
    if (stopped) return;
    running = running
      .then(async () => {
        const today = chinaDate(svc.clock());
        if (stopped || today === lastDay) return;
        const r = await openDueBatches(svc, today);
        lastDay = today;
        opts.onResult?.(r);
      })
      .catch((e: unknown) => opts.onError?.(e));
  };
  const first = setTimeout(tick, opts.firstRunMs ?? 5000);
  first.unref();
  const timer = setInterval(tick, opts.everyMs ?? 3600 * 1000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
