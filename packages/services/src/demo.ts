/**
 * Loads the deterministic demo district (packages/demo) and replays a year of history through the
 * real services — tasks, draws committed to dice and a drand round and revealed with the dice and the
 * round's real (recorded) beacon, matching, results, review — so that every
 * page has something to show and every event is in the audit chain.
 */
import { asc, count, eq } from 'drizzle-orm';
import { bigrams, classifyRegistrationNumber, isAppError } from '@choucha/core';
import {
  departments,
  entities,
  inspectorStatusPeriods,
  inspectors,
  itemEditions,
  items,
  jointItems,
  recusals,
  users,
  targets,
  draws,
  planBatches,
} from '@choucha/db';
import {
  DEMO_DRAND_CHAINS,
  generateDistrict,
  resultFor,
  DEMO_USERS,
  DEMO_YEAR,
  PLAN_DATES,
  type DemoBatch,
  type DemoDistrict,
} from '@choucha/demo';
import { inTransaction } from './audit.ts';
import { copyRows } from '@choucha/db';
import { hashPassword, verifyPassword } from './auth.ts';
import { SYSTEM, makeServices, type Services } from './context.ts';
import type { SamplingInput } from './tasks.ts';
import { commitDraw, revealDraw } from './draws.ts';
import { approvePlan, createPlan, filePlan, openPlanBatch, type PlanBatchInput } from './campaigns/plans.ts';
import { approveResults, enterResults, publishResults } from './results.ts';
import { writeOrganisation } from './admin/organisation.ts';

const ENTITY_COPY_COLUMNS = [
  'uscc',
  'reg_no',
  'reg_no_kind',
  'raw_code',
  'code_status',
  'name',
  'name_bigrams',
  'entity_type',
  'industry_code',
  'industry_name',
  'region_code',
  'street',
  'address',
  'legal_rep',
  'registered_capital',
  'established_on',
  'status',
  'phone',
  'licences',
  'tags',
  'supervising_dept_ids',
  'risk_class',
  'risk_classified_at',
] as const;

/** The demo password; a production start refuses to run while any account still has it. */
export const DEMO_PASSWORD = 'choucha-demo';

export async function demoIsLoaded(svc: Services): Promise<boolean> {
  const [row] = await svc.database.db.select({ n: count() }).from(departments);
  return Number(row?.n ?? 0) > 0;
}

export interface DemoOptions {
  seed?: string;
  /** Replay the year of history (default true). */
  history?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export async function loadDemo(svc: Services, opts: DemoOptions = {}): Promise<string> {
  const d = generateDistrict(opts.seed);
  const progress = opts.onProgress ?? (() => undefined);
  // one step per load phase, then the plans, then one per batch of the plans
  const total = 4 + (opts.history === false ? 0 : 1 + d.batches.length);
  let step = 0;
  progress(step, total);
  const deptId = new Map<string, number>();
  const entityIds: number[] = [];
  const inspectorIds: number[] = [];
  const itemIds = new Map<string, number[]>(); // department code → item ids by index
  const passwordHash = await hashPassword(svc, DEMO_PASSWORD);

  await inTransaction(svc, SYSTEM, async (tx, audit) => {
    // departments: parents first
    const ordered = [...d.departments].sort(
      (a, b) => (a.parentCode === null ? -1 : 0) - (b.parentCode === null ? -1 : 0),
    );
    for (const dep of ordered) {
      const [row] = await tx
        .insert(departments)
        .values({
          code: dep.code,
          name: dep.name,
          shortName: dep.shortName,
          level: dep.level,
          parentId: dep.parentCode ? (deptId.get(dep.parentCode) ?? null) : null,
          isLead: dep.isLead,
          regionCode: dep.regionCode,
          contactName: dep.contactName,
          contactPhone: dep.contactPhone,
        })
        .returning({ id: departments.id });
      deptId.set(dep.code, row!.id);
    }
    await audit({
      action: 'demo.departments',
      subjectType: 'department',
      after: { count: d.departments.length },
    });
    // the demo district's organisation (the setup wizard's step 1), already set up
    const lead = d.departments.find((x) => x.isLead);
    await writeOrganisation(tx, svc, SYSTEM, audit, {
      province: { name: '陕西省', code: '610000' },
      city: { name: '西安市', code: '610100' },
      district: { name: '碑林区', code: '610103' },
      leadBureauName: lead?.name ?? '',
      setupCompletedAt: svc.clock().toISOString(),
    });
  });
  progress(++step, total);

  await inTransaction(svc, SYSTEM, async (tx, audit) => {
    const classifiedAt = new Date(`${d.today}T00:00:00Z`).toISOString();
    await copyRows(
      svc.database,
      tx,
      'entities',
      ENTITY_COPY_COLUMNS,
      d.entities.map((e) => [
        e.uscc,
        e.regNo,
        e.regNo === null ? null : (classifyRegistrationNumber(e.regNo)?.kind ?? null),
        e.rawCode,
        e.codeStatus,
        e.name,
        bigrams(e.name),
        e.entityType,
        e.industryCode,
        e.industryName,
        e.regionCode,
        e.street,
        e.address,
        e.legalRep,
        e.registeredCapital,
        e.establishedOn,
        e.status,
        e.phone,
        e.licences,
        e.tags,
        e.supervisingDeptCodes.map((c) => deptId.get(c)).filter((x): x is number => x !== undefined),
        e.riskClass,
        classifiedAt,
      ]),
    );
    const ids = await tx.select({ id: entities.id }).from(entities).orderBy(entities.id);
    entityIds.push(...ids.map((r) => r.id));
    await audit({ action: 'demo.entities', subjectType: 'entity', after: { count: d.entities.length } });
  });
  progress(++step, total);

  await inTransaction(svc, SYSTEM, async (tx, audit) => {
    for (const ins of d.inspectors) {
      const [row] = await tx
        .insert(inspectors)
        .values({
          departmentId: deptId.get(ins.departmentCode)!,
          name: ins.name,
          certNo: ins.certNo,
          certValidFrom: ins.certValidFrom,
          certValidTo: ins.certValidTo,
          fields: ins.fields,
          regionCode: ins.regionCode,
          phone: ins.phone,
          active: ins.active,
        })
        .returning({ id: inspectors.id });
      inspectorIds.push(row!.id);
      for (const p of ins.statusPeriods) {
        await tx.insert(inspectorStatusPeriods).values({ inspectorId: row!.id, ...p });
      }
    }
    for (const r of d.recusals) {
      await tx.insert(recusals).values({
        inspectorId: inspectorIds[r.inspectorIndex]!,
        entityId: entityIds[r.entityIndex]!,
        relation: r.relation,
        note: r.note,
        declaredOn: r.declaredOn,
      });
    }
    for (const u of DEMO_USERS) {
      await tx.insert(users).values({
        username: u.username,
        displayName: u.displayName,
        role: u.role,
        departmentId: u.departmentCode ? (deptId.get(u.departmentCode) ?? null) : null,
        inspectorId: u.inspectorIndex === null ? null : (inspectorIds[u.inspectorIndex] ?? null),
        passwordHash,
        mustChangePassword: false,
      });
    }
    await audit({
      action: 'demo.inspectors',
      subjectType: 'inspector',
      after: { count: d.inspectors.length, users: DEMO_USERS.length },
    });
  });
  progress(++step, total);

  await inTransaction(svc, SYSTEM, async (tx, audit) => {
    for (const list of d.itemLists) {
      const departmentId = deptId.get(list.departmentCode)!;
      const [ed] = await tx
        .insert(itemEditions)
        .values({
          departmentId,
          name: list.edition,
          status: 'published',
          publishedAt: LISTS_PUBLISHED_AT,
        })
        .returning({ id: itemEditions.id });
      const ids: number[] = [];
      for (const it of list.items) {
        const [row] = await tx
          .insert(items)
          .values({ editionId: ed!.id, departmentId, ...it, methods: it.methods, scope: it.scope })
          .returning({ id: items.id });
        ids.push(row!.id);
      }
      itemIds.set(list.departmentCode, ids);
    }
    const [jointEd] = await tx
      .insert(itemEditions)
      .values({
        departmentId: null,
        name: `${DEMO_YEAR}版 部门联合抽查事项清单`,
        status: 'published',
        publishedAt: LISTS_PUBLISHED_AT,
      })
      .returning({ id: itemEditions.id });
    for (const j of d.jointItems) {
      await tx.insert(jointItems).values({
        editionId: jointEd!.id,
        domain: j.domain,
        name: j.name,
        targetDesc: j.targetDesc,
        leadDepartmentId: deptId.get(j.leadDepartmentCode)!,
        cooperatingDepartmentIds: j.cooperatingDepartmentCodes.map((c) => deptId.get(c)!),
        itemIds: j.items
          .map((r) => itemIds.get(r.departmentCode)?.[r.index])
          .filter((x): x is number => x !== undefined),
      });
    }
    await audit({
      action: 'demo.items',
      subjectType: 'item',
      after: { lists: d.itemLists.length, joint: d.jointItems.length },
    });
  });
  progress(++step, total);

  let opened = 0;
  let drawn = 0;
  let skipped = 0;
  if (opts.history !== false) {
    const batchIds = await replayPlans(svc, d, deptId, itemIds);
    progress(++step, total);
    for (const b of d.batches) {
      if (b.stage !== 'planned') {
        opened++;
        const ok = await replayBatch(svc, b, batchIds.get(b.index)!, deptId);
        if (ok) drawn++;
        else skipped++;
      }
      progress(++step, total);
    }
  }
  const history =
    opts.history === false
      ? ''
      : `, ${d.plans.length} plans of ${DEMO_YEAR} with ${d.batches.length} batches (${opened} opened, ${drawn} drawn${skipped ? `, ${skipped} left at commitment` : ''})`;
  return `Demo district loaded: ${d.departments.length} departments, ${d.entities.length} entities, ${d.inspectors.length} inspectors${history}.`;
}

/** The item lists of the demo year are published before its plans are drafted. */
const LISTS_PUBLISHED_AT = new Date(`${DEMO_YEAR}-01-05T09:00:00+08:00`);

/** A clock at a China time of a day of the demo year. */
function at(date: string, hour: number): Date {
  return new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`);
}
function servicesAt(svc: Services, date: string, hour: number): Services {
  return makeServices(svc.database, { ...svc, clock: () => at(date, hour) });
}
/** A clock at an instant (ISO 8601). */
function servicesInstant(svc: Services, iso: string): Services {
  return makeServices(svc.database, { ...svc, clock: () => new Date(iso) });
}

/**
 * The sampling a batch plans: a joint batch the bulletin's count exactly (one stratum of min = max
 * = n, or risk-class ratios with at most n in all); the others their ratios with at most the
 * planned count in all — the H1 totals of the bulletin are the sums of the planned counts.
 */
function samplingOf(b: DemoBatch): SamplingInput {
  const s = b.sampling;
  return s.mode === 'classes'
    ? { classes: s.classes, max: b.targetCount, maxMode: 'total' }
    : { ratio: s.ratio, min: s.min, max: b.targetCount, maxMode: 'total' };
}

/**
 * The annual plans of the demo year through the plan services: every department's plan and the
 * joint plan, drafted with their batches, filed (备案) and approved by the joint office before the
 * first batch opens. Returns the plan batch of each demo batch.
 */
async function replayPlans(
  svc: Services,
  d: DemoDistrict,
  deptId: Map<string, number>,
  itemIds: Map<string, number[]>,
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const plan of d.plans) {
    const batches: PlanBatchInput[] = plan.batchIndexes.map((i) => {
      const b = d.batches[i]!;
      return {
        name: b.name,
        itemIds: b.items
          .map((r) => itemIds.get(r.departmentCode)?.[r.index])
          .filter((x): x is number => x !== undefined),
        scope: {
          ...(b.scope.streets ? { streets: b.scope.streets } : {}),
          ...(b.scope.entityTypes ? { entityTypes: b.scope.entityTypes } : {}),
          ...(b.scope.industryPrefixes ? { industryPrefixes: b.scope.industryPrefixes } : {}),
          ...(b.scope.tags ? { tags: b.scope.tags } : {}),
        },
        sampling: samplingOf(b),
        plannedQuantity: b.targetCount,
        windowStart: b.windowStart,
        windowEnd: b.windowEnd,
        leadDepartmentId: deptId.get(b.departmentCode)!,
        cooperatingDepartmentIds: b.cooperatingDepartmentCodes.map((c) => deptId.get(c)!),
      };
    });
    const planId = await createPlan(servicesAt(svc, PLAN_DATES.drafted, 10), SYSTEM, {
      kind: plan.kind,
      ...(plan.departmentCode ? { departmentId: deptId.get(plan.departmentCode)! } : {}),
      year: plan.year,
      name: plan.name,
      batches,
    });
    await filePlan(servicesAt(svc, PLAN_DATES.filed, 10), SYSTEM, planId);
    await approvePlan(servicesAt(svc, PLAN_DATES.approved, 15), SYSTEM, planId);
    const rows = await svc.database.db
      .select({ id: planBatches.id })
      .from(planBatches)
      .where(eq(planBatches.planId, planId))
      .orderBy(asc(planBatches.seq));
    if (rows.length !== plan.batchIndexes.length) throw new Error('Invariant: a plan lost a batch');
    plan.batchIndexes.forEach((i, k) => out.set(i, rows[k]!.id));
  }
  return out;
}

/**
 * One opened batch: its plan batch opened into a task, the draw committed and revealed with the
 * batch's dice, the results entered, approved by each department and published by the joint
 * office — each step on its day of the batch's timeline (the generator's), so timestamps look like
 * real work and the half-year figures are counted from them.
 */
async function replayBatch(
  svc: Services,
  b: DemoBatch,
  planBatchId: number,
  deptId: Map<string, number>,
): Promise<boolean> {
  const tl = b.timeline;
  const d = b.draw;
  if (!d) throw new Error(`Invariant: the opened batch ${b.index} has no draw`);
  const taskId = await openPlanBatch(servicesAt(svc, tl.created!, 9), SYSTEM, planBatchId);
  try {
    // dice (20 digits) and a drand round published at least a minute later, both committed now
    const chain = DEMO_DRAND_CHAINS[d.beacon.chain];
    const draw = await commitDraw(servicesInstant(svc, d.committedAt), SYSTEM, taskId, {
      seedSource: { dice: true, drand: { chainHash: chain.chainHash, round: d.beacon.round } },
    });
    // revealed at or after that round, with the dice of the ceremony and the round's real beacon
    await revealDraw(servicesInstant(svc, d.revealedAt), SYSTEM, draw.id, {
      dice: b.dice,
      beacon: {
        round: d.beacon.round,
        randomness: d.beacon.randomness,
        signature: d.beacon.signature,
        previousSignature: d.beacon.previousSignature,
      },
      ceremony: { ...d.ceremony, witnesses: [...d.ceremony.witnesses] },
    });
    const tgs = await svc.database.db
      .select({ id: targets.id, key: targets.key })
      .from(targets)
      .innerJoin(draws, eq(draws.id, targets.drawId))
      .where(eq(targets.drawId, draw.id));
    if (b.stage === 'matched') return true;
    const depts = [deptId.get(b.departmentCode)!, ...b.cooperatingDepartmentCodes.map((c) => deptId.get(c)!)];
    const entries = tgs.flatMap((t) => {
      const r = resultFor(b.index, t.key);
      return depts.map((dep) => ({
        targetId: t.id,
        published: r.published && b.published,
        input: {
          codes: r.codes,
          followUps: r.followUps,
          inspectedOn: tl.inspected!,
          departmentId: dep,
        },
      }));
    });
    // One transaction for the batch's results and one for each review step, each result with its audit event.
    const entered = await enterResults(servicesAt(svc, tl.entered!, 15), SYSTEM, entries);
    const toPublish = entered.filter((_, i) => entries[i]?.published).map((r) => r.id);
    if (toPublish.length) {
      // each department approves its part (审核), then the joint office publishes (公示)
      await approveResults(servicesAt(svc, tl.reviewed!, 10), SYSTEM, toPublish);
      await publishResults(servicesAt(svc, tl.published!, 11), SYSTEM, toPublish);
    }
    return true;
  } catch (e) {
    if (isAppError(e)) return false; // e.g. a department without enough eligible inspectors: left at commitment
    throw e;
  }
}

/**
 * A production start must not run with a well-known password: refuse while any account still has
 * the demo password, and create a first administrator with a one-time random password if there is
 * no user at all.
 */
export async function ensureProductionSafe(svc: Services): Promise<void> {
  const all = await svc.database.db
    .select({
      id: users.id,
      username: users.username,
      passwordHash: users.passwordHash,
      disabled: users.disabled,
    })
    .from(users);
  const weak: string[] = [];
  for (const u of all)
    if (!u.disabled && (await verifyPassword(DEMO_PASSWORD, u.passwordHash))) weak.push(u.username);
  if (weak.length > 0) {
    throw new Error(
      `Refusing a production start: these accounts still have the demo password: ${weak.join(', ')}. ` +
        `Reset them (choucha user add / the settings page) or start without CHOUCHA_MODE=production.`,
    );
  }
  if (all.length === 0) {
    const password = svc.randomBytes(12).toString('base64url');
    await inTransaction(svc, SYSTEM, async (tx, audit) => {
      const [row] = await tx
        .insert(users)
        .values({
          username: 'admin',
          displayName: '联席办管理员',
          role: 'joint_admin',
          passwordHash: await hashPassword(svc, password),
          mustChangePassword: true,
        })
        .returning({ id: users.id });
      await audit({
        action: 'user.create',
        subjectType: 'user',
        subjectId: row!.id,
        after: { username: 'admin', role: 'joint_admin', bootstrap: true },
      });
    });
    process.stdout.write(
      `First start: created user "admin" with the one-time password ${password} (it must be changed at first login).\n`,
    );
  }
}
