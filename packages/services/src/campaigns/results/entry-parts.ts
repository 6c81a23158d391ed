/**
 * The parts of a result besides its codes: a result per cited item (每个抽查事项 合格/不合格) and
 * the follow-up actions (后续处置) tracked to completion. Written in the entry's transaction.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { AppError, NO_PROBLEM, RESULT_CODES } from '@choucha/core';
import { followUps, items, resultItems, taskItems, type ItemOutcome, type Tx } from '@choucha/db';
import type { Actor } from '../../context.ts';
import type { Deadlines } from './deadlines.ts';

export interface ResultItemInput {
  itemId: number;
  outcome: ItemOutcome;
  /** the result codes of a failed item (optional; the result's codes hold them all) */
  codes?: string[] | undefined;
  note?: string | undefined;
}

export interface FollowUpDetail {
  action: string;
  /** 责令改正: the deadline given to the entity */
  dueOn?: string | undefined;
  /** 移送案件线索 / 抄告相关部门: the receiving department */
  receivingDepartment?: string | undefined;
}

/** Actions that stay open until someone completes them; 无需后续处置 is none. */
export const TRACKED_FOLLOW_UPS = [
  '责令改正',
  '移送案件线索',
  '抄告相关部门',
  '列入经营异常名录',
  '立案查处',
  '其他',
] as const;
const NEEDS_RECEIVER = ['移送案件线索', '抄告相关部门'];

/** The items of the task that belong to this department's part (its own cited items). */
export async function departmentItemIds(tx: Tx, taskId: number, departmentId: number): Promise<number[]> {
  const rows = await tx
    .select({ id: items.id })
    .from(taskItems)
    .innerJoin(items, eq(items.id, taskItems.itemId))
    .where(and(eq(taskItems.taskId, taskId), eq(items.departmentId, departmentId)));
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/**
 * Items given: exactly the department's cited items, each once; a failed item needs a finding in
 * the result's codes, and 未发现问题 needs no item failed.
 */
export function checkItems(
  cited: readonly number[],
  input: readonly ResultItemInput[],
  codes: readonly string[],
) {
  const seen = new Set<number>();
  for (const it of input) {
    if (!cited.includes(it.itemId) || seen.has(it.itemId))
      throw new AppError('RESULT_ITEM_NOT_CITED', `Item ${it.itemId} is not cited for this department`, {
        field: 'items',
        itemId: it.itemId,
      });
    seen.add(it.itemId);
    for (const c of it.codes ?? []) {
      if (!(RESULT_CODES as readonly string[]).includes(c) || c === NO_PROBLEM)
        throw new AppError('RESULT_ITEM_CODES_CONFLICT', `Item ${it.itemId}: ${c} is not a finding`, {
          field: 'items',
          itemId: it.itemId,
        });
    }
  }
  if (seen.size !== cited.length)
    throw new AppError('RESULT_ITEMS_INCOMPLETE', `${cited.length - seen.size} item(s) without a result`, {
      field: 'items',
    });
  const failed = input.some((it) => it.outcome === '不合格');
  if (failed && codes.includes(NO_PROBLEM))
    throw new AppError('RESULT_ITEM_CODES_CONFLICT', 'A failed item with 未发现问题', { field: 'items' });
}

export async function writeItems(tx: Tx, resultId: number, input: readonly ResultItemInput[]) {
  await tx.delete(resultItems).where(eq(resultItems.resultId, resultId));
  if (input.length === 0) return;
  await tx.insert(resultItems).values(
    input.map((it) => ({
      resultId,
      itemId: it.itemId,
      outcome: it.outcome,
      codes: it.outcome === '不合格' ? (it.codes ?? []) : [],
      note: it.note?.trim() || null,
    })),
  );
}

/** Details a user must give (the system actor — demo replay, CLI — may leave them out). */
export function checkFollowUpDetails(
  actor: Actor,
  actions: readonly string[],
  details: readonly FollowUpDetail[],
  inspectedOn: string,
  codes: readonly string[],
) {
  if (actor.kind === 'system') return;
  const of = (a: string) => details.find((d) => d.action === a);
  if (actions.includes('责令改正') && !codes.includes('发现问题经责令已改正')) {
    const due = of('责令改正')?.dueOn;
    if (!due || due < inspectedOn)
      throw new AppError('RESULT_FOLLOW_UP_DUE_REQUIRED', undefined, { field: 'followUpDetails' });
  }
  for (const a of NEEDS_RECEIVER)
    if (actions.includes(a) && !of(a)?.receivingDepartment?.trim())
      throw new AppError('RESULT_FOLLOW_UP_RECEIVER_REQUIRED', undefined, {
        field: 'followUpDetails',
        action: a,
      });
}

/**
 * The result's tracked follow-ups, replacing the open ones of an earlier entry (completed ones are
 * kept and not created again). 责令改正 of a result coded 发现问题经责令已改正 is done on the spot
 * (re-checked as 已改正 on the inspection date); 列入经营异常名录 is due 10 working days after.
 */
export async function writeFollowUps(
  tx: Tx,
  dl: Deadlines,
  now: Date,
  actor: Actor,
  r: { id: number; departmentId: number; inspectedOn: string; codes: readonly string[] },
  actions: readonly string[],
  details: readonly FollowUpDetail[],
) {
  const existing = await tx.select().from(followUps).where(eq(followUps.resultId, r.id));
  const open = existing.filter((f) => f.state === 'open').map((f) => f.id);
  if (open.length) await tx.delete(followUps).where(inArray(followUps.id, open));
  const done = new Set(existing.filter((f) => f.state === 'done').map((f) => f.action));
  const rows = [];
  for (const action of new Set(actions)) {
    if (!(TRACKED_FOLLOW_UPS as readonly string[]).includes(action) || done.has(action)) continue;
    const d = details.find((x) => x.action === action);
    const corrected = action === '责令改正' && r.codes.includes('发现问题经责令已改正');
    rows.push({
      resultId: r.id,
      departmentId: r.departmentId,
      action,
      state: corrected ? ('done' as const) : ('open' as const),
      dueOn:
        action === '列入经营异常名录'
          ? dl.abnormalListingDue(r.inspectedOn)
          : action === '责令改正'
            ? (d?.dueOn ?? (corrected ? r.inspectedOn : dl.abnormalListingDue(r.inspectedOn)))
            : null,
      receivingDepartment: d?.receivingDepartment?.trim() || null,
      recheckOn: corrected ? r.inspectedOn : null,
      recheckResult: corrected ? '已改正' : null,
      createdAt: now,
      completedAt: corrected ? now : null,
      completedBy: corrected && actor.kind === 'user' ? actor.id : null,
    });
  }
  if (rows.length) await tx.insert(followUps).values(rows);
}
