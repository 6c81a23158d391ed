/**
 * search-2char-1m: two-character Chinese name search over 1,000,000 entities (loaded with COPY),
 * through the service (`searchEntities`: a page of 20 plus the capped total), ~200 queries mixing
 * rare, common and very common two-character pieces. PostgreSQL (BENCH_DATABASE_URL or
 * DATABASE_URL): p50 ≤ 20 ms, p99 ≤ 100 ms; the embedded figure is reported too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bigrams } from '@choucha/core';
import { copyRows, openDatabase, type CopyValue, type Database } from '@choucha/db';
import { makeServices, searchEntities, SYSTEM } from '@choucha/services';
import { benchEntity, NAME_CHARS, prng, TRADES } from './import.bench.ts';

const N = Number(process.env.BENCH_ROWS ?? 1_000_000);
const log = (s: string) => process.stderr.write(`${s}\n`);
const out = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

async function load(database: Database) {
  const rnd = prng(20260301);
  const cols = ['uscc', 'reg_no', 'code_status', 'name', 'name_bigrams', 'entity_type', 'street', 'status'];
  await database.db.transaction(async (tx) => {
    for (let start = 0; start < N; start += 50_000) {
      const rows: CopyValue[][] = [];
      for (let i = start; i < Math.min(N, start + 50_000); i++) {
        const e = benchEntity(i, rnd);
        rows.push([
          e.uscc,
          e.regNo,
          e.uscc ? 'valid' : 'reg_no_only',
          e.name,
          bigrams(e.name),
          e.entityType,
          e.street,
          '存续',
        ]);
      }
      await copyRows(database, tx, 'entities', cols, rows);
    }
  });
  await database.query('analyze entities');
}

function queries(): string[] {
  const rnd = prng(7);
  const q: string[] = [];
  // rare: two name characters (≈ 0.1% of names each)
  while (q.length < 150) {
    const a = NAME_CHARS[Math.floor(rnd() * NAME_CHARS.length)]!;
    const b = NAME_CHARS[Math.floor(rnd() * NAME_CHARS.length)]!;
    q.push(a + b);
  }
  // common: a trade (≈ 8% of names each)
  for (let i = 0; i < 40; i++) q.push(TRADES[i % TRADES.length]!);
  // very common: in (nearly) every name
  for (const s of ['碑林', '有限', '公司', '西安', '林区', '市碑', '限公', '安市', '区华', '店1']) q.push(s);
  return q;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function run(db: 'postgres' | 'embedded', database: Database) {
  const t0 = Date.now();
  await load(database);
  log(`search-2char-1m: ${db}: loaded ${N} entities in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const svc = makeServices(database);
  const qs = queries();
  for (const q of qs.slice(0, 20)) await searchEntities(svc, SYSTEM, { page: 1, pageSize: 20, q }); // warm-up
  const ms: number[] = [];
  let hits = 0;
  for (const q of qs) {
    const t = process.hrtime.bigint();
    const r = await searchEntities(svc, SYSTEM, { page: 1, pageSize: 20, q });
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    hits += r.items.length;
  }
  out({
    bench: 'search-2char-1m',
    db,
    entities: N,
    queries: qs.length,
    p50ms: Math.round(pct(ms, 50) * 10) / 10,
    p99ms: Math.round(pct(ms, 99) * 10) / 10,
    maxms: Math.round(Math.max(...ms) * 10) / 10,
    rowsReturned: hits,
    ...(db === 'postgres' ? { targetP50ms: 20, targetP99ms: 100 } : {}),
  });
}

const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (pgUrl) {
  const pg = (await import('pg')).default;
  const name = `bench_search_${process.pid}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: u.toString() });
  try {
    await run('postgres', database);
  } finally {
    await database.close();
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
}
if (process.env.BENCH_SKIP_EMBEDDED !== '1') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-bench-search-'));
  const database = await openDatabase({ dataDir: dir, command: 'bench search' });
  try {
    await run('embedded', database);
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
