import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalRoster, selectByTickets } from '@choucha/core';
import { openDatabase, type Database } from './database.ts';
import { drawSelectionInSql } from './draw-sql.ts';

const url = process.env['TEST_DATABASE_URL'];
let db: Database;
let dir: string | undefined;

beforeAll(async () => {
  if (url) db = await openDatabase({ databaseUrl: url, migrate: false });
  else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-draw-sql-'));
    db = await openDatabase({ dataDir: dir, migrate: false });
  }
});
afterAll(async () => {
  await db?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe(`draw selection in SQL (${url ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('is identical to the core selection', async () => {
    const keys: string[] = [];
    const strata: string[] = [];
    for (let i = 0; i < 3000; i++) {
      keys.push(
        i % 7 === 0
          ? `6101034${String(10_000_000 + i)}`
          : `91610103MA${String(10_000_000 + i * 7919).slice(-8)}`,
      );
      strata.push(['A', 'B', 'C|张家村街道', 'C|长安路街道', 'D'][i % 5]!);
    }
    const table = `draw_roster_${process.pid}`;
    await db.query(`create temp table ${table} (key text primary key, stratum text not null)`);
    await db.query(`insert into ${table} select * from unnest($1::text[], $2::text[])`, [keys, strata]);
    const sizes = { A: 30, B: 60, 'C|张家村街道': 600, 'C|长安路街道': 0, D: 1 };
    const r = canonicalRoster(keys.map((key, i) => ({ key, stratum: strata[i]! })));
    if (!r.ok) throw new Error(r.error.message);
    for (const seed of ['00'.repeat(32), 'c0ffee'.padEnd(64, '1')]) {
      const core = selectByTickets(r.value, seed, sizes);
      if (!core.ok) throw new Error(core.error.message);
      const sql = await drawSelectionInSql(db, { relation: table }, seed, sizes);
      expect(sql).toEqual(core.value);
    }
    await db.query(`drop table ${table}`);
  });
});
