/**
 * 更正: a published result is never unpublished or edited in place. The joint office publishes a
 * new version with a reason; the earlier version and the reason stay, and the public page shows
 * the correction with its date and reason.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import { AppError } from '@choucha/core';
import { resultCorrections, resultItems, results } from '@choucha/db';
import { authorize } from '../../access.ts';
import { inTransaction } from '../../audit.ts';
import type { Actor, Services } from '../../context.ts';
import { validateCodes } from '../../results.ts';
import { resultDeadlines } from './deadlines.ts';
import {
  checkItems,
  departmentItemIds,
  writeFollowUps,
  writeItems,
  type FollowUpDetail,
  type ResultItemInput,
} from './entry-parts.ts';

export interface CorrectionInput {
  reason: string;
  codes: string[];
  followUps: string[];
  followUpDetails?: FollowUpDetail[] | undefined;
  items?: ResultItemInput[] | undefined;
  note?: string | undefined;
}

export async function correctResult(svc: Services, actor: Actor, resultId: number, input: CorrectionInput) {
  authorize(actor, 'result.review');
  validateCodes(input.codes);
  const reason = input.reason.trim();
  if (reason.length < 2)
    throw new AppError('RESULT_CORRECTION_REASON_REQUIRED', undefined, { field: 'reason' });
  return inTransaction(svc, actor, async (tx, audit) => {
    const [r] = await tx.select().from(results).where(eq(results.id, resultId)).for('update');
    if (!r) throw new AppError('NOT_FOUND', `No result ${resultId}`);
    if (r.status !== 'published') throw new AppError('RESULT_NOT_PUBLISHED');
    if (input.items)
      checkItems(await departmentItemIds(tx, r.taskId, r.departmentId), input.items, input.codes);
    const oldItems = await tx
      .select({ itemId: resultItems.itemId, outcome: resultItems.outcome, codes: resultItems.codes })
      .from(resultItems)
      .where(eq(resultItems.resultId, r.id))
      .orderBy(asc(resultItems.itemId));
    const before = { codes: r.codes, followUps: r.followUps, note: r.note, items: oldItems };
    const after = {
      codes: input.codes,
      followUps: input.followUps,
      note: input.note?.trim() || null,
      items: input.items
        ? input.items.map((i) => ({ itemId: i.itemId, outcome: i.outcome, codes: i.codes ?? [] }))
        : oldItems,
    };
    const version = r.version + 1;
    const now = svc.clock();
    const [row] = await tx
      .update(results)
      .set({ codes: after.codes, followUps: after.followUps, note: after.note, version })
      .where(eq(results.id, r.id))
      .returning();
    if (!row) throw new Error('Invariant: no row');
    if (input.items) await writeItems(tx, r.id, input.items);
    const dl = await resultDeadlines(svc, tx);
    await writeFollowUps(tx, dl, now, actor, row, input.followUps, input.followUpDetails ?? []);
    const [c] = await tx
      .insert(resultCorrections)
      .values({
        resultId: r.id,
        version,
        reason,
        before,
        after,
        correctedBy: actor.kind === 'user' ? actor.id : null,
        correctedAt: now,
      })
      .returning();
    await audit({
      action: 'result.correct',
      subjectType: 'result',
      subjectId: r.id,
      departmentId: r.departmentId,
      before: { version: r.version, ...before },
      after: { version, reason, ...after },
    });
    return { id: c!.id, resultId: r.id, version, reason, correctedAt: now.toISOString() };
  });
}

/** The corrections of these results, oldest first (public: reason and date only). */
export async function correctionsOf(db: Services['database']['db'], resultIds: number[]) {
  if (resultIds.length === 0) return [];
  return db
    .select({
      resultId: resultCorrections.resultId,
      version: resultCorrections.version,
      reason: resultCorrections.reason,
      correctedAt: resultCorrections.correctedAt,
      before: resultCorrections.before,
    })
    .from(resultCorrections)
    .where(inArray(resultCorrections.resultId, resultIds))
    .orderBy(asc(resultCorrections.resultId), asc(resultCorrections.version));
}
