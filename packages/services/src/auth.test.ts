/**
 * Login throttling and timing (issue 7, §3): the limit holds under concurrency and across server
 * processes, failures elsewhere cannot lock out a trusted browser, and an unknown user name costs
 * one full scrypt like a known one.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '@choucha/db';
import { isAppError } from '@choucha/core';
import type * as NodeCrypto from 'node:crypto';

// Count scrypt runs (the password checks) without changing what they compute.
const scryptCalls = vi.hoisted(() => ({ n: [] as number[] }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof NodeCrypto>();
  const scrypt = ((...args: unknown[]) => {
    const opts = args[3] as { N?: number };
    scryptCalls.n.push(opts.N ?? 0);
    return (real.scrypt as (...a: unknown[]) => void)(...args);
  }) as typeof real.scrypt;
  return { ...real, default: { ...real, scrypt }, scrypt };
});

const { LOGIN_THROTTLE, login } = await import('./auth.ts');
const { makeServices } = await import('./context.ts');
const { openTestWorld, TEST_PASSWORD } = await import('./testing.ts');
type TestWorld = Awaited<ReturnType<typeof openTestWorld>>;

let w: TestWorld;
beforeAll(async () => {
  w = await openTestWorld({ entities: 0 });
});
afterAll(async () => {
  await w?.cleanup();
});
let clock = Date.parse('2026-03-01T02:00:00Z');
beforeEach(async () => {
  // Each test starts from a clean throttle and a later time.
  await w.database.query('delete from login_throttle');
  clock += 24 * 3600 * 1000;
  w.setNow(new Date(clock).toISOString());
});

function codeOf(r: PromiseSettledResult<unknown>): string {
  if (r.status === 'fulfilled') return 'OK';
  return isAppError(r.reason) ? r.reason.code : String(r.reason);
}
function tally(results: PromiseSettledResult<unknown>[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const r of results) t[codeOf(r)] = (t[codeOf(r)] ?? 0) + 1;
  return t;
}
const attempt = (username: string, password: string, ip: string, deviceToken?: string) =>
  login(w.svc, { username, password, ip, deviceToken }).then(
    (r) => ({ ok: true as const, code: 'OK', r }),
    (e: unknown) => ({ ok: false as const, code: isAppError(e) ? e.code : String(e), e }),
  );

describe('login throttle', () => {
  it('checks at most 5 of 40 concurrent wrong passwords; the rest are AUTH_THROTTLED', async () => {
    const before = scryptCalls.n.length;
    const t0 = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () =>
        login(w.svc, { username: 'admin', password: 'wrong-password', ip: '10.0.0.1' }),
      ),
    );
    const ms = performance.now() - t0;
    const checked = scryptCalls.n.length - before;
    console.log(
      `[login-throttle] ${w.database.kind}: 40 concurrent wrong logins → ${checked} password checks, ` +
        `${tally(results).AUTH_THROTTLED ?? 0} AUTH_THROTTLED, ${ms.toFixed(0)} ms`,
    );
    expect(checked).toBe(LOGIN_THROTTLE.accountClient.free);
    expect(tally(results)).toEqual({ AUTH_INVALID_CREDENTIALS: 5, AUTH_THROTTLED: 35 });
    // Now even the right password from that client waits.
    expect((await attempt('admin', TEST_PASSWORD, '10.0.0.1')).ok).toBe(false);
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    'holds across two server processes sharing one PostgreSQL database',
    async () => {
      const url = w.database.pool!.options.connectionString!;
      const second = await openDatabase({ databaseUrl: url, migrate: false });
      try {
        const other = makeServices(second, { clock: w.svc.clock, mode: 'test' });
        const before = scryptCalls.n.length;
        const results = await Promise.allSettled(
          Array.from({ length: 40 }, (_, i) =>
            login(i % 2 ? other : w.svc, { username: 'scjg', password: 'wrong-password', ip: '10.0.0.2' }),
          ),
        );
        expect(scryptCalls.n.length - before).toBe(5);
        expect(tally(results)).toEqual({ AUTH_INVALID_CREDENTIALS: 5, AUTH_THROTTLED: 35 });
      } finally {
        await second.close();
      }
    },
  );

  it('backs off exponentially: 30 s after the 5th failure, then 60 s, and a success gives the slot back', async () => {
    for (let i = 0; i < 4; i++)
      expect((await attempt('jyj', 'wrong-password', '10.0.0.3')).code).toBe('AUTH_INVALID_CREDENTIALS');
    // The right password clears this client's record: four more tries are free again.
    expect((await attempt('jyj', TEST_PASSWORD, '10.0.0.3')).ok).toBe(true);
    for (let i = 0; i < 5; i++)
      expect((await attempt('jyj', 'wrong-password', '10.0.0.3')).code).toBe('AUTH_INVALID_CREDENTIALS');
    const blocked = await attempt('jyj', 'wrong-password', '10.0.0.3');
    expect(blocked.code).toBe('AUTH_THROTTLED');
    expect(!blocked.ok && isAppError(blocked.e) && blocked.e.details).toEqual({ retryAfterSeconds: 30 });
    w.setNow(new Date(clock + 31_000).toISOString());
    expect((await attempt('jyj', 'wrong-password', '10.0.0.3')).code).toBe('AUTH_INVALID_CREDENTIALS');
    const again = await attempt('jyj', 'wrong-password', '10.0.0.3');
    expect(!again.ok && isAppError(again.e) && again.e.details).toEqual({ retryAfterSeconds: 60 });
  });

  it("an attacker's failures from other addresses do not lock out the real user", async () => {
    // The real user logged in from this browser before: it holds a trusted-device cookie.
    const first = await attempt('admin', TEST_PASSWORD, '192.0.2.10');
    expect(first.ok).toBe(true);
    const device = first.ok ? first.r.deviceToken : '';
    // The attacker's own account gives them a device cookie too — for that account only.
    const own = await attempt('leader', TEST_PASSWORD, '198.51.100.1');
    const attackerDevice = own.ok ? own.r.deviceToken : '';
    expect(attackerDevice).not.toBe('');
    // 60 wrong passwords for admin from 12 addresses, some with the attacker's device cookie.
    const before = scryptCalls.n.length;
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        login(w.svc, {
          username: 'admin',
          password: `guess-${i}`,
          ip: `198.51.100.${1 + (i % 12)}`,
          deviceToken: i % 3 === 0 ? attackerDevice : undefined,
        }),
      ),
    );
    const t = tally(results);
    expect(t.OK).toBeUndefined();
    // The account-wide limit for untrusted clients: 10 guesses, then back-off.
    expect(scryptCalls.n.length - before).toBe(LOGIN_THROTTLE.account.free);
    expect(t.AUTH_THROTTLED).toBe(60 - LOGIN_THROTTLE.account.free);
    // An untrusted browser elsewhere is slowed too (the account-wide limit) ...
    expect((await attempt('admin', TEST_PASSWORD, '192.0.2.99')).code).toBe('AUTH_THROTTLED');
    // ... but the real user's browser, from its usual or any other address, logs in.
    const real = await attempt('admin', TEST_PASSWORD, '203.0.113.50', device);
    expect(real.ok).toBe(true);
    // Its new cookie keeps working while the attack goes on.
    const next = real.ok ? real.r.deviceToken : '';
    expect(next).not.toBe(device);
    expect((await attempt('admin', TEST_PASSWORD, '192.0.2.10', next)).ok).toBe(true);
    // The replaced cookie no longer counts as trusted.
    expect((await attempt('admin', TEST_PASSWORD, '192.0.2.10', device)).code).toBe('AUTH_THROTTLED');
  });

  it('a trusted browser is throttled on its own failures', async () => {
    const first = await attempt('scjg', TEST_PASSWORD, '192.0.2.20');
    const device = first.ok ? first.r.deviceToken : '';
    expect(device).not.toBe('');
    for (let i = 0; i < LOGIN_THROTTLE.device.free; i++) {
      expect((await attempt('scjg', 'wrong-password', '192.0.2.20', device)).code).toBe(
        'AUTH_INVALID_CREDENTIALS',
      );
    }
    expect((await attempt('scjg', TEST_PASSWORD, '192.0.2.20', device)).code).toBe('AUTH_THROTTLED');
  });
});

describe('login timing', () => {
  it('an unknown user name runs the same scrypt as a known one', async () => {
    const before = scryptCalls.n.length;
    expect((await attempt('no-such-user', 'wrong-password', '10.0.0.5')).code).toBe(
      'AUTH_INVALID_CREDENTIALS',
    );
    const unknownRuns = scryptCalls.n.slice(before);
    // (The first call may also build the dummy hash: that is one more run, once per process.)
    const b2 = scryptCalls.n.length;
    expect((await attempt('no-such-user-2', 'wrong-password', '10.0.0.5')).code).toBe(
      'AUTH_INVALID_CREDENTIALS',
    );
    const b3 = scryptCalls.n.length;
    expect((await attempt('admin', 'wrong-password', '10.0.0.6')).code).toBe('AUTH_INVALID_CREDENTIALS');
    const known = scryptCalls.n.slice(b3);
    expect(unknownRuns.length).toBeGreaterThanOrEqual(1);
    expect(scryptCalls.n.slice(b2, b3)).toEqual([1 << 15]);
    expect(known).toEqual([1 << 15]);
  });
});
