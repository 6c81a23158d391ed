import { canonicalJson } from './canonical.ts';

/** The fields of an audit event that its hash covers. */
export interface AuditEventBody {
  seq: number;
  at: string;
  actorId: number | null;
  actorName: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  departmentId: number | null;
  before: unknown;
  after: unknown;
}

export const AUDIT_GENESIS = '0'.repeat(64);

/** The string hashed for one event: the previous hash, then the canonical JSON of the body. */
export function auditHashInput(prevHash: string, body: AuditEventBody): string {
  return `choucha-audit-v1\n${prevHash}\n${canonicalJson(body)}`;
}

export type ChainProblem = { seq: number; problem: string };

/**
 * Walk a chain in seq order. `hash` is injected (the core does no I/O and picks no library).
 * Reports the first event that was edited, deleted (gap), or reordered.
 */
export function verifyChain(
  events: Iterable<AuditEventBody & { prevHash: string; hash: string }>,
  hash: (input: string) => string,
  start: { seq: number; hash: string } = { seq: 0, hash: AUDIT_GENESIS },
):
  | { ok: true; checked: number; last: { seq: number; hash: string } }
  | { ok: false; checked: number; firstBad: ChainProblem } {
  let prev = start;
  let checked = 0;
  for (const e of events) {
    if (e.seq !== prev.seq + 1) {
      return {
        ok: false,
        checked,
        firstBad: {
          seq: prev.seq + 1,
          problem:
            e.seq > prev.seq + 1
              ? `event ${prev.seq + 1} is missing (deleted): the next event is ${e.seq}`
              : `event ${e.seq} is out of order after ${prev.seq}`,
        },
      };
    }
    if (e.prevHash !== prev.hash) {
      return {
        ok: false,
        checked,
        firstBad: {
          seq: e.seq,
          problem: `event ${e.seq} does not link to event ${prev.seq} (reordered or replaced)`,
        },
      };
    }
    const { prevHash: _p, hash: stored, ...body } = e;
    const expected = hash(auditHashInput(prev.hash, body));
    if (expected !== stored) {
      return {
        ok: false,
        checked,
        firstBad: { seq: e.seq, problem: `event ${e.seq} was edited: its hash does not match its content` },
      };
    }
    prev = { seq: e.seq, hash: stored };
    checked++;
  }
  return { ok: true, checked, last: prev };
}
