/**
 * Annual plans (年度抽查计划) and the district's joint plan (部门联合抽查计划), with their batches (批次).
 *
 * States: draft → filed (备案 with the joint office) → approved | returned (with a reason the
 * department sees; it edits and files again) → in_progress (a batch was opened into a task) → done.
 * An amendment (修订) of an approved, running or done plan is a new version (draft) with copies of
 * the batches; the version before it stays in force until the amendment is approved, and then
 * becomes 'superseded' (read-only history). A batch already opened keeps its task across versions.
 *
 * Who: a department admin writes (creates, edits, files, amends, opens) its own department's plan;
 * the joint office (joint_admin) and the system actor write every plan, write the joint plan, and
 * approve or return filed plans; leaders read. Every write is audited in its transaction.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '@choucha/core';
import {
  departments,
  itemEditions,
  items,
  planBatches,
  plans,
  tasks,
  type PlanKind,
  type PlanStatus,
  type Tx,
} from '@choucha/db';
import { assertMayWriteDepartment, authorize } from '../access.ts';
import { inTransaction, type AuditInput } from '../audit.ts';
import type { Actor, Services } from '../context.ts';
import { createTask, validateSampling, type CreateTaskInput, type SamplingInput } from '../tasks.ts';

export type PlanRow = typeof plans.$inferSelect;
export type PlanBatchRow = typeof planBatches.$inferSelect;
type Audit = (input: AuditInput) => Promise<void>;

export interface PlanBatchInput {
  name: string;
  itemIds: number[];
  scope?: CreateTaskInput['scope'];
  sampling: SamplingInput;
  /** 计划抽查户数: the planned number of targets. */
  plannedQuantity: number;
  windowStart: string;
  windowEnd: string;
  /** 发起部门: the plan's department for a department plan (may be omitted); required in the joint plan. */
  leadDepartmentId?: number | undefined;
  cooperatingDepartmentIds?: number[] | undefined;
}

export interface CreatePlanInput {
  kind: PlanKind;
  /** The department of a department plan (a department admin: his own, may be omitted). */
  departmentId?: number | undefined;
  year: number;
  name: string;
  note?: string | undefined;
  batches?: PlanBatchInput[] | undefined;
}

/** The versions whose content may be edited. */
const EDITABLE: readonly PlanStatus[] = ['draft', 'returned'];
/** The versions in force: their batches open into tasks. */
export const IN_FORCE: readonly PlanStatus[] = ['approved', 'in_progress', 'done'];

const isJointOffice = (actor: Actor) =>
  actor.kind === 'system' || (actor.kind === 'user' && actor.role === 'joint_admin');

/** Writing a plan: the joint plan is the joint office's; a department plan is its department's. */
export function assertMayWritePlan(actor: Actor, plan: { kind: PlanKind; departmentId: number | null }) {
  authorize(actor, 'plan.write');
  if (plan.kind === 'joint') {
    if (!isJointOffice(actor))
      throw new AppError('PLAN_JOINT_OFFICE_ONLY', 'The joint plan is written by the joint office');
    return;
  }
  assertMayWriteDepartment(actor, plan.departmentId);
}

function assertJointOffice(actor: Actor) {
  authorize(actor, 'plan.approve');
  if (!isJointOffice(actor))
    throw new AppError('PLAN_JOINT_OFFICE_ONLY', 'Filed plans are approved or returned by the joint office');
}

export async function lockPlan(tx: Tx, planId: number): Promise<PlanRow> {
  const [plan] = await tx.select().from(plans).where(eq(plans.id, planId)).for('update');
  if (!plan) throw new AppError('PLAN_NOT_FOUND', `No plan ${planId}`, { planId });
  return plan;
}

function assertStatus(plan: PlanRow, allowed: readonly PlanStatus[], action: string) {
  if (allowed.includes(plan.status)) return;
  if (plan.status === 'superseded')
    throw new AppError('PLAN_READ_ONLY', `Plan ${plan.id} v${plan.version} is superseded (read-only)`, {
      planId: plan.id,
      status: plan.status,
    });
  throw new AppError('PLAN_STATE_INVALID', `A ${plan.status} plan cannot be ${action}`, {
    planId: plan.id,
    status: plan.status,
    action,
  });
}

function assertEditable(plan: PlanRow) {
  if (EDITABLE.includes(plan.status)) return;
  throw new AppError(
    'PLAN_READ_ONLY',
    `Plan ${plan.id} v${plan.version} is ${plan.status}; amend it to change it (a new version)`,
    { planId: plan.id, status: plan.status },
  );
}

function userId(actor: Actor): number | null {
  return actor.kind === 'user' ? actor.id : null;
}

function cleanScope(scope: CreateTaskInput['scope']): CreateTaskInput['scope'] | null {
  if (!scope) return null;
  const kept = Object.fromEntries(Object.entries(scope).filter(([, v]) => Array.isArray(v) && v.length > 0));
  return Object.keys(kept).length > 0 ? (kept as CreateTaskInput['scope']) : null;
}

/** A batch as stored, checked against the plan: window in the plan's year, items on the lists. */
async function batchValues(tx: Tx, plan: PlanRow, input: PlanBatchInput) {
  const lead = plan.kind === 'department' ? plan.departmentId! : (input.leadDepartmentId ?? null);
  if (lead === null)
    throw new AppError('VALIDATION_FAILED', 'A batch of the joint plan names its lead department', {
      field: 'leadDepartmentId',
    });
  if (plan.kind === 'department' && input.leadDepartmentId !== undefined && input.leadDepartmentId !== lead)
    throw new AppError('FORBIDDEN_DEPARTMENT', "A department plan's batches are led by its department", {
      field: 'leadDepartmentId',
    });
  if (input.windowEnd < input.windowStart)
    throw new AppError('DATE_RANGE_INVALID', 'The time window ends before it starts', { field: 'windowEnd' });
  const year = String(plan.year);
  if (input.windowStart.slice(0, 4) !== year || input.windowEnd.slice(0, 4) !== year)
    throw new AppError('PLAN_BATCH_OUTSIDE_YEAR', `The window is not within ${plan.year}`, {
      year: plan.year,
      field: 'windowStart',
    });
  if (!Number.isInteger(input.plannedQuantity) || input.plannedQuantity < 1)
    throw new AppError('VALIDATION_FAILED', 'The planned number of targets is at least 1', {
      field: 'plannedQuantity',
    });
  validateSampling(input.sampling);
  const coop = [...new Set((input.cooperatingDepartmentIds ?? []).filter((d) => d !== lead))];
  const depts = [lead, ...coop];
  const known = await tx
    .select({ id: departments.id })
    .from(departments)
    .where(inArray(departments.id, depts));
  if (known.length !== depts.length)
    throw new AppError('VALIDATION_FAILED', 'Unknown lead or cooperating department', {
      field: 'cooperatingDepartmentIds',
    });
  const itemIds = [...new Set(input.itemIds)];
  if (itemIds.length === 0)
    throw new AppError('ITEM_NOT_IN_LIST', 'A batch cites at least one item of the published lists', {
      itemIds: [],
    });
  // 清单之外无检查: the items of a batch are on the published lists of its departments.
  const found = await tx
    .select({ id: items.id, departmentId: items.departmentId, status: itemEditions.status })
    .from(items)
    .innerJoin(itemEditions, eq(itemEditions.id, items.editionId))
    .where(inArray(items.id, itemIds));
  const bad = itemIds.filter((id) => {
    const it = found.find((f) => f.id === id);
    return !it || it.status !== 'published' || !depts.includes(it.departmentId);
  });
  if (bad.length > 0)
    throw new AppError(
      'ITEM_NOT_IN_LIST',
      `Items ${bad.join(', ')} are not on the published list of the batch's departments`,
      { itemIds: bad, itemId: bad[0] },
    );
  const scope = cleanScope(input.scope);
  return {
    name: input.name.trim(),
    itemIds,
    scope,
    sampling: input.sampling,
    plannedQuantity: input.plannedQuantity,
    windowStart: input.windowStart,
    windowEnd: input.windowEnd,
    directed: scope !== null,
    leadDepartmentId: lead,
    cooperatingDepartmentIds: coop,
  };
}

async function insertBatch(tx: Tx, svc: Services, plan: PlanRow, input: PlanBatchInput, audit: Audit) {
  const values = await batchValues(tx, plan, input);
  const [{ n } = { n: 0 }] = await tx
    .select({ n: sql<number>`coalesce(max(${planBatches.seq}), 0)::int` })
    .from(planBatches)
    .where(eq(planBatches.planId, plan.id));
  const now = svc.clock();
  const [row] = await tx
    .insert(planBatches)
    .values({ ...values, planId: plan.id, seq: Number(n) + 1, createdAt: now, updatedAt: now })
    .returning();
  if (!row) throw new Error('Invariant: insert returned nothing');
  await tx.update(planBatches).set({ originId: row.id }).where(eq(planBatches.id, row.id));
  await audit({
    action: 'plan.batch_add',
    subjectType: 'plan',
    subjectId: plan.id,
    departmentId: plan.departmentId,
    after: { batchId: row.id, ...values },
  });
  return row.id;
}

export async function createPlan(svc: Services, actor: Actor, input: CreatePlanInput): Promise<number> {
  authorize(actor, 'plan.write');
  let departmentId: number | null = null;
  if (input.kind === 'department') {
    departmentId =
      actor.kind === 'user' && actor.role === 'dept_admin'
        ? actor.departmentId
        : (input.departmentId ?? null);
    if (departmentId === null)
      throw new AppError('VALIDATION_FAILED', 'Choose the department whose plan it is', {
        field: 'departmentId',
      });
    if (input.departmentId !== undefined && input.departmentId !== departmentId)
      throw new AppError('FORBIDDEN_DEPARTMENT', 'A department admin writes his own department plan only');
  }
  assertMayWritePlan(actor, { kind: input.kind, departmentId });
  return inTransaction(svc, actor, async (tx, audit) => {
    // one series per department (or the district) and year: serialise its creation
    await tx.execute(
      sql`select pg_advisory_xact_lock(7215100, ${input.year * 10_000 + (departmentId ?? 0)})`,
    );
    if (departmentId !== null) {
      const [d] = await tx
        .select({ id: departments.id })
        .from(departments)
        .where(eq(departments.id, departmentId));
      if (!d) throw new AppError('VALIDATION_FAILED', 'Unknown department', { field: 'departmentId' });
    }
    const [existing] = await tx
      .select({ id: plans.id })
      .from(plans)
      .where(
        and(
          eq(plans.kind, input.kind),
          eq(plans.year, input.year),
          sql`coalesce(${plans.departmentId}, 0) = ${departmentId ?? 0}`,
        ),
      )
      .limit(1);
    if (existing)
      throw new AppError('PLAN_EXISTS', `A ${input.kind} plan for ${input.year} exists already`, {
        planId: existing.id,
        year: input.year,
      });
    const now = svc.clock();
    const [plan] = await tx
      .insert(plans)
      .values({
        kind: input.kind,
        departmentId,
        year: input.year,
        name: input.name.trim(),
        note: input.note ?? null,
        version: 1,
        status: 'draft',
        createdBy: userId(actor),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!plan) throw new Error('Invariant: insert returned nothing');
    await audit({
      action: 'plan.create',
      subjectType: 'plan',
      subjectId: plan.id,
      departmentId,
      after: { kind: plan.kind, year: plan.year, name: plan.name, version: 1 },
    });
    for (const b of input.batches ?? []) await insertBatch(tx, svc, plan, b, audit);
    return plan.id;
  });
}

export async function updatePlan(
  svc: Services,
  actor: Actor,
  planId: number,
  patch: { name?: string | undefined; note?: string | null | undefined },
) {
  authorize(actor, 'plan.write');
  await inTransaction(svc, actor, async (tx, audit) => {
    const plan = await lockPlan(tx, planId);
    assertMayWritePlan(actor, plan);
    assertEditable(plan);
    const set = {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.note !== undefined ? { note: patch.note } : {}),
    };
    await tx
      .update(plans)
      .set({ ...set, updatedAt: svc.clock() })
      .where(eq(plans.id, planId));
    await audit({
      action: 'plan.update',
      subjectType: 'plan',
      subjectId: planId,
      departmentId: plan.departmentId,
      before: { name: plan.name, note: plan.note },
      after: set,
    });
  });
}

export async function addPlanBatch(svc: Services, actor: Actor, planId: number, input: PlanBatchInput) {
  authorize(actor, 'plan.write');
  return inTransaction(svc, actor, async (tx, audit) => {
    const plan = await lockPlan(tx, planId);
    assertMayWritePlan(actor, plan);
    assertEditable(plan);
    const id = await insertBatch(tx, svc, plan, input, audit);
    await tx.update(plans).set({ updatedAt: svc.clock() }).where(eq(plans.id, planId));
    return id;
  });
}

async function lockBatch(tx: Tx, batchId: number) {
  const [batch] = await tx.select().from(planBatches).where(eq(planBatches.id, batchId)).for('update');
  if (!batch) throw new AppError('PLAN_BATCH_NOT_FOUND', `No plan batch ${batchId}`, { batchId });
  const plan = await lockPlan(tx, batch.planId);
  return { batch, plan };
}

function assertNotOpened(batch: PlanBatchRow) {
  if (batch.taskId !== null)
    throw new AppError('PLAN_BATCH_OPENED', `Batch ${batch.id} was opened into task ${batch.taskId}`, {
      batchId: batch.id,
      taskId: batch.taskId,
    });
}

export async function updatePlanBatch(svc: Services, actor: Actor, batchId: number, input: PlanBatchInput) {
  authorize(actor, 'plan.write');
  await inTransaction(svc, actor, async (tx, audit) => {
    const { batch, plan } = await lockBatch(tx, batchId);
    assertMayWritePlan(actor, plan);
    assertEditable(plan);
    assertNotOpened(batch);
    const values = await batchValues(tx, plan, input);
    await tx
      .update(planBatches)
      .set({ ...values, updatedAt: svc.clock() })
      .where(eq(planBatches.id, batchId));
    await audit({
      action: 'plan.batch_update',
      subjectType: 'plan',
      subjectId: plan.id,
      departmentId: plan.departmentId,
      before: batchSnapshot(batch),
      after: { batchId, ...values },
    });
  });
}

export async function deletePlanBatch(svc: Services, actor: Actor, batchId: number) {
  authorize(actor, 'plan.write');
  await inTransaction(svc, actor, async (tx, audit) => {
    const { batch, plan } = await lockBatch(tx, batchId);
    assertMayWritePlan(actor, plan);
    assertEditable(plan);
    assertNotOpened(batch);
    await tx.delete(planBatches).where(eq(planBatches.id, batchId));
    await audit({
      action: 'plan.batch_delete',
      subjectType: 'plan',
      subjectId: plan.id,
      departmentId: plan.departmentId,
      before: batchSnapshot(batch),
    });
  });
}

function batchSnapshot(b: PlanBatchRow) {
  return {
    batchId: b.id,
    name: b.name,
    itemIds: b.itemIds,
    scope: b.scope,
    sampling: b.sampling,
    plannedQuantity: b.plannedQuantity,
    windowStart: b.windowStart,
    windowEnd: b.windowEnd,
    leadDepartmentId: b.leadDepartmentId,
    cooperatingDepartmentIds: b.cooperatingDepartmentIds,
    taskId: b.taskId,
  };
}

/** 备案: the department files the plan with the joint office (a returned plan is filed again). */
export async function filePlan(svc: Services, actor: Actor, planId: number) {
  authorize(actor, 'plan.write');
  await inTransaction(svc, actor, async (tx, audit) => {
    const plan = await lockPlan(tx, planId);
    assertMayWritePlan(actor, plan);
    assertStatus(plan, EDITABLE, 'filed');
    const [{ n } = { n: 0 }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(planBatches)
      .where(eq(planBatches.planId, planId));
    if (Number(n) === 0) throw new AppError('PLAN_EMPTY', `Plan ${planId} has no batch`, { planId });
    const now = svc.clock();
    await tx
      .update(plans)
      .set({ status: 'filed', filedAt: now, filedBy: userId(actor), updatedAt: now })
      .where(eq(plans.id, planId));
    await audit({
      action: 'plan.file',
      subjectType: 'plan',
      subjectId: planId,
      departmentId: plan.departmentId,
      before: { status: plan.status },
      after: { status: 'filed', version: plan.version, batches: Number(n) },
    });
  });
}

/** The joint office returns a filed plan with a reason the department sees. */
export async function returnPlan(svc: Services, actor: Actor, planId: number, reason: string) {
  assertJointOffice(actor);
  const why = reason.trim();
  if (why.length < 2)
    throw new AppError('PLAN_RETURN_REASON_REQUIRED', 'Say why the plan is returned', { field: 'reason' });
  await inTransaction(svc, actor, async (tx, audit) => {
    const plan = await lockPlan(tx, planId);
    assertStatus(plan, ['filed'], 'returned');
    const now = svc.clock();
    await tx
      .update(plans)
      .set({
        status: 'returned',
        returnReason: why,
        decidedAt: now,
        decidedBy: userId(actor),
        updatedAt: now,
      })
      .where(eq(plans.id, planId));
    await audit({
      action: 'plan.return',
      subjectType: 'plan',
      subjectId: planId,
      departmentId: plan.departmentId,
      before: { status: 'filed' },
      after: { status: 'returned', reason: why },
    });
  });
}

/**
 * The joint office approves a filed plan. An approved amendment supersedes the version before it;
 * the tasks opened from that version's batches move to the amendment's copies (same originId).
 */
export async function approvePlan(svc: Services, actor: Actor, planId: number, note?: string) {
  assertJointOffice(actor);
  await inTransaction(svc, actor, async (tx, audit) => {
    const plan = await lockPlan(tx, planId);
    assertStatus(plan, ['filed'], 'approved');
    const now = svc.clock();
    const moved: { batchId: number; taskId: number }[] = [];
    if (plan.previousId !== null) {
      const prev = await lockPlan(tx, plan.previousId);
      const oldBatches = await tx.select().from(planBatches).where(eq(planBatches.planId, prev.id));
      const newBatches = await tx.select().from(planBatches).where(eq(planBatches.planId, plan.id));
      for (const ob of oldBatches) {
        if (ob.taskId === null) continue;
        const nb = newBatches.find((b) => b.originId === ob.originId);
        if (!nb)
          throw new AppError(
            'PLAN_BATCH_OPENED',
            `Batch ${ob.name} was opened into task ${ob.taskId} but the amendment removes it`,
            { batchId: ob.id, taskId: ob.taskId },
          );
        if (nb.taskId === null || nb.taskId !== ob.taskId)
          await tx
            .update(planBatches)
            .set({ taskId: ob.taskId, openedAt: ob.openedAt, openedBy: ob.openedBy })
            .where(eq(planBatches.id, nb.id));
        await tx.update(tasks).set({ planId: plan.id, batchId: nb.id }).where(eq(tasks.id, ob.taskId));
        moved.push({ batchId: nb.id, taskId: ob.taskId });
      }
      await tx
        .update(plans)
        .set({ status: 'superseded', supersededAt: now, updatedAt: now })
        .where(eq(plans.id, prev.id));
      await audit({
        action: 'plan.supersede',
        subjectType: 'plan',
        subjectId: prev.id,
        departmentId: prev.departmentId,
        before: { status: prev.status, version: prev.version },
        after: { status: 'superseded', by: plan.id, version: plan.version },
      });
    }
    const [{ opened } = { opened: 0 }] = await tx
      .select({ opened: sql<number>`count(*)::int` })
      .from(planBatches)
      .where(and(eq(planBatches.planId, plan.id), sql`${planBatches.taskId} is not null`));
    const status: PlanStatus = Number(opened) > 0 ? 'in_progress' : 'approved';
    await tx
      .update(plans)
      .set({ status, returnReason: null, decidedAt: now, decidedBy: userId(actor), updatedAt: now })
      .where(eq(plans.id, planId));
    await audit({
      action: 'plan.approve',
      subjectType: 'plan',
      subjectId: planId,
      departmentId: plan.departmentId,
      before: { status: 'filed' },
      after: { status, version: plan.version, note: note ?? null, ...(moved.length ? { moved } : {}) },
    });
  });
}

/** 修订: a new version (draft) of a plan in force, with copies of its batches. */
export async function amendPlan(
  svc: Services,
  actor: Actor,
  planId: number,
  reason: string,
): Promise<number> {
  authorize(actor, 'plan.write');
  const why = reason.trim();
  if (why.length < 2)
    throw new AppError('PLAN_AMEND_REASON_REQUIRED', 'Say why the plan is amended', { field: 'reason' });
  return inTransaction(svc, actor, async (tx, audit) => {
    const plan = await lockPlan(tx, planId);
    assertMayWritePlan(actor, plan);
    assertStatus(plan, IN_FORCE, 'amended');
    const [pending] = await tx
      .select({ id: plans.id, version: plans.version })
      .from(plans)
      .where(eq(plans.previousId, planId));
    if (pending)
      throw new AppError('PLAN_AMENDMENT_EXISTS', `Plan ${planId} already has amendment ${pending.id}`, {
        planId: pending.id,
        version: pending.version,
      });
    const now = svc.clock();
    const [next] = await tx
      .insert(plans)
      .values({
        kind: plan.kind,
        departmentId: plan.departmentId,
        year: plan.year,
        name: plan.name,
        note: plan.note,
        version: plan.version + 1,
        previousId: plan.id,
        amendReason: why,
        status: 'draft',
        createdBy: userId(actor),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!next) throw new Error('Invariant: insert returned nothing');
    const batches = await tx
      .select()
      .from(planBatches)
      .where(eq(planBatches.planId, planId))
      .orderBy(asc(planBatches.seq));
    if (batches.length > 0)
      await tx.insert(planBatches).values(
        batches.map(({ id: _id, planId: _p, ...b }) => ({
          ...b,
          planId: next.id,
          createdAt: now,
          updatedAt: now,
        })),
      );
    await audit({
      action: 'plan.amend',
      subjectType: 'plan',
      subjectId: next.id,
      departmentId: plan.departmentId,
      before: { planId: plan.id, version: plan.version },
      after: { version: next.version, reason: why, batches: batches.length },
    });
    return next.id;
  });
}

/** 办结: a running plan is done once every batch was opened and its task published. */
export async function closePlan(svc: Services, actor: Actor, planId: number) {
  authorize(actor, 'plan.write');
  await inTransaction(svc, actor, async (tx, audit) => {
    const plan = await lockPlan(tx, planId);
    assertMayWritePlan(actor, plan);
    assertStatus(plan, ['in_progress'], 'closed');
    const open = await tx
      .select({ id: planBatches.id, name: planBatches.name })
      .from(planBatches)
      .leftJoin(tasks, eq(tasks.id, planBatches.taskId))
      .where(
        and(eq(planBatches.planId, planId), sql`(${tasks.id} is null or ${tasks.status} <> 'published')`),
      );
    if (open.length > 0)
      throw new AppError('PLAN_NOT_COMPLETE', `${open.length} batch(es) are not published yet`, {
        batchIds: open.map((b) => b.id),
        count: open.length,
      });
    const now = svc.clock();
    await tx.update(plans).set({ status: 'done', doneAt: now, updatedAt: now }).where(eq(plans.id, planId));
    await audit({
      action: 'plan.done',
      subjectType: 'plan',
      subjectId: planId,
      departmentId: plan.departmentId,
      before: { status: plan.status },
      after: { status: 'done' },
    });
  });
}

/**
 * A batch of a plan in force becomes a task (createTask, in this transaction): by hand (a button)
 * or on schedule (openDueBatches). The batch is locked, so it is opened once; the plan goes
 * approved → in_progress. Returns the task id.
 */
export async function openPlanBatch(svc: Services, actor: Actor, batchId: number): Promise<number> {
  authorize(actor, 'task.write');
  return inTransaction(svc, actor, async (tx, audit) => {
    const { batch, plan } = await lockBatch(tx, batchId);
    if (plan.kind === 'joint') {
      // the joint plan's batch: the joint office, or the admin of its lead department
      if (!isJointOffice(actor)) assertMayWriteDepartment(actor, batch.leadDepartmentId);
    } else assertMayWritePlan(actor, plan);
    assertNotOpened(batch);
    if (!IN_FORCE.includes(plan.status) || plan.status === 'done')
      throw new AppError(
        'PLAN_NOT_APPROVED',
        `Plan ${plan.id} is ${plan.status}: batches open once it is approved`,
        {
          planId: plan.id,
          status: plan.status,
        },
      );
    const taskId = await createTask(
      svc,
      actor,
      {
        name: batch.name,
        departmentId: batch.leadDepartmentId,
        itemIds: batch.itemIds,
        jointDepartmentIds: batch.cooperatingDepartmentIds,
        windowStart: batch.windowStart,
        windowEnd: batch.windowEnd,
        scope: (batch.scope ?? undefined) as CreateTaskInput['scope'],
        sampling: batch.sampling as SamplingInput,
        planId: plan.id,
        batchId: batch.id,
      },
      { tx, audit },
    );
    const now = svc.clock();
    await tx
      .update(planBatches)
      .set({ taskId, openedAt: now, openedBy: userId(actor), updatedAt: now })
      .where(eq(planBatches.id, batch.id));
    if (plan.status === 'approved')
      await tx.update(plans).set({ status: 'in_progress', updatedAt: now }).where(eq(plans.id, plan.id));
    await audit({
      action: 'plan.batch_open',
      subjectType: 'plan',
      subjectId: plan.id,
      departmentId: plan.departmentId,
      before: { batchId: batch.id, status: plan.status },
      after: { batchId: batch.id, taskId, status: plan.status === 'approved' ? 'in_progress' : plan.status },
    });
    return taskId;
  });
}
