/**
 * import-1m: a 1,000,000-row entity CSV (generated deterministically into a temp file) imported
 * with dry run + commit in one pass (`runImport(..., commit: true)`, what `choucha import entities
 * FILE --commit` does): parse, validate, COPY into a staging table, INSERT … SELECT / UPDATE … FROM.
 * Embedded PGlite always; PostgreSQL when BENCH_DATABASE_URL or DATABASE_URL is set.
 * Targets: PostgreSQL ≤ 30 s, embedded ≤ 90 s, peak RSS ≤ 1 GiB.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { completeRegNo, completeUscc } from '@choucha/core';

const log = (s: string) => process.stderr.write(`${s}\n`);
const out = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const NAME_CHARS =
  '华信达通盛兴隆昌泰丰源恒瑞祥和安康宏远鑫鼎诚德明辉金银福嘉佳美新天宇汇聚海云山川秦唐长乐永宁博雅星光正大鸿运晨阳宝利'.split(
    '',
  );
export const TRADES = [
  '餐饮',
  '商贸',
  '科技',
  '培训',
  '建材',
  '服装',
  '医药',
  '食品',
  '物流',
  '文化',
  '旅游',
  '电子',
];
const TYPES = ['有限责任公司', '个体工商户', '股份有限公司', '农民专业合作社', '个人独资企业'];
const STREETS = [
  '张家村街道',
  '柏树林街道',
  '南院门街道',
  '长乐坊街道',
  '东关南街街道',
  '太乙路街道',
  '文艺路街道',
  '长安路街道',
];

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** i in 9 characters of the USCC alphabet: distinct i, distinct codes. */
function base31(i: number): string {
  let s = '';
  for (let k = 0; k < 9; k++) {
    s = USCC_CHARS[i % 31]! + s;
    i = Math.floor(i / 31);
  }
  return s;
}

export interface BenchEntity {
  name: string;
  uscc: string | null;
  regNo: string | null;
  entityType: string;
  street: string;
}

export function benchEntity(i: number, rnd: () => number): BenchEntity {
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)] as T;
  const trade = pick(TRADES);
  const name = `西安市碑林区${pick(NAME_CHARS)}${pick(NAME_CHARS)}${pick(NAME_CHARS)}${trade}${i % 7 === 0 ? '店' : '有限公司'}${i}`;
  const r = rnd();
  const uscc = r < 0.7 ? completeUscc(`91610103${base31(i)}`) : null;
  const regNo = uscc === null ? completeRegNo(`610103${String(i).padStart(8, '0')}`) : null;
  return { name, uscc, regNo, entityType: pick(TYPES), street: pick(STREETS) };
}

/** Writes the CSV (UTF-8, Chinese headers; 1% codes damaged by Excel) and returns its path. */
export function writeBenchCsv(n: number, file: string): string {
  const rnd = prng(20260301);
  const fd = fs.openSync(file, 'w');
  let buf = '企业名称,统一社会信用代码,注册号,主体类型,所属街道,住所,法定代表人,成立日期,登记状态,联系电话\n';
  for (let i = 0; i < n; i++) {
    const e = benchEntity(i, rnd);
    const damaged = i % 100 === 42;
    const code = damaged ? '9.16101E+17' : (e.uscc ?? '');
    buf += `${e.name},${code},${e.regNo ?? ''},${e.entityType},${e.street},碑林区${e.street}${i % 500}号,张${NAME_CHARS[i % NAME_CHARS.length]},2019-03-05,存续,029-8765${String(i % 10000).padStart(4, '0')}\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
  return file;
}

async function main() {
  const { openDatabase } = await import('@choucha/db');
  const { makeServices, runImport, SYSTEM } = await import('@choucha/services');
  const N = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-bench-import-'));
  const csv = writeBenchCsv(N, path.join(tmp, 'entities.csv'));
  log(`import-1m: CSV ${(fs.statSync(csv).size / 1e6).toFixed(0)} MB`);
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const urls: [string, string | undefined][] = [['embedded', undefined]];
  const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (pgUrl) urls.unshift(['postgres', pgUrl]);
  try {
    for (const [db, url] of urls) {
      let databaseUrl = url;
      let dropDb: (() => Promise<void>) | undefined;
      if (url) {
        const pg = (await import('pg')).default;
        const name = `bench_import_${process.pid}`;
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`drop database if exists ${name}`);
        await admin.query(`create database ${name}`);
        await admin.end();
        const u = new URL(url);
        u.pathname = `/${name}`;
        databaseUrl = u.toString();
        dropDb = async () => {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          await c.query(`drop database if exists ${name} with (force)`);
          await c.end();
        };
      }
      const dataDir = path.join(tmp, `data-${db}`);
      const database = await openDatabase({ databaseUrl, dataDir, command: 'bench import' });
      const svc = makeServices(database);
      (globalThis as { gc?: () => void }).gc?.();
      peak = process.memoryUsage().rss;
      const t0 = process.hrtime.bigint();
      const r = await runImport(svc, SYSTEM, {
        kind: 'entities',
        fileName: 'entities.csv',
        path: csv,
        commit: true,
        onProgress: (done) => {
          if (done % 200_000 === 0) log(`  ${db}: ${done} rows`);
        },
      });
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      peak = Math.max(peak, process.memoryUsage().rss);
      const [cnt] = await database.query<{ n: number }>('select count(*)::int as n from entities');
      out({
        bench: 'import-1m',
        db,
        seconds: Math.round(seconds * 100) / 100,
        peakRssMiB: Math.round(peak / 2 ** 20),
        rows: r.counts.rows,
        created: r.counts.created ?? null,
        entities: cnt?.n ?? null,
        targetSeconds: db === 'postgres' ? 30 : 90,
      });
      await database.close();
      await dropDb?.();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  } finally {
    clearInterval(timer);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
