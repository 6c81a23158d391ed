/**
 * The demo replay (demo.ts): the deterministic district of @choucha/demo loaded, and its year 2023
 * replayed through the real services — annual plans filed and approved, batches opened into tasks,
 * draws, results entered, approved and published. Every figure is checked against the generator
 * itself (what it planned) — tables, plans, tasks, the dice of each draw, every batch's exact size,
 * every result's codes and publication — and the audit chain; and the seed bulletin's first half of
 * 2023 is counted from the database (see "the first half of 2023" below for the definitions). The
 * services' randomness (the opaque stratum labels) is made deterministic, so that the outcome is too.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleSize, type StratumPlan } from '@choucha/core';
import {
  DEMO_DRAND_CHAINS,
  DEMO_USERS,
  PLAN_DATES,
  generateDistrict,
  resultFor,
  roundTime,
  type DemoDistrict,
  type RiskClass,
} from '@choucha/demo';
import { openTestDatabase } from './testing.ts';
import { makeServices, type Services } from './context.ts';
import { demoIsLoaded, loadDemo } from './demo.ts';
import { verifyAuditChainAll } from './audit.ts';
import { dashboard } from './dashboard.ts';
import { ratioString } from './draws.ts';
import { SYSTEM } from './context.ts';
import { planYearOverview } from './campaigns/plans-view.ts';

let d: DemoDistrict;
let svc: Services;
let cleanup: () => Promise<void>;
let summary: string;
const steps: [number, number][] = [];

/** A deterministic stand-in for crypto.randomBytes: SHA-256 of a counter. */
function countingBytes() {
  let n = 0;
  return (size: number) => {
    const out = Buffer.alloc(size);
    for (let at = 0; at < size; at += 32) {
      createHash('sha256').update(`demo-test-${n++}`).digest().copy(out, at);
    }
    return out;
  };
}

const one = async <T>(sql: string, params: unknown[] = []) => (await svc.database.query<T>(sql, params))[0]!;
const count = async (table: string) =>
  (await one<{ n: number }>(`select count(*)::int as n from ${table}`)).n;

beforeAll(async () => {
  d = generateDistrict();
  const t = await openTestDatabase();
  cleanup = t.cleanup;
  svc = makeServices(t.database, { mode: 'test', randomBytes: countingBytes() });
  expect(await demoIsLoaded(svc)).toBe(false);
  summary = await loadDemo(svc, { onProgress: (done, total) => steps.push([done, total]) });
}, 900_000);
afterAll(async () => {
  await cleanup?.();
});

describe('the demo replay', () => {
  it('loads the district the generator describes', async () => {
    expect(await demoIsLoaded(svc)).toBe(true);
    expect(await count('departments')).toBe(d.departments.length);
    expect(await count('entities')).toBe(d.entities.length);
    expect(await count('inspectors')).toBe(d.inspectors.length);
    expect(await count('recusals')).toBe(d.recusals.length);
    expect(await count('users')).toBe(DEMO_USERS.length);
    // the supervisor's login (监督员): read-only, no department
    expect(
      await one("select role, department_id, must_change_password from users where username = 'jiandu'"),
    ).toEqual({ role: 'supervisor', department_id: null, must_change_password: false });
    expect(await count('items')).toBe(d.itemLists.reduce((n, l) => n + l.items.length, 0));
    expect(await count('joint_items')).toBe(d.jointItems.length);
    // every registration number is stored with its kind, as an import stores it
    const withRegNo = d.entities.filter((e) => e.regNo !== null).length;
    expect(withRegNo).toBeGreaterThan(100);
    expect(
      await one<{ n: number }>(
        "select count(*)::int as n from entities where reg_no is not null and reg_no_kind = 'reg15'",
      ),
    ).toEqual({ n: withRegNo });
    // progress: 0, then one step per load phase (4), one for the plans and one per batch
    const total = 4 + 1 + d.batches.length;
    expect(steps).toEqual(Array.from({ length: total + 1 }, (_, i) => [i, total]));
  });

  it('files and approves every annual plan of 2023 with its batches, and opens the batches due by DEMO_TODAY', async () => {
    const plans = await svc.database.query<{
      kind: string;
      code: string | null;
      name: string;
      status: string;
      filed: string;
      decided: string;
      batches: number;
      opened: number;
    }>(
      `select p.kind, dep.code, p.name, p.status, to_char(p.filed_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as filed,
              to_char(p.decided_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as decided,
              count(b.id)::int as batches, count(b.task_id)::int as opened
         from plans p left join departments dep on dep.id = p.department_id
         left join plan_batches b on b.plan_id = p.id
        where p.year = 2023 group by p.id, dep.code order by p.id`,
    );
    expect(plans).toEqual(
      d.plans.map((p) => ({
        kind: p.kind,
        code: p.departmentCode,
        name: p.name,
        // every plan has opened a batch by DEMO_TODAY: in progress
        status: 'in_progress',
        filed: PLAN_DATES.filed,
        decided: PLAN_DATES.approved,
        batches: p.batchIndexes.length,
        opened: p.batchIndexes.filter((i) => d.batches[i]!.stage !== 'planned').length,
      })),
    );
    // every district department has its plan; the joint plan holds the joint batches
    expect(plans.filter((p) => p.kind === 'department')).toHaveLength(18);
    expect(plans.filter((p) => p.kind === 'joint').map((p) => p.batches)).toEqual([
      d.batches.filter((b) => b.isJoint).length,
    ]);
  });

  it('replays every opened batch as the task of its plan batch, with the dice and window it planned', async () => {
    const tasks = await svc.database.query<{
      name: string;
      window_start: string;
      is_joint: boolean;
      dice: string | null;
      status: string | null;
      batch: string;
      planned: number;
      created: string;
    }>(
      `select t.name, t.window_start::text, t.is_joint, d.seed_inputs->>'dice' as dice, d.status,
              b.name as batch, b.planned_quantity as planned,
              to_char(t.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as created
         from tasks t join plan_batches b on b.task_id = t.id and t.batch_id = b.id and t.plan_id = b.plan_id
         left join draws d on d.task_id = t.id order by t.id`,
    );
    const opened = d.batches.filter((b) => b.stage !== 'planned');
    expect(await count('tasks')).toBe(opened.length);
    expect(tasks).toHaveLength(opened.length);
    tasks.forEach((t, i) => {
      const b = opened[i]!;
      expect(t).toEqual({
        name: b.name,
        window_start: b.windowStart,
        is_joint: b.isJoint,
        // every opened batch is drawn with its dice (none is left at its commitment)
        dice: b.dice,
        status: 'matched',
        batch: b.name,
        planned: b.targetCount,
        created: b.timeline.created,
      });
    });
    // the fourth quarter's batches are planned only
    expect(
      (await one<{ n: number }>(`select count(*)::int as n from plan_batches where task_id is null`)).n,
    ).toBe(d.batches.filter((b) => b.stage === 'planned').length);
    expect(summary).toBe(
      `Demo district loaded: ${d.departments.length} departments, ${d.entities.length} entities, ` +
        `${d.inspectors.length} inspectors, ${d.plans.length} plans of 2023 with ${d.batches.length} batches ` +
        `(${opened.length} opened, ${opened.length} drawn).`,
    );
  });

  it('commits every draw to dice (20 digits) and a recorded drand round published after the commitment, and reveals it after that round with the real beacon and its dice ceremony', async () => {
    const rows = await svc.database.query<{
      name: string;
      commitment: string;
      committed_ms: number;
      seeded_ms: number;
      inputs: unknown;
      ceremony: unknown;
    }>(
      `select t.name, d.commitment, floor(extract(epoch from d.committed_at) * 1000)::float8 as committed_ms,
              floor(extract(epoch from d.seeded_at) * 1000)::float8 as seeded_ms,
              d.seed_inputs as inputs, d.ceremony
         from draws d join tasks t on t.id = d.task_id order by d.id`,
    );
    const opened = d.batches.filter((b) => b.stage !== 'planned');
    expect(rows).toHaveLength(opened.length);
    const byRound = new Map<string, number>();
    rows.forEach((r, i) => {
      const b = opened[i]!;
      const plan = b.draw!;
      expect(r.name).toBe(b.name);
      const seedSource = (JSON.parse(r.commitment) as { seedSource: unknown }).seedSource;
      const chain = DEMO_DRAND_CHAINS[plan.beacon.chain];
      // both sources, never dice only
      expect(seedSource, b.name).toEqual({
        dice: { digits: 20 },
        drand: {
          chainHash: chain.chainHash,
          publicKey: chain.publicKey,
          scheme: chain.scheme,
          round: plan.beacon.round,
        },
      });
      // the round is published at least a minute after the commitment, and revealed at or after it
      const roundAt = roundTime(plan.beacon.chain, plan.beacon.round).getTime();
      expect(r.committed_ms, b.name).toBe(Date.parse(plan.committedAt));
      expect(r.seeded_ms, b.name).toBe(Date.parse(plan.revealedAt));
      expect(roundAt - r.committed_ms, b.name).toBeGreaterThanOrEqual(60_000);
      expect(r.seeded_ms, b.name).toBeGreaterThanOrEqual(roundAt);
      expect(r.inputs, b.name).toEqual({
        dice: b.dice,
        beacon: {
          round: plan.beacon.round,
          randomness: plan.beacon.randomness,
          signature: plan.beacon.signature,
          previousSignature: plan.beacon.previousSignature,
        },
      });
      expect(b.dice).toMatch(/^\d{20}$/);
      expect(r.ceremony, b.name).toEqual(plan.ceremony);
      const k = `${plan.beacon.chain} ${plan.beacon.round}`;
      byRound.set(k, (byRound.get(k) ?? 0) + 1);
    });
    // the 83 draws on 6 of the recorded rounds (several draws name the same round: the seed also
    // depends on each commitment's hash and dice)
    expect(Object.fromEntries(byRound)).toEqual({
      'default 2634945': 25,
      'default 2888337': 47,
      'quicknet 10': 1,
      'quicknet 657413': 2,
      'default 3311596': 1,
      'default 3366165': 7,
    });
  });

  it('draws every batch exactly its planned count: at most that many in all, per risk class or in one stratum', async () => {
    const rows = await svc.database.query<{
      name: string;
      commitment: string;
      classes: Record<string, string>;
      n: number;
    }>(
      `select t.name, d.commitment, d.stratum_classes as classes, count(g.id)::int as n
         from tasks t join draws d on d.task_id = t.id and d.status in ('drawn', 'matched')
         left join targets g on g.draw_id = d.id group by t.id, t.name, d.id order by t.id`,
    );
    expect(rows).toHaveLength(d.batches.filter((b) => b.stage !== 'planned').length);
    for (const r of rows) {
      const b = d.batches.find((x) => x.name === r.name)!;
      const strata = (JSON.parse(r.commitment) as { strata: StratumPlan[] }).strata;
      for (const x of strata) {
        // each stratum has the batch's ratio (its class's) and the size its committed rule gives
        const ratio =
          b.sampling.mode === 'classes'
            ? b.sampling.classes[r.classes[x.label] as RiskClass]
            : b.sampling.ratio;
        expect(x.ratio, b.name).toBe(ratioString(ratio));
        expect(x.size, b.name).toBe(sampleSize(x.ratio, x.population, x.min, x.max));
        expect(x.size, b.name).toBeGreaterThan(0);
      }
      // one stratum per risk class present in the roster, or one for all
      const classes = strata.map((x) => r.classes[x.label]);
      expect(new Set(classes).size, b.name).toBe(strata.length);
      if (b.sampling.mode === 'classes') expect(strata.length, b.name).toBeGreaterThanOrEqual(3);
      else expect(strata.length, b.name).toBe(1);
      expect(r.n, b.name).toBe(strata.reduce((n, x) => n + x.size, 0));
      expect(r.n, b.name).toBe(b.targetCount);
    }
  });

  it('enters, approves and publishes the results the generator gives, per target and department, on the batch’s days', async () => {
    const rows = await svc.database.query<{
      name: string;
      key: string;
      department_id: number;
      codes: string[];
      status: string;
      inspected: string;
      entered: string;
      approved: string | null;
      published: string | null;
    }>(
      `select t.name, g.key, r.department_id, r.codes, r.status, r.inspected_on::text as inspected,
              to_char(r.entered_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as entered,
              to_char(r.approved_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as approved,
              to_char(r.published_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as published
         from results r join targets g on g.id = r.target_id join tasks t on t.id = r.task_id
        order by r.id`,
    );
    let expectedResults = 0;
    let expectedPublished = 0;
    const targets = await svc.database.query<{ name: string; key: string; parts: number }>(
      `select t.name, g.key, 1 + cardinality(t.joint_department_ids) as parts
         from targets g join draws d on d.id = g.draw_id and d.status = 'matched' join tasks t on t.id = g.task_id`,
    );
    for (const t of targets) {
      const b = d.batches.find((x) => x.name === t.name)!;
      if (b.stage === 'matched') continue;
      expectedResults += t.parts;
      if (resultFor(b.index, t.key).published && b.published) expectedPublished += t.parts;
    }
    expect(rows).toHaveLength(expectedResults);
    expect(rows.filter((r) => r.status === 'published')).toHaveLength(expectedPublished);
    for (const r of rows) {
      const b = d.batches.find((x) => x.name === r.name)!;
      const want = resultFor(b.index, r.key);
      const tl = b.timeline;
      expect(r.codes, `${b.name} ${r.key}`).toEqual(want.codes);
      expect(r, `${b.name} ${r.key}`).toMatchObject({
        status: b.published ? 'published' : 'submitted',
        inspected: tl.inspected,
        entered: tl.entered,
        approved: tl.reviewed,
        published: tl.published,
      });
    }
    const dash = await dashboard(svc, SYSTEM, 2023);
    expect(dash).toMatchObject({
      tasks: d.batches.filter((b) => b.stage !== 'planned').length,
      jointTasks: d.batches.filter((b) => b.isJoint && b.stage !== 'planned').length,
      targets: targets.length,
      published: expectedPublished,
      pendingReview: expectedResults - expectedPublished,
    });
  });

  /**
   * The seed bulletin's first half of 2023, counted from the database as the platform sees it:
   * - a batch counted in H1: a 2023 task of a district department (区本级) with a live draw, every
   *   target of which has a published result of every department of the task, the last published
   *   on or before 30 June 2023 (China time);
   * - an entity with results published in H1: a target of such a batch — an entity per batch (户次,
   *   as the bulletin counts: an entity in two batches counts in each);
   * - a joint batch / entity: the same, for a joint task, whose every target has results of ≥ 2
   *   departments (the joint indicator's "inspected jointly"), by its lead department.
   */
  it('counts the first half of 2023 from the database: 63 batches, 578 entities, 11 joint batches with 53 entities as the bulletin', async () => {
    const h1 = await svc.database.query<{
      code: string;
      is_joint: boolean;
      batches: number;
      entities: number;
      joint_entities: number;
    }>(
      `with t as (
         select t.id, dep.code, t.is_joint, 1 + cardinality(t.joint_department_ids) as parts
           from tasks t join departments dep on dep.id = t.department_id
          where t.year = 2023 and dep.level = 'district'),
       g as (
         select t.id as task_id, t.code, t.is_joint, t.parts, g.id as target_id, g.entity_id,
                count(distinct r.department_id) filter (
                  where r.status = 'published' and r.published_at < '2023-07-01T00:00:00+08:00') as published_parts,
                count(distinct r.department_id) as entered_parts
           from t join draws d on d.task_id = t.id and d.status <> 'superseded'
                  join targets g on g.draw_id = d.id
                  left join results r on r.target_id = g.id
          group by t.id, t.code, t.is_joint, t.parts, g.id, g.entity_id),
       done as (select task_id from g group by task_id having bool_and(published_parts = parts))
       select code, is_joint, count(distinct task_id)::int as batches,
              count(distinct (task_id, entity_id))::int as entities,
              count(distinct (task_id, entity_id)) filter (where entered_parts >= 2)::int as joint_entities
         from g where task_id in (select task_id from done)
        group by code, is_joint order by code, is_joint`,
    );
    const total = (f: (r: (typeof h1)[number]) => boolean, k: 'batches' | 'entities' | 'joint_entities') =>
      h1.filter(f).reduce((n, r) => n + r[k], 0);
    expect(total(() => true, 'batches')).toBe(63);
    expect(total(() => true, 'entities')).toBe(578);
    expect(total((r) => r.is_joint, 'batches')).toBe(11);
    expect(total((r) => r.is_joint, 'entities')).toBe(53);
    // every entity of a joint batch was inspected jointly (≥ 2 departments' results in the visit)
    expect(total((r) => r.is_joint, 'joint_entities')).toBe(53);
    expect(total((r) => !r.is_joint, 'joint_entities')).toBe(0);
    // by department, as the bulletin: 教育局 2/10, 公安碑林分局 1/1, 生态环境碑林分局 1/1,
    // 经贸局(交通运输局) 1/8, 文化和旅游体育局 3/13, 统计局 1/4, 城管局 1/8, 人社局 1/8
    expect(
      Object.fromEntries(h1.filter((r) => r.is_joint).map((r) => [r.code, [r.batches, r.entities]])),
    ).toEqual({
      JYJ: [2, 10],
      GAFJ: [1, 1],
      STHJ: [1, 1],
      JMJ: [1, 8],
      WLTJ: [3, 13],
      TJJ: [1, 4],
      CGJ: [1, 8],
      RSJ: [1, 8],
    });
    // the plans' completion as of 30 June (the plan services' own count): 63 of 105 batches, 60 %;
    // 578 of the planned targets published; and on DEMO_TODAY the second half is in progress
    const june = await planYearOverview(svc, SYSTEM, 2023, '2023-06-30');
    expect(june.completion).toMatchObject({ batches: 105, batchesDone: 63, batchRate: 0.6, published: 578 });
    const today = await planYearOverview(svc, SYSTEM, 2023, d.today);
    expect(today.completion).toMatchObject({
      batches: 105,
      batchesDone: d.batches.filter((b) => b.stage === 'published').length,
    });
    expect(today.completion.batchesDone).toBeGreaterThan(63);
    expect(today.completion.batchesDone).toBeLessThan(105);
  });

  it('puts every step on the audit chain, intact', async () => {
    const events = await count('audit_events');
    expect(await verifyAuditChainAll(svc)).toMatchObject({ ok: true, checked: events });
    const byAction = Object.fromEntries(
      (
        await svc.database.query<{ action: string; n: number }>(
          `select action, count(*)::int as n from audit_events group by action`,
        )
      ).map((r) => [r.action, r.n]),
    );
    expect(byAction).toMatchObject({
      'demo.departments': 1,
      'demo.entities': 1,
      'demo.inspectors': 1,
      'demo.items': 1,
      'plan.create': d.plans.length,
      'plan.file': d.plans.length,
      'plan.approve': d.plans.length,
      'plan.batch_add': d.batches.length,
      'plan.batch_open': d.batches.filter((b) => b.stage !== 'planned').length,
      'task.create': d.batches.filter((b) => b.stage !== 'planned').length,
      'draw.commit': await count('draws'),
      'result.enter': await count('results'),
      'result.approve': (
        await one<{ n: number }>(`select count(*)::int as n from results where status = 'published'`)
      ).n,
      'result.publish': (
        await one<{ n: number }>(`select count(*)::int as n from results where status = 'published'`)
      ).n,
    });
  });
});
