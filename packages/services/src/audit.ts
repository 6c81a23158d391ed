import { createHash } from 'node:crypto';
import { and, asc, count, desc, eq, gt, ilike, sql, type SQL } from 'drizzle-orm';
import { AUDIT_GENESIS, auditHashInput, verifyChain, type AuditEventBody } from '@choucha/core';
import { auditEvents, type Db, type Executor, type Tx } from '@choucha/db';
import { actorName, type Actor, type Services } from './context.ts';
import { authorize } from './access.ts';

export interface AuditInput {
  action: string;
  subjectType: string;
  subjectId?: string | number | null;
  departmentId?: number | null;
  before?: unknown;
  after?: unknown;
}

export const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');

/** jsonb keeps only JSON: make the values we hash exactly what the database will give back. */
function jsonRoundTrip(v: unknown): unknown {
  return v === undefined ? null : (JSON.parse(JSON.stringify(v)) as unknown);
}

/**
 * Append an event to the hash chain inside the caller's transaction. A transaction-scoped advisory
 * lock serialises writers, so seq stays dense and each event links to the one before it.
 */
// The chain head as seen inside a transaction that holds the chain lock (so it cannot move under it).
const headInTx = new WeakMap<object, { seq: number; hash: string }>();

export async function recordEvent(
  tx: Executor,
  svc: Services,
  actor: Actor,
  input: AuditInput,
): Promise<void> {
  let last = headInTx.get(tx);
  if (!last) {
    await tx.execute(sql`select pg_advisory_xact_lock(7215001)`);
    const [row] = await tx
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    last = row ?? { seq: 0, hash: AUDIT_GENESIS };
  }
  const body: AuditEventBody = {
    seq: last.seq + 1,
    at: svc.clock().toISOString(),
    actorId: actor.kind === 'user' ? actor.id : null,
    actorName: actorName(actor),
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId === undefined || input.subjectId === null ? null : String(input.subjectId),
    departmentId: input.departmentId ?? null,
    before: jsonRoundTrip(input.before),
    after: jsonRoundTrip(input.after),
  };
  const prevHash = last.hash;
  const hash = sha256Hex(auditHashInput(prevHash, body));
  await tx.insert(auditEvents).values({ ...body, prevHash, hash });
  headInTx.set(tx, { seq: body.seq, hash });
}

/** Run `fn` in one transaction with an `audit` function bound to it. */
export async function inTransaction<T>(
  svc: Services,
  actor: Actor,
  fn: (tx: Tx, audit: (input: AuditInput) => Promise<void>) => Promise<T>,
): Promise<T> {
  return (svc.database.db as Db).transaction(async (tx) =>
    fn(tx, (input) => recordEvent(tx, svc, actor, input)),
  );
}

export async function verifyAudit(svc: Services, actor: Actor) {
  authorize(actor, 'audit.read');
  return verifyAuditChainAll(svc);
}

/** Reads the chain in pages so a long log does not sit in memory. */
export async function verifyAuditChainAll(svc: Services) {
  const db = svc.database.db;
  let start = { seq: 0, hash: AUDIT_GENESIS };
  let checked = 0;
  const PAGE = 5000;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, start.seq))
      .orderBy(asc(auditEvents.seq))
      .limit(PAGE);
    const r = verifyChain(rows, sha256Hex, start);
    if (!r.ok) return { ok: false, checked: checked + r.checked, firstBad: r.firstBad };
    checked += r.checked;
    start = r.last;
    if (rows.length < PAGE) return { ok: true, checked, firstBad: null };
  }
}

export async function listAudit(
  svc: Services,
  actor: Actor,
  q: {
    page: number;
    pageSize: number;
    action?: string | undefined;
    subjectType?: string | undefined;
    actor?: string | undefined;
  },
) {
  authorize(actor, 'audit.read');
  const where: SQL[] = [];
  if (q.action) where.push(ilike(auditEvents.action, `${q.action}%`));
  if (q.subjectType) where.push(eq(auditEvents.subjectType, q.subjectType));
  if (q.actor) where.push(eq(auditEvents.actorName, q.actor));
  const cond = where.length > 0 ? and(...where) : undefined;
  const db = svc.database.db;
  const items = await db
    .select()
    .from(auditEvents)
    .where(cond)
    .orderBy(desc(auditEvents.seq))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [total] = await db.select({ n: count() }).from(auditEvents).where(cond);
  return { items: items.map(({ prevHash: _p, ...e }) => e), total: Number(total?.n ?? 0) };
}
