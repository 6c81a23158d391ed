/**
 * The demo replay (demo.ts): the deterministic district of @choucha/demo loaded, and its year of
 * history replayed through the real services. Every figure is checked against the generator itself
 * (what it planned) — tables, tasks, the dice of each draw, the joint batches' exact sizes, every
 * result's codes and publication — and against a snapshot of what the draws produced, with the
 * services' randomness (the opaque stratum labels) made deterministic so the outcome is too.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, generateDistrict, resultFor, type DemoDistrict } from '@choucha/demo';
import { openTestDatabase } from './testing.ts';
import { makeServices, type Services } from './context.ts';
import { demoIsLoaded, loadDemo } from './demo.ts';
import { verifyAuditChainAll } from './audit.ts';
import { dashboard } from './dashboard.ts';
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

  it('draws each joint batch with exactly the bulletin’s number of targets, and no batch above its plan', async () => {
    const rows = await svc.database.query<{ name: string; n: number }>(
      `select t.name, count(g.id)::int as n from tasks t join draws d on d.task_id = t.id and d.status = 'matched'
         left join targets g on g.draw_id = d.id group by t.id, t.name order by t.id`,
    );
    for (const r of rows) {
      const b = d.batches.find((x) => x.name === r.name)!;
      expect(b.isJoint ? r.n === b.targetCount : r.n <= b.targetCount, `${b.name}: ${r.n}`).toBe(true);
    }
    const joint = d.batches.filter((b) => b.isJoint);
    const drawnJoint = rows.filter((r) => joint.some((b) => b.name === r.name));
    expect(drawnJoint.length).toBe(joint.length);
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
