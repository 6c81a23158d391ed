import { createHash } from 'node:crypto';
import { and, asc, count, desc, eq, gt, ilike, sql, type SQL } from 'drizzle-orm';
import {
  AppError,
  AUDIT_GENESIS,
  AuditChainVerifier,
  auditHashInput,
  storableJson,
  storableText,
  type AnchorStatus,
  type AuditAnchor,
  type AuditEventBody,
  type ChainProblem,
} from '@choucha/core';
import { auditCheckpoints, auditEvents, type Db, type Executor, type Tx } from '@choucha/db';
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

/** The hashed fields of a stored row. */
function bodyOf(row: typeof auditEvents.$inferSelect): AuditEventBody {
  return {
    seq: row.seq,
    at: row.at,
    actorId: row.actorId,
    actorName: row.actorName,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    departmentId: row.departmentId,
    before: row.before,
    after: row.after,
  };
}

// The chain head as seen inside a transaction that holds the chain lock (so it cannot move under it).
const headInTx = new WeakMap<object, { seq: number; hash: string }>();

/**
 * The head of the chain inside `tx`, taking the transaction-scoped chain lock first: no event can
 * be appended by anyone else until `tx` ends. { seq: 0, hash: genesis } for an empty log.
 */
export async function lockedChainHead(tx: Executor): Promise<{ seq: number; hash: string }> {
  const known = headInTx.get(tx);
  if (known) return known;
  await tx.execute(sql`select pg_advisory_xact_lock(7215001)`);
  const [row] = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  const head = row ?? { seq: 0, hash: AUDIT_GENESIS };
  headInTx.set(tx, head);
  return head;
}

/**
 * Append an event to the hash chain inside the caller's transaction. A transaction-scoped advisory
 * lock serialises writers, so seq stays dense and each event links to the one before it.
 *
 * Every value is first made what PostgreSQL stores (storableText / storableJson: no NUL, no lone
 * surrogate, JSON only), and that is both hashed and stored; the row the insert returns is hashed
 * once more, so an event the database would keep differently from what was hashed is refused
 * (the transaction rolls back) instead of breaking the chain for good.
 */
export async function recordEvent(
  tx: Executor,
  svc: Services,
  actor: Actor,
  input: AuditInput,
): Promise<void> {
  const last = await lockedChainHead(tx);
  const body: AuditEventBody = {
    seq: last.seq + 1,
    at: storableText(svc.clock().toISOString()),
    actorId: actor.kind === 'user' ? actor.id : null,
    actorName: storableText(actorName(actor)),
    action: storableText(input.action),
    subjectType: storableText(input.subjectType),
    subjectId:
      input.subjectId === undefined || input.subjectId === null
        ? null
        : storableText(String(input.subjectId)),
    departmentId: input.departmentId ?? null,
    before: storableJson(input.before),
    after: storableJson(input.after),
  };
  const prevHash = last.hash;
  const hash = sha256Hex(auditHashInput(prevHash, body));
  const [row] = await tx
    .insert(auditEvents)
    .values({ ...body, prevHash, hash })
    .returning();
  if (!row || sha256Hex(auditHashInput(row.prevHash, bodyOf(row))) !== hash) {
    throw new AppError(
      'AUDIT_CHAIN_BROKEN',
      'The database would keep this audit event differently from what was hashed; nothing was saved',
      { seq: body.seq, action: body.action },
    );
  }
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

/** An anchor to check: given by the caller (`--anchor SEQ:HASH`), or a stored checkpoint. */
export interface VerifyAnchor extends AuditAnchor {
  source: 'given' | 'checkpoint';
  reason: string | null;
  reference: string | null;
  createdAt: string | null;
}

export interface AnchorResult extends VerifyAnchor {
  status: AnchorStatus;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string } | null;
  /** Every problem, in order (up to maxProblems; problemCount counts them all). */
  problems: ChainProblem[];
  problemCount: number;
  /** The first problem (kept for callers of the first version). */
  firstBad: { seq: number; code: string; problem: string } | null;
  /** The anchors given by the caller, each with its status. */
  anchors: AnchorResult[];
  /** The stored checkpoints: how many were checked, and those that failed. */
  checkpoints: { checked: number; failed: AnchorResult[] };
}

export async function verifyAudit(
  svc: Services,
  actor: Actor,
  opts: { anchors?: readonly AuditAnchor[]; maxProblems?: number } = {},
) {
  authorize(actor, 'audit.read');
  return verifyAuditChainAll(svc, { maxProblems: 1000, ...opts });
}

/**
 * Verify the whole chain, reading it in pages so a long log does not sit in memory, together with
 * every stored checkpoint and the anchors given. Lists every problem; `onProblem` sees each one as
 * it is found (also those beyond `maxProblems`).
 */
export async function verifyAuditChainAll(
  svc: Services,
  opts: {
    anchors?: readonly AuditAnchor[];
    /** Also check the stored checkpoints (default true). */
    checkpoints?: boolean;
    maxProblems?: number;
    onProblem?: (p: ChainProblem) => void;
  } = {},
): Promise<AuditVerification> {
  const db = svc.database.db;
  const given: VerifyAnchor[] = (opts.anchors ?? []).map((a) => ({
    seq: a.seq,
    hash: a.hash.toLowerCase(),
    source: 'given',
    reason: null,
    reference: null,
    createdAt: null,
  }));
  const stored: VerifyAnchor[] =
    opts.checkpoints === false
      ? []
      : (await db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.id))).map((c) => ({
          seq: c.seq,
          hash: c.hash,
          source: 'checkpoint',
          reason: c.reason,
          reference: c.reference,
          createdAt: c.createdAt.toISOString(),
        }));
  const verifier = new AuditChainVerifier<VerifyAnchor>(sha256Hex, {
    anchors: [...given, ...stored],
    ...(opts.maxProblems === undefined ? {} : { maxProblems: opts.maxProblems }),
    ...(opts.onProblem ? { onProblem: opts.onProblem } : {}),
  });
  const PAGE = 5000;
  let after = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, after))
      .orderBy(asc(auditEvents.seq))
      .limit(PAGE);
    for (const r of rows) verifier.push(r);
    const lastRow = rows.at(-1);
    if (!lastRow || rows.length < PAGE) break;
    after = lastRow.seq;
  }
  const r = verifier.finish();
  const results: AnchorResult[] = r.anchors.map((a) => ({ ...a.anchor, status: a.status }));
  const first = r.problems[0];
  return {
    ok: r.ok,
    checked: r.checked,
    head: r.head,
    problems: r.problems,
    problemCount: r.problemCount,
    firstBad: first ? { seq: first.seq, code: first.code, problem: first.en } : null,
    anchors: results.filter((a) => a.source === 'given'),
    checkpoints: {
      checked: stored.length,
      failed: results.filter((a) => a.source === 'checkpoint' && a.status !== 'ok'),
    },
  };
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
