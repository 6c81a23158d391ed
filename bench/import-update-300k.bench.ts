/**
 * `import-update-300k`: the monthly re-import of the register into a populated directory. The demo's
 * ~30,000 entities (loaded without history), then a 300,000-row CSV in which every demo entity
 * appears (as its register row: code text as it arrived, damaged codes included), 10 % of those rows
 * changed (status, address, phone, legal representative), and ~270,000 new entities. Dry run + commit
 * in one pass (`runImport(..., commit: true)`, what `choucha import entities FILE --commit` does).
 *
 * While it runs, the event loop is watched (perf_hooks monitorEventLoopDelay, 10 ms resolution) and a
 * 20 ms timer stands in for the server's other requests: the longest block and the slowest timer
 * turn are printed (a server answers other requests only between turns).
 *
 * Embedded PGlite always; PostgreSQL when BENCH_DATABASE_URL (or DATABASE_URL) is set.
 * Target: embedded ≤ 20 s. BENCH_ROWS changes the file's size (default 300,000).
 * BENCH_SECOND=1 also re-imports the same file into the now 300,000-entity directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { benchEntity, prng } from './import.bench.ts';

const log = (s: string) => process.stderr.write(`${s}\n`);
const out = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

function cell(v: string | null | undefined): string {
  const s = v ?? '';
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const HEADER =
  '企业名称,统一社会信用代码,注册号,主体类型,所属街道,住所,法定代表人,成立日期,登记状态,联系电话\n';

/** Writes the file; returns its path and how many demo rows it changed. */
async function writeUpdateCsv(file: string, rows: number): Promise<{ changed: number; demo: number }> {
  const { generateDistrict } = await import('@choucha/demo');
  const d = generateDistrict();
  const fd = fs.openSync(file, 'w');
  let buf = HEADER;
  const flush = (force = false) => {
    if (force || buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  };
  let changed = 0;
  d.entities.forEach((e, i) => {
    const change = i % 10 === 3; // 10 % of the demo's rows
    if (change) changed++;
    buf += `${[
      cell(e.name),
      cell(e.rawCode ?? e.uscc),
      cell(e.regNo),
      cell(e.entityType),
      cell(e.street),
      cell(change ? `${e.address}（新址${i}）` : e.address),
      cell(change && i % 20 === 3 ? '新任甲' : e.legalRep),
      cell(e.establishedOn),
      cell(change && i % 30 === 3 ? '吊销' : e.status),
      cell(change ? `1390000${String(i).padStart(4, '0')}` : e.phone),
    ].join(',')}\n`;
    flush();
  });
  const rnd = prng(20261201);
  const NAME_CHARS = '华信达通盛兴隆昌泰丰源恒瑞祥和安康宏远鑫鼎诚德明辉金银福嘉佳美新天宇汇聚海云山川';
  for (let i = d.entities.length; i < rows; i++) {
    // offset the generator so the new codes do not meet the demo's
    const e = benchEntity(5_000_000 + i, rnd);
    const code = i % 100 === 42 ? '9.16101E+17' : (e.uscc ?? '');
    buf += `${e.name}新,${code},${e.regNo ?? ''},${e.entityType},${e.street},碑林区${e.street}${i % 500}号,张${NAME_CHARS[i % NAME_CHARS.length]},2019-03-05,存续,029-8765${String(i % 10000).padStart(4, '0')}\n`;
    flush();
  }
  flush(true);
  fs.closeSync(fd);
  return { changed, demo: d.entities.length };
}

async function freshPostgres(url: string) {
  const pg = (await import('pg')).default;
  const name = `bench_update_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
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

async function main() {
  const { openDatabase } = await import('@choucha/db');
  const { loadDemo, makeServices, runImport, SYSTEM } = await import('@choucha/services');
  const N = Number(process.env.BENCH_ROWS ?? 300_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-bench-update-'));
  const csv = path.join(tmp, 'register.csv');
  const { changed, demo } = await writeUpdateCsv(csv, N);
  log(
    `import-update-300k: CSV ${(fs.statSync(csv).size / 1e6).toFixed(0)} MB, ${demo} demo rows (${changed} changed)`,
  );
  const kinds: ('embedded' | 'postgres')[] = ['embedded'];
  const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (pgUrl) kinds.unshift('postgres');
  try {
    for (const db of kinds) {
      const fresh = db === 'postgres' ? await freshPostgres(pgUrl as string) : undefined;
      const dataDir = path.join(tmp, `data-${db}`);
      const database = await openDatabase(
        fresh
          ? { databaseUrl: fresh.url, command: 'bench import-update' }
          : { dataDir, command: 'bench import-update' },
      );
      try {
        const svc = makeServices(database);
        let t = performance.now();
        await loadDemo(svc, { history: false });
        log(`  ${db}: demo loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
        const runs = process.env.BENCH_SECOND ? ['update-300k', 'update-again'] : ['update-300k'];
        for (const run of runs) {
          const [before] = await database.query<{ n: number }>('select count(*)::int as n from entities');
          (globalThis as { gc?: () => void }).gc?.();
          const h = monitorEventLoopDelay({ resolution: 10 });
          let lastTick = performance.now();
          let slowestTick = 0;
          const ticker = setInterval(() => {
            const now = performance.now();
            slowestTick = Math.max(slowestTick, now - lastTick);
            lastTick = now;
          }, 20);
          h.enable();
          t = performance.now();
          const r = await runImport(svc, SYSTEM, {
            kind: 'entities',
            fileName: 'register.csv',
            path: csv,
            commit: true,
          });
          const seconds = (performance.now() - t) / 1000;
          h.disable();
          clearInterval(ticker);
          const [after] = await database.query<{ n: number }>('select count(*)::int as n from entities');
          out({
            bench: 'import-update-300k',
            run,
            db,
            seconds: Math.round(seconds * 100) / 100,
            rows: r.counts.rows,
            created: r.counts.created ?? null,
            updated: r.counts.updated ?? null,
            entitiesBefore: before?.n ?? null,
            entitiesAfter: after?.n ?? null,
            maxEventLoopBlockMs: Math.round(h.max / 1e6),
            p99EventLoopDelayMs: Math.round(h.percentile(99) / 1e6),
            slowestTimerTurnMs: Math.round(slowestTick),
            targetSeconds: db === 'embedded' ? 20 : null,
          });
        }
      } finally {
        await database.close();
        await fresh?.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
