import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalRoster, selectByTickets } from '@choucha/core';
import { openDatabase, type Database } from './database.ts';
import { drawSelectionInSql, drawSqlTesting } from './draw-sql.ts';

const url = process.env['TEST_DATABASE_URL'];
const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');
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
    await db.query(`create table ${table} (key text primary key, stratum text not null)`);
    await db.query(`insert into ${table} select * from unnest($1::text[], $2::text[])`, [keys, strata]);
    const r = canonicalRoster(keys.map((key, i) => ({ key, stratum: strata[i]! })));
    if (!r.ok) throw new Error(r.error.message);
    // Small, large, all (600 = the whole stratum, 700 > it), none, one; bounds normal, too tight
    // (forcing the re-read of short strata) and loose.
    const sizeSets = [
      { A: 30, B: 60, 'C|张家村街道': 600, 'C|长安路街道': 0, D: 1 },
      { A: 599, B: 700, 'C|张家村街道': 5, 'C|长安路街道': 200, D: 0 },
    ];
    try {
      for (const scale of [1, 0.2, 3])
        for (const sizes of sizeSets)
          for (const seed of ['00'.repeat(32), 'c0ffee'.padEnd(64, '1')]) {
            drawSqlTesting.boundScale = scale;
            const core = selectByTickets(r.value, seed, sizes);
            if (!core.ok) throw new Error(core.error.message);
            const sql = await drawSelectionInSql(db, { relation: table }, seed, sizes);
            expect(sql).toEqual(core.value);
          }
      // A parenthesised query as the relation, with opaque labels as the services use them.
      drawSqlTesting.boundScale = 1;
      const opaque = `(select key, case stratum when 'D' then 'ALL' else 'S' || md5(stratum) end as stratum from ${table} where stratum in ('D', 'A'))`;
      const o = canonicalRoster(
        keys.flatMap((key, i) =>
          strata[i] === 'D'
            ? [{ key, stratum: 'ALL' }]
            : strata[i] === 'A'
              ? [{ key, stratum: `S${md5('A')}` }]
              : [],
        ),
      );
      if (!o.ok) throw new Error(o.error.message);
      const sizes = { ALL: 17, [`S${md5('A')}`]: 100 };
      const core = selectByTickets(o.value, 'ab'.repeat(32), sizes);
      if (!core.ok) throw new Error(core.error.message);
      expect(await drawSelectionInSql(db, { relation: opaque }, 'ab'.repeat(32), sizes)).toEqual(core.value);
    } finally {
      drawSqlTesting.boundScale = 1;
      await db.query(`drop table ${table}`);
    }
  });
});
