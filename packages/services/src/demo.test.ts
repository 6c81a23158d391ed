/**
 * The demo replay (demo.ts): the deterministic district of @choucha/demo loaded, and its year of
 * history replayed through the real services. Every figure is checked against the generator itself
 * (what it planned) — tables, tasks, the dice of each draw, the joint batches' exact sizes, every
 * result's codes and publication, every stratum's size — and the audit chain. The services'
 * randomness (the opaque stratum labels) is made deterministic, so that the outcome is too.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleSize, type StratumPlan } from '@choucha/core';
import { DEMO_USERS, generateDistrict, resultFor, type DemoDistrict, type RiskClass } from '@choucha/demo';
import { openTestDatabase } from './testing.ts';
import { makeServices, type Services } from './context.ts';
import { demoIsLoaded, loadDemo } from './demo.ts';
import { verifyAuditChainAll } from './audit.ts';
import { dashboard } from './dashboard.ts';
import { ratioString } from './draws.ts';
import { SYSTEM } from './context.ts';

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
    // progress: 0, then one step per load phase (4) and per batch
    const total = 4 + d.batches.length;
    expect(steps).toEqual(Array.from({ length: total + 1 }, (_, i) => [i, total]));
  });

  it('replays every batch as a task with the dice and window it planned', async () => {
    const tasks = await svc.database.query<{
      name: string;
      window_start: string;
      is_joint: boolean;
      dice: string | null;
      status: string | null;
    }>(
      `select t.name, t.window_start::text, t.is_joint, d.seed_inputs->>'dice' as dice, d.status
         from tasks t left join draws d on d.task_id = t.id order by t.id`,
    );
    expect(tasks).toHaveLength(d.batches.length);
    tasks.forEach((t, i) => {
      const b = d.batches[i]!;
      expect(t).toMatchObject({ name: b.name, window_start: b.windowStart, is_joint: b.isJoint });
      // a batch is drawn with its dice, or left before its teams (not enough eligible inspectors)
      expect(t.dice).toBe(t.status === 'matched' || t.status === 'drawn' ? b.dice : null);
    });
    const drawn = tasks.filter((t) => t.status === 'matched').length;
    const left = d.batches.length - drawn;
    expect(summary).toBe(
      `Demo district loaded: ${d.departments.length} departments, ${d.entities.length} entities, ` +
        `${d.inspectors.length} inspectors, ${d.batches.length} batches (${drawn} drawn${left ? `, ${left} left at commitment` : ''}).`,
    );
  });

  it('draws each batch with the sampling it planned: joint batches exactly the bulletin’s count, others per risk class', async () => {
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
    let joint = 0;
    for (const r of rows) {
      const b = d.batches.find((x) => x.name === r.name)!;
      const strata = (JSON.parse(r.commitment) as { strata: StratumPlan[] }).strata;
      // the replay's mapping of the plan (demo.ts): a joint batch one stratum of exactly its count;
      // otherwise the batch's ratios, each stratum capped at the planned count
      const rule = (label: string) =>
        b.isJoint
          ? { ratio: '0.000001', min: b.targetCount, max: b.targetCount }
          : b.sampling.mode === 'classes'
            ? {
                ratio: ratioString(b.sampling.classes[r.classes[label] as RiskClass]),
                min: 0,
                max: b.targetCount,
              }
            : { ratio: ratioString(b.sampling.ratio), min: b.sampling.min, max: b.targetCount };
      for (const x of strata) {
        const want = rule(x.label);
        expect({ ratio: x.ratio, min: x.min, max: x.max }, b.name).toEqual(want);
        expect(x.size, b.name).toBe(sampleSize(want.ratio, x.population, want.min, want.max));
      }
      expect(r.n, b.name).toBe(strata.reduce((n, x) => n + x.size, 0));
      if (b.isJoint) joint++;
      // a joint batch: exactly the bulletin's count (the others may draw more: the cap is per class)
      expect(b.isJoint ? r.n : b.targetCount, b.name).toBe(b.targetCount);
    }
    // every joint batch of the bulletin was drawn
    expect(joint).toBe(d.batches.filter((b) => b.isJoint).length);
  });

  it('enters and publishes the results the generator gives, per target and department', async () => {
    const rows = await svc.database.query<{
      name: string;
      key: string;
      department_id: number;
      codes: string[];
      status: string;
    }>(
      `select t.name, g.key, r.department_id, r.codes, r.status
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
      expect(r.codes, `${b.name} ${r.key}`).toEqual(want.codes);
      expect(r.status).toBe(want.published && b.published ? 'published' : 'submitted');
    }
    const dash = await dashboard(svc, SYSTEM, 2026);
    expect(dash).toMatchObject({
      tasks: d.batches.length,
      jointTasks: d.batches.filter((b) => b.isJoint).length,
      targets: targets.length,
      published: expectedPublished,
      pendingReview: expectedResults - expectedPublished,
    });
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
      'task.create': d.batches.length,
      'draw.commit': await count('draws'),
      'result.enter': await count('results'),
    });
  });
});
