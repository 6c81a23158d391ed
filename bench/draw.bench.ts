/**
 * draw-1m: 1,000,000 entities in 4 strata, 10% sample (selectByTickets on a canonical roster);
 * sha256-1m: the floor, raw node:crypto SHA-256 over the same keys (the faster of crypto.hash and
 * createHash); verify-1m: verifyBundle on a bundle of the same roster; draw-sql-1m: the same
 * selection inside PostgreSQL (BENCH_DATABASE_URL / DATABASE_URL) or embedded PGlite.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  buildCommitment,
  canonicalRoster,
  runDraw,
  selectByTickets,
  verifyBundle,
  type RosterEntry,
} from '@choucha/core';
import { openDatabase } from '@choucha/db';
import { drawSelectionInSql as direct } from '../packages/db/src/draw-sql.ts';

const N = 1_000_000;
const log = (s: string) => process.stderr.write(`${s}\n`);
const out = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

const entries: RosterEntry[] = [];
for (let i = 0; i < N; i++)
  entries.push({ key: `91610103MA${String(i).padStart(8, '0')}`, stratum: ['A', 'B', 'C', 'D'][i % 4]! });
let t = process.hrtime.bigint();
const roster = canonicalRoster(entries);
if (!roster.ok) throw new Error(roster.error.message);
const rosterMs = ms(t);
const sizes = { A: 25_000, B: 25_000, C: 25_000, D: 25_000 };
const seed = 'ab'.repeat(32);
const keys = roster.value.keys;

type OneShot = (a: string, d: string, e: 'buffer') => Buffer;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;
function floorCreateHash() {
  let x = 0;
  for (let i = 0; i < keys.length; i++) x ^= crypto.createHash('sha256').update(keys[i]!).digest()[0]!;
  return x;
}
function floorOneShot() {
  let x = 0;
  for (let i = 0; i < keys.length; i++) x ^= oneShot!('sha256', keys[i]!, 'buffer')[0]!;
  return x;
}
const canonical = roster.value;
function draw() {
  const r = selectByTickets(canonical, seed, sizes);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.length;
}
// Warm up, then best of 3 for each, interleaved.
draw();
floorCreateHash();
if (oneShot) floorOneShot();
const best = { draw: Infinity, createHash: Infinity, oneShot: Infinity };
for (let rep = 0; rep < 3; rep++) {
  (globalThis as { gc?: () => void }).gc?.();
  t = process.hrtime.bigint();
  floorCreateHash();
  best.createHash = Math.min(best.createHash, ms(t));
  if (oneShot) {
    (globalThis as { gc?: () => void }).gc?.();
    t = process.hrtime.bigint();
    floorOneShot();
    best.oneShot = Math.min(best.oneShot, ms(t));
  }
  (globalThis as { gc?: () => void }).gc?.();
  t = process.hrtime.bigint();
  draw();
  best.draw = Math.min(best.draw, ms(t));
  log(
    `rep ${rep}: draw ${best.draw.toFixed(0)} ms, createHash ${best.createHash.toFixed(0)} ms, crypto.hash ${best.oneShot.toFixed(0)} ms`,
  );
}
const floor = Math.min(best.createHash, best.oneShot);
out({
  bench: 'sha256-1m',
  ms: Math.round(floor),
  createHashMs: Math.round(best.createHash),
  cryptoHashMs: Number.isFinite(best.oneShot) ? Math.round(best.oneShot) : null,
  n: N,
});
out({
  bench: 'draw-1m',
  ms: Math.round(best.draw),
  n: N,
  strata: 4,
  sample: 100_000,
  ratioToFloor: +(best.draw / floor).toFixed(3),
  target: 1.3,
  pass: best.draw / floor <= 1.3,
  canonicalRosterMs: Math.round(rosterMs),
});

// verify-1m: a bundle over the same roster (dice seed), matching 100,000 targets to 800 inspectors.
const inspectors = Array.from({ length: 800 }, (_, i) => ({
  id: `I${String(i).padStart(4, '0')}`,
  department: 'SAMR',
  fields: [],
  certificate: { from: '2020-01-01', to: '2030-12-31' },
  unavailable: [],
  load: 0,
}));
const c = buildCommitment({
  task: { id: 'bench', name: 'bench' },
  items: [{ id: 'item', department: 'SAMR', field: null }],
  roster: roster.value,
  strata: [
    { label: 'A', ratio: '0.1' },
    { label: 'B', ratio: '0.1' },
    { label: 'C', ratio: '0.1' },
    { label: 'D', ratio: '0.1' },
  ],
  matching: {
    inspection: { from: '2024-05-06', to: '2024-05-17' },
    rules: { teamSize: 2, maxLoad: null, avoidPrevious: false },
    inspectors,
    recusals: [],
    previous: [],
  },
  seedSource: { dice: { minDigits: 20 }, drand: null },
});
if (!c.ok) throw new Error(c.error.message);
const b = runDraw(c.value, { dice: '12345678901234567890', beacon: null });
if (!b.ok) throw new Error(b.error.message);
t = process.hrtime.bigint();
const v = verifyBundle(b.value);
const verifyMs = ms(t);
if (!v.ok) throw new Error(v.error.message);
out({
  bench: 'verify-1m',
  ms: Math.round(verifyMs),
  n: N,
  selected: v.value.selected,
  includes: 'commitment hash, roster parse+root, strata, seed, selection, matching',
});

// draw-sql-1m
const url = process.env['BENCH_DATABASE_URL'] ?? process.env['DATABASE_URL'];
const dir = url ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-bench-draw-'));
const db = await openDatabase(url ? { databaseUrl: url, migrate: false } : { dataDir: dir, migrate: false });
try {
  const table = `bench_roster_${process.pid}`;
  await db.query(`create temp table ${table} (key text primary key, stratum text not null)`);
  for (let i = 0; i < N; i += 100_000)
    await db.query(`insert into ${table} select * from unnest($1::text[], $2::text[])`, [
      keys.slice(i, i + 100_000),
      roster.value.strata.slice(i, i + 100_000),
    ]);
  await db.query(`analyze ${table}`);
  await direct(db, { relation: table }, seed, sizes); // warm-up
  t = process.hrtime.bigint();
  const sql = await direct(db, { relation: table }, seed, sizes);
  const sqlMs = ms(t);
  const same =
    JSON.stringify(sql) ===
    JSON.stringify((selectByTickets(roster.value, seed, sizes) as { value: unknown }).value);
  out({
    bench: 'draw-sql-1m',
    ms: Math.round(sqlMs),
    n: N,
    database: db.kind,
    note: url ? undefined : 'embedded PGlite (no BENCH_DATABASE_URL/DATABASE_URL set)',
    identicalToCore: same,
    target: 3000,
    pass: sqlMs <= 3000,
  });
} finally {
  await db.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
