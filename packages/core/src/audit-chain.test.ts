import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AUDIT_GENESIS, auditHashInput, verifyChain, type AuditEventBody } from './audit-chain.ts';

const h = (s: string) => createHash('sha256').update(s).digest('hex');

function build(bodies: Omit<AuditEventBody, 'seq'>[]) {
  let prev = AUDIT_GENESIS;
  return bodies.map((b, i) => {
    const body = { ...b, seq: i + 1 };
    const hash = h(auditHashInput(prev, body));
    const e = { ...body, prevHash: prev, hash };
    prev = hash;
    return e;
  });
}

const bodyArb = fc.record({
  at: fc.constant('2026-11-27T10:00:00.000Z'),
  actorId: fc.option(fc.nat(), { nil: null }),
  actorName: fc.string(),
  action: fc.constantFrom('task.create', 'draw.commit', 'result.publish'),
  subjectType: fc.constant('task'),
  subjectId: fc.option(fc.string(), { nil: null }),
  departmentId: fc.option(fc.nat(), { nil: null }),
  before: fc.constant(null),
  after: fc.jsonValue(),
});

describe('audit chain', () => {
  it('verifies an intact chain and finds the first edited, deleted or reordered event', () => {
    fc.assert(
      fc.property(fc.array(bodyArb, { minLength: 3, maxLength: 12 }), fc.nat(), (bodies, pick) => {
        const chain = build(bodies);
        expect(verifyChain(chain, h)).toMatchObject({ ok: true, checked: chain.length });
        const i = pick % chain.length;
        const edited = chain.map((e, j) => (j === i ? { ...e, actorName: `${e.actorName}x` } : e));
        expect(verifyChain(edited, h)).toMatchObject({ ok: false, firstBad: { seq: i + 1 } });
        const deleted = chain.filter((_, j) => j !== i);
        if (i < chain.length - 1)
          expect(verifyChain(deleted, h)).toMatchObject({ ok: false, firstBad: { seq: i + 1 } });
        if (i < chain.length - 1) {
          const swapped = [...chain];
          [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
          expect(verifyChain(swapped, h).ok).toBe(false);
        }
      }),
    );
  });
});
