/**
 * `draw-30k`: the demo draw — a risk-stratified task over the whole demo directory (~30,000
 * entities): commitment (roster, strata, matching input, canonical JSON), then reveal (seed, tickets,
 * selection, matching, stored outcome). On the embedded database, and on PostgreSQL when
 * BENCH_DATABASE_URL is set.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '@choucha/db';
import { commitDraw, createTask, loadDemo, makeServices, revealDraw, SYSTEM } from '@choucha/services';

/** A new, empty database on the server (dropped afterwards), so old tables never interfere. */
async function freshPostgres(url: string) {
  const name = `bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function run(kind: 'embedded' | 'postgres') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-bench-draw-'));
  const fresh =
    kind === 'postgres' ? await freshPostgres(process.env.BENCH_DATABASE_URL as string) : undefined;
  const database = await openDatabase(fresh ? { databaseUrl: fresh.url } : { dataDir: dir });
  try {
    const svc = makeServices(database);
    await loadDemo(svc, { history: false });
    const [dept] = await database.query<{ id: number }>("select id from departments where code = 'SCJG'");
    const [item] = await database.query<{ id: number }>(
      'select i.id from items i where i.department_id = $1 and i.field is not null order by i.id limit 1',
      [dept!.id],
    );
    const id = await createTask(svc, SYSTEM, {
      name: 'bench draw-30k',
      departmentId: dept!.id,
      itemIds: [item!.id],
      jointDepartmentIds: [],
      windowStart: '2026-12-01',
      windowEnd: '2026-12-31',
      sampling: { classes: { A: 0.001, B: 0.002, C: 0.01, D: 0.05 } },
    });
    let t = performance.now();
    const draw = await commitDraw(svc, SYSTEM, id, { seedSource: { dice: true } });
    const commitMs = performance.now() - t;
    t = performance.now();
    const drawn = await revealDraw(svc, SYSTEM, draw.id, { dice: '27182818284590452353' });
    const revealMs = performance.now() - t;
    process.stdout.write(
      `${JSON.stringify({ bench: 'draw-30k', db: kind, roster: draw.rosterSize, targets: drawn.targets.length, commitMs: Math.round(commitMs), revealMs: Math.round(revealMs) })}\n`,
    );
  } finally {
    await database.close();
    await fresh?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await run('embedded');
if (process.env.BENCH_DATABASE_URL) await run('postgres');
