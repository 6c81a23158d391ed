/**
 * audit: appending events (one transaction each, through `inTransaction`: storable values, insert,
 * the row read back and hashed again) and verifying a long log (`verifyAuditChainAll`, paged, with
 * every stored checkpoint). BENCH_APPEND events (default 2,000) are appended, then the log is grown
 * with COPY to BENCH_EVENTS (default 200,000) valid events and verified. Embedded, and PostgreSQL
 * when BENCH_DATABASE_URL (or DATABASE_URL) is set.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AUDIT_GENESIS, auditHashInput, type AuditEventBody } from '@choucha/core';
import { copyRows, openDatabase, type CopyValue, type Database } from '@choucha/db';
import {
  ensureCheckpoint,
  inTransaction,
  makeServices,
  sha256Hex,
  SYSTEM,
  verifyAuditChainAll,
} from '@choucha/services';

const APPEND = Number(process.env.BENCH_APPEND ?? 2000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const log = (s: string) => process.stderr.write(`${s}\n`);
const out = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

async function run(db: string, database: Database) {
  const svc = makeServices(database);
  let t = performance.now();
  for (let i = 0; i < APPEND; i++) {
    await inTransaction(svc, SYSTEM, (_tx, audit) =>
      audit({
        action: 'bench.append',
        subjectType: 'bench',
        subjectId: i,
        after: { i, name: `检查对象${i}`, list: [1, 2, 3], nested: { ok: true } },
      }),
    );
  }
  const appendMs = performance.now() - t;
  log(`${db}: appended ${APPEND} events in ${appendMs.toFixed(0)} ms`);
  // grow the log with valid events
  const [head] = await database.query<{ seq: number | string; hash: string }>(
    'select seq, hash from audit_events order by seq desc limit 1',
  );
  let prev = head?.hash ?? AUDIT_GENESIS;
  let seq = Number(head?.seq ?? 0);
  const cols = [
    'seq',
    'at',
    'actor_id',
    'actor_name',
    'action',
    'subject_type',
    'subject_id',
    'department_id',
    'before',
    'after',
    'prev_hash',
    'hash',
  ];
  await database.db.transaction(async (tx) => {
    while (seq < EVENTS) {
      const rows: CopyValue[][] = [];
      for (let k = 0; k < 20_000 && seq < EVENTS; k++) {
        seq++;
        const body: AuditEventBody = {
          seq,
          at: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
          actorId: null,
          actorName: 'system',
          action: 'bench.copy',
          subjectType: 'bench',
          subjectId: String(seq),
          departmentId: null,
          before: null,
          after: { seq, name: `检查对象${seq}` },
        };
        const hash = sha256Hex(auditHashInput(prev, body));
        rows.push([
          seq,
          body.at,
          null,
          body.actorName,
          body.action,
          body.subjectType,
          body.subjectId,
          null,
          null,
          JSON.stringify(body.after),
          prev,
          hash,
        ]);
        prev = hash;
      }
      await copyRows(database, tx, 'audit_events', cols, rows);
    }
  });
  await ensureCheckpoint(svc, { reason: 'start' });
  t = performance.now();
  const r = await verifyAuditChainAll(svc);
  const verifyMs = performance.now() - t;
  if (!r.ok || r.checked !== EVENTS) throw new Error(`verify: ${JSON.stringify(r.problems.slice(0, 3))}`);
  out({
    bench: 'audit',
    db,
    appendEvents: APPEND,
    appendMsPerEvent: Number((appendMs / APPEND).toFixed(2)),
    verifyEvents: r.checked,
    verifyMs: Math.round(verifyMs),
    verifyEventsPerSecond: Math.round(r.checked / (verifyMs / 1000)),
  });
}

const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (pgUrl) {
  const pg = (await import('pg')).default;
  const name = `bench_audit_${process.pid}`;
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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-bench-audit-'));
  const database = await openDatabase({ dataDir: dir, command: 'bench audit' });
  try {
    await run('embedded', database);
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
