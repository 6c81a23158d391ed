/**
 * 相同对象、相近时间: the detector over the district's work, its proposals, and the joint office's
 * decisions. The pure detector is packages/core/src/joint; this file feeds it:
 * - batches not yet drawn: draft tasks (`task:ID`) and plan batches not yet opened (`batch:ID`,
 *   plans neither superseded nor done);
 * - visits due: targets of live draws (drawn or matched) with no result yet (`target:ID`);
 * and stores what it proposes (merge_proposals, one row per detector key: a declined proposal is
 * not proposed again; an open one whose members no longer qualify turns stale).
 *
 * Accepting a batch merge creates ONE joint task (the lead chosen by the joint office, the other
 * departments cooperating — invited, they accept before they are bound; items united; window the
 * common part; scope the union) and removes the source draft tasks (a plan batch is linked to the
 * new task instead). Accepting an entity merge makes a joint visit: the two targets are visited
 * together (a target already in a joint visit brings the other into it).
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import {
  AppError,
  DEFAULT_JOINT_RULES,
  detectMerges,
  JOINT_RULES_KEY,
  mergeJointRules,
  validNearDays,
  type DueVisit,
  type JointRules,
  type JointScope,
  type MergeProposalDraft,
  type PlannedBatch,
} from '@choucha/core';
import {
  draws,
  jointVisits,
  jointVisitTargets,
  mergeProposals,
  planBatches,
  plans,
  results,
  targets,
  taskItems,
  taskPartners,
  tasks,
  type Executor,
  type Tx,
} from '@choucha/db';
import { authorize } from '../access.ts';
import { pgTextArray } from '../directories.ts';
import { inTransaction, type AuditInput } from '../audit.ts';
import type { Actor, Services } from '../context.ts';
import { createTask, type SamplingInput } from '../tasks.ts';
import {
  membersOf,
  OPEN_PLAN_STATUSES,
  proposalViews,
  type ProposalMember,
  type ProposalRow,
} from './joint-views.ts';
import { putSetting, readSetting } from '../admin/settings.ts';

type Audit = (input: AuditInput) => Promise<void>;

// ---- the rules (N days) ------------------------------------------------------------------------

export async function readJointRules(ex: Executor): Promise<JointRules> {
  return mergeJointRules((await readSetting(ex, JOINT_RULES_KEY))?.value);
}

export async function getJointRules(
  svc: Services,
  actor: Actor,
): Promise<JointRules & { defaults: JointRules }> {
  authorize(actor, 'task.read');
  return { ...(await readJointRules(svc.database.db as Executor)), defaults: { ...DEFAULT_JOINT_RULES } };
}

/** The joint office sets N (相近时间, in days); audited, with the settings history. */
export async function updateJointRules(svc: Services, actor: Actor, input: { nearDays: number }) {
  authorize(actor, 'settings.write');
  if (!validNearDays(input.nearDays))
    throw new AppError('JOINT_RULES_INVALID', `nearDays ${input.nearDays} is not 0–366`, {
      field: 'nearDays',
    });
  return inTransaction(svc, actor, async (tx, audit) => {
    const rules: JointRules = { nearDays: input.nearDays };
    const { before } = await putSetting(tx, svc, actor, JOINT_RULES_KEY, rules);
    await audit({
      action: 'joint.rules_update',
      subjectType: 'setting',
      subjectId: JOINT_RULES_KEY,
      before: mergeJointRules(before),
      after: rules,
    });
    return { ...rules, defaults: { ...DEFAULT_JOINT_RULES } };
  });
}

// ---- what the detector sees -------------------------------------------------------------------

const LIVE_DRAW = sql`${draws.status} in ('drawn', 'matched')`;

function asScope(v: unknown): JointScope | null {
  return v && typeof v === 'object' ? (v as JointScope) : null;
}

async function plannedBatches(ex: Executor, year: number): Promise<PlannedBatch[]> {
  const drafts = await ex
    .select({
      id: tasks.id,
      departmentId: tasks.departmentId,
      windowStart: tasks.windowStart,
      windowEnd: tasks.windowEnd,
      scope: tasks.scope,
    })
    .from(tasks)
    .where(and(eq(tasks.year, year), eq(tasks.status, 'draft')));
  const batches = await ex
    .select({
      id: planBatches.id,
      departmentId: planBatches.leadDepartmentId,
      windowStart: planBatches.windowStart,
      windowEnd: planBatches.windowEnd,
      scope: planBatches.scope,
    })
    .from(planBatches)
    .innerJoin(plans, eq(plans.id, planBatches.planId))
    .where(
      and(
        eq(plans.year, year),
        inArray(plans.status, OPEN_PLAN_STATUSES as never[]),
        sql`${planBatches.taskId} is null`,
      ),
    );
  return [
    ...drafts.map((d) => ({ ...d, ref: `task:${d.id}`, scope: asScope(d.scope) })),
    ...batches.map((b) => ({ ...b, ref: `batch:${b.id}`, scope: asScope(b.scope) })),
  ];
}

/** The department a target stands for: the task's lead (a joint task's targets are joint already). */
async function dueVisits(ex: Executor, year: number): Promise<DueVisit[]> {
  const rows = await ex
    .select({
      id: targets.id,
      entityId: targets.entityId,
      departmentId: tasks.departmentId,
      isJoint: tasks.isJoint,
      windowStart: tasks.windowStart,
      windowEnd: tasks.windowEnd,
    })
    .from(targets)
    .innerJoin(draws, eq(draws.id, targets.drawId))
    .innerJoin(tasks, eq(tasks.id, targets.taskId))
    .where(
      and(
        eq(tasks.year, year),
        LIVE_DRAW,
        sql`not exists (select 1 from ${results} r where r.target_id = ${targets.id})`,
      ),
    );
  return rows
    .filter((r) => !r.isJoint)
    .map((r) => ({
      ref: `target:${r.id}`,
      entityId: r.entityId,
      departmentId: r.departmentId,
      windowStart: r.windowStart,
      windowEnd: r.windowEnd,
    }));
}

/** Pairs of targets already visited together (both in one joint visit): nothing to propose. */
async function togetherAlready(ex: Executor): Promise<Set<string>> {
  const rows = await ex
    .select({ visitId: jointVisitTargets.visitId, targetId: jointVisitTargets.targetId })
    .from(jointVisitTargets);
  const byVisit = new Map<number, number[]>();
  for (const r of rows) byVisit.set(r.visitId, [...(byVisit.get(r.visitId) ?? []), r.targetId]);
  const keys = new Set<string>();
  for (const ts of byVisit.values())
    for (const a of ts) for (const b of ts) if (a !== b) keys.add(`target:${a}|target:${b}`);
  return keys;
}

/** What the detector proposes now, for one year (not stored). */
export async function currentMerges(ex: Executor, year: number): Promise<MergeProposalDraft[]> {
  const rules = await readJointRules(ex);
  const together = await togetherAlready(ex);
  return detectMerges(
    { batches: await plannedBatches(ex, year), visits: await dueVisits(ex, year) },
    rules.nearDays,
  ).filter((p) => !together.has(`${p.members[0]}|${p.members[1]}`));
}

/**
 * Run the detector for a year and store its proposals: new keys are added (open), open proposals
 * the detector no longer makes turn stale, decided ones stay as they are. Audited with the counts.
 */
export async function detectMergeProposals(svc: Services, actor: Actor, year: number) {
  authorize(actor, 'joint.merge');
  return inTransaction(svc, actor, async (tx, audit) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7215011, ${year})`);
    const found = await currentMerges(tx, year);
    const now = svc.clock();
    const existing = await tx
      .select({ id: mergeProposals.id, key: mergeProposals.key, status: mergeProposals.status })
      .from(mergeProposals)
      .where(eq(mergeProposals.year, year));
    const known = new Map(existing.map((e) => [e.key, e]));
    const fresh = found.filter((p) => !known.has(p.key));
    if (fresh.length)
      await tx
        .insert(mergeProposals)
        .values(
          fresh.map((p) => ({
            kind: p.kind,
            key: p.key,
            year,
            memberRefs: [...p.members],
            departmentIds: [...p.departmentIds],
            entityId: p.entityId,
            windowStart: p.windowStart,
            windowEnd: p.windowEnd,
            gapDays: p.gapDays,
            status: 'open' as const,
            detectedAt: now,
          })),
        )
        .onConflictDoNothing();
    const foundKeys = new Set(found.map((p) => p.key));
    const staleIds = existing.filter((e) => e.status === 'open' && !foundKeys.has(e.key)).map((e) => e.id);
    // a stale proposal that the detector makes again is open again
    const reopenIds = existing.filter((e) => e.status === 'stale' && foundKeys.has(e.key)).map((e) => e.id);
    if (staleIds.length)
      await tx.update(mergeProposals).set({ status: 'stale' }).where(inArray(mergeProposals.id, staleIds));
    if (reopenIds.length)
      await tx.update(mergeProposals).set({ status: 'open' }).where(inArray(mergeProposals.id, reopenIds));
    const counts = {
      year,
      proposed: found.length,
      added: fresh.length,
      stale: staleIds.length,
      reopened: reopenIds.length,
    };
    await audit({ action: 'joint.detect', subjectType: 'merge_proposals', subjectId: year, after: counts });
    return counts;
  });
}

// ---- decisions ---------------------------------------------------------------------------------

export interface DecideInput {
  decision: 'accept' | 'decline';
  note?: string | undefined;
  /** Batch merges: the lead department of the joint task (default: the first member's). */
  leadDepartmentId?: number | undefined;
  /** Batch merges: the joint task's name (default: the lead's batch name + （联合）). */
  name?: string | undefined;
}

async function lockProposal(tx: Tx, id: number): Promise<ProposalRow> {
  const [p] = await tx.select().from(mergeProposals).where(eq(mergeProposals.id, id)).for('update');
  if (!p) throw new AppError('JOINT_PROPOSAL_NOT_FOUND', `No merge proposal ${id}`);
  if (p.status === 'accepted' || p.status === 'declined')
    throw new AppError('JOINT_PROPOSAL_DECIDED', `Merge proposal ${id} is ${p.status}`, { status: p.status });
  return p;
}

/** The joint office accepts or declines a proposal. Audited; returns the proposal as it now is. */
export async function decideMergeProposal(svc: Services, actor: Actor, id: number, input: DecideInput) {
  authorize(actor, 'joint.merge');
  const stale = await inTransaction(svc, actor, async (tx, audit) => {
    const p = await lockProposal(tx, id);
    const now = svc.clock();
    const decidedBy = actor.kind === 'user' ? actor.id : null;
    if (input.decision === 'decline') {
      await tx
        .update(mergeProposals)
        .set({ status: 'declined', decidedAt: now, decidedBy, decisionNote: input.note ?? null })
        .where(eq(mergeProposals.id, id));
      await audit({
        action: 'joint.proposal_declined',
        subjectType: 'merge_proposal',
        subjectId: id,
        before: { status: p.status },
        after: { status: 'declined', note: input.note ?? null },
      });
      return false;
    }
    const members = await membersOf(tx, p.memberRefs);
    const ms = p.memberRefs.map((r) => members.get(r));
    if (p.status !== 'open' || ms.some((m) => !m || !m.eligible)) return true;
    const list = ms as ProposalMember[];
    if (p.kind === 'batch') {
      const lead = input.leadDepartmentId ?? list[0]!.departmentId;
      if (!p.departmentIds.includes(lead))
        throw new AppError('JOINT_LEAD_INVALID', `Department ${lead} is not in the proposal`, {
          field: 'leadDepartmentId',
        });
      const taskId = await mergeBatches(svc, actor, tx, audit, p, list, lead, input.name);
      await tx
        .update(mergeProposals)
        .set({
          status: 'accepted',
          decidedAt: now,
          decidedBy,
          decisionNote: input.note ?? null,
          leadDepartmentId: lead,
          resultTaskId: taskId,
        })
        .where(eq(mergeProposals.id, id));
      await staleOthers(tx, id, p.memberRefs);
      await audit({
        action: 'joint.proposal_accepted',
        subjectType: 'merge_proposal',
        subjectId: id,
        departmentId: lead,
        before: { status: 'open', members: p.memberRefs },
        after: { status: 'accepted', taskId, leadDepartmentId: lead, note: input.note ?? null },
      });
    } else {
      const visitId = await joinVisit(tx, svc, actor, p, list);
      await tx
        .update(mergeProposals)
        .set({
          status: 'accepted',
          decidedAt: now,
          decidedBy,
          decisionNote: input.note ?? null,
          resultVisitId: visitId,
        })
        .where(eq(mergeProposals.id, id));
      await audit({
        action: 'joint.proposal_accepted',
        subjectType: 'merge_proposal',
        subjectId: id,
        before: { status: 'open', members: p.memberRefs },
        after: { status: 'accepted', jointVisitId: visitId, note: input.note ?? null },
      });
    }
    return false;
  });
  if (stale) {
    await svc.database.db
      .update(mergeProposals)
      .set({ status: 'stale' })
      .where(and(eq(mergeProposals.id, id), eq(mergeProposals.status, 'open')));
    throw new AppError('JOINT_PROPOSAL_STALE', `Merge proposal ${id} no longer holds`);
  }
  const [row] = await svc.database.db.select().from(mergeProposals).where(eq(mergeProposals.id, id));
  return (await proposalViews(svc.database.db as Executor, [row!]))[0]!;
}

/** Other open proposals that name a member just merged are stale. */
async function staleOthers(tx: Tx, id: number, refs: readonly string[]) {
  await tx
    .update(mergeProposals)
    .set({ status: 'stale' })
    .where(
      and(
        ne(mergeProposals.id, id),
        eq(mergeProposals.status, 'open'),
        sql`${mergeProposals.memberRefs} && ${pgTextArray(refs)}::text[]`,
      ),
    );
}

interface SourceBatch {
  member: ProposalMember;
  itemIds: number[];
  departments: number[];
  scope: JointScope | null;
  sampling: SamplingInput;
  planId: number | null;
  batchId: number | null;
}

async function loadSource(tx: Tx, m: ProposalMember): Promise<SourceBatch> {
  if (m.kind === 'task') {
    const [t] = await tx.select().from(tasks).where(eq(tasks.id, m.id)).for('update');
    if (!t || t.status !== 'draft') throw new AppError('JOINT_PROPOSAL_STALE');
    const its = await tx.select({ id: taskItems.itemId }).from(taskItems).where(eq(taskItems.taskId, m.id));
    const partners = await tx
      .select({ d: taskPartners.departmentId })
      .from(taskPartners)
      .where(and(eq(taskPartners.taskId, m.id), ne(taskPartners.state, 'declined')));
    return {
      member: m,
      itemIds: its.map((i) => i.id),
      departments: [t.departmentId, ...partners.map((p) => p.d)],
      scope: asScope(t.scope),
      sampling: t.sampling as SamplingInput,
      planId: t.planId,
      batchId: t.batchId ?? null,
    };
  }
  const [b] = await tx.select().from(planBatches).where(eq(planBatches.id, m.id)).for('update');
  if (!b || b.taskId !== null) throw new AppError('JOINT_PROPOSAL_STALE');
  return {
    member: m,
    itemIds: b.itemIds,
    departments: [b.leadDepartmentId, ...b.cooperatingDepartmentIds],
    scope: asScope(b.scope),
    sampling: b.sampling as SamplingInput,
    planId: b.planId,
    batchId: b.id,
  };
}

/** The union of two scopes: a dimension one leaves open stays open; else both sets together. */
export function unionScope(a: JointScope | null, b: JointScope | null): Record<string, string[]> | undefined {
  const out: Record<string, string[]> = {};
  for (const k of ['streets', 'entityTypes', 'industryPrefixes', 'tags'] as const) {
    const x = a?.[k];
    const y = b?.[k];
    if (x && x.length && y && y.length) out[k] = [...new Set([...x, ...y])].sort();
  }
  return Object.keys(out).length ? out : undefined;
}

async function mergeBatches(
  svc: Services,
  actor: Actor,
  tx: Tx,
  audit: Audit,
  p: ProposalRow,
  list: ProposalMember[],
  lead: number,
  name: string | undefined,
): Promise<number> {
  const sources: SourceBatch[] = [];
  for (const m of list) sources.push(await loadSource(tx, m));
  const leadSource = sources.find((s) => s.member.departmentId === lead) ?? sources[0]!;
  const cooperating = [...new Set(sources.flatMap((s) => s.departments))]
    .filter((d) => d !== lead)
    .sort((a, b) => a - b);
  const batchSources = sources.filter((s) => s.batchId !== null);
  const linked = batchSources.find((s) => s === leadSource) ?? batchSources[0];
  // free the batch link of a draft task being removed before the new task takes it
  for (const s of sources)
    if (s.member.kind === 'task' && s.batchId !== null)
      await tx.update(tasks).set({ batchId: null }).where(eq(tasks.id, s.member.id));
  const taskId = await createTask(
    svc,
    actor,
    {
      name: name ?? `${leadSource.member.name}（联合）`,
      departmentId: lead,
      itemIds: [...new Set(sources.flatMap((s) => s.itemIds))].sort((a, b) => a - b),
      jointDepartmentIds: cooperating,
      windowStart: p.windowStart,
      windowEnd: p.windowEnd,
      scope: unionScope(sources[0]!.scope, sources[1]!.scope),
      sampling: leadSource.sampling,
      planId: leadSource.planId ?? linked?.planId ?? undefined,
      batchId: linked?.batchId ?? undefined,
    },
    { tx, audit },
  );
  const now = svc.clock();
  for (const s of sources) {
    if (s.batchId !== null)
      await tx
        .update(planBatches)
        .set({ taskId, openedAt: now, openedBy: actor.kind === 'user' ? actor.id : null, updatedAt: now })
        .where(eq(planBatches.id, s.batchId));
    if (s.member.kind === 'task') {
      await tx.delete(tasks).where(eq(tasks.id, s.member.id));
      await audit({
        action: 'task.merged',
        subjectType: 'task',
        subjectId: s.member.id,
        departmentId: s.member.departmentId,
        before: { name: s.member.name, status: 'draft', itemIds: s.itemIds },
        after: { mergedInto: taskId, proposalId: p.id },
      });
    }
  }
  return taskId;
}

async function joinVisit(
  tx: Tx,
  svc: Services,
  actor: Actor,
  p: ProposalRow,
  list: ProposalMember[],
): Promise<number> {
  const ids = list.map((m) => m.id);
  const current = await tx
    .select({ visitId: jointVisitTargets.visitId, targetId: jointVisitTargets.targetId })
    .from(jointVisitTargets)
    .where(inArray(jointVisitTargets.targetId, ids));
  const visitIds = [...new Set(current.map((c) => c.visitId))].sort((a, b) => a - b);
  let visitId = visitIds[0];
  if (visitId === undefined) {
    const [v] = await tx
      .insert(jointVisits)
      .values({
        entityId: p.entityId!,
        year: p.year,
        windowStart: p.windowStart,
        windowEnd: p.windowEnd,
        proposalId: p.id,
        createdBy: actor.kind === 'user' ? actor.id : null,
        createdAt: svc.clock(),
      })
      .returning({ id: jointVisits.id });
    visitId = v!.id;
  }
  // two visits joined by this pair: the later one's targets move into the first
  for (const other of visitIds.slice(1)) {
    await tx.update(jointVisitTargets).set({ visitId }).where(eq(jointVisitTargets.visitId, other));
    await tx.delete(jointVisits).where(eq(jointVisits.id, other));
  }
  const present = new Set(current.map((c) => c.targetId));
  const add = ids.filter((t) => !present.has(t));
  if (add.length)
    await tx.insert(jointVisitTargets).values(add.map((targetId) => ({ visitId: visitId!, targetId })));
  return visitId;
}

export {
  jointVisitOfTarget,
  listJointVisits,
  listMergeProposals,
  type MergeProposalView,
  type ProposalMember,
} from './joint-views.ts';
