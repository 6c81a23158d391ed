import { createHash, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { and, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { AppError } from '@choucha/core';
import {
  departments,
  loginThrottle,
  sessions,
  trustedDevices,
  users,
  type Db,
  type Role,
  type Tx,
} from '@choucha/db';
import { inTransaction } from './audit.ts';
import { SYSTEM, type Actor, type Services } from './context.ts';

// ---- passwords (scrypt, N=2^15) -----------------------------------------------------------
const SCRYPT = { N: 1 << 15, r: 8, p: 1, keylen: 32, maxmem: 64 * 1024 * 1024 };

function scrypt(password: string, salt: Buffer, opts: ScryptOptions & { keylen: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, opts.keylen, opts, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

export async function hashPassword(svc: Services, password: string): Promise<string> {
  const salt = svc.randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const key = await scrypt(password, Buffer.from(saltB64, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    keylen: expected.length,
    maxmem: SCRYPT.maxmem,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export function checkPasswordStrength(username: string, password: string): void {
  if (password.length < 10 || password.toLowerCase() === username.toLowerCase()) {
    throw new AppError('AUTH_PASSWORD_WEAK');
  }
}

// ---- login throttling --------------------------------------------------------------------------
/**
 * Login back-off, kept in the database (table login_throttle) so that it holds across concurrent
 * requests and across server processes sharing one PostgreSQL database.
 *
 * Every attempt first RESERVES a slot on each key that applies (row locks in one transaction, taken
 * in key order), then the password is checked; a success gives the reservation back. So N concurrent
 * wrong passwords check at most `free` of them; the rest are AUTH_THROTTLED without running scrypt.
 *
 * Keys (OWASP "device cookies"):
 * - a browser holding a valid trusted-device cookie for this account (issued at its last successful
 *   login) is counted only against that cookie (`d:`) — failures from elsewhere never lock it out;
 * - any other client is counted per (account, client address) (`ac:`), per client address across
 *   accounts (`c:`), and per account across all untrusted clients (`a:`).
 * Past `free` failures a key is blocked for base·2^(n−free), capped; attempts while blocked are
 * refused and not counted; a key is forgotten after RESET_MS without attempts.
 */
interface ThrottleRule {
  readonly free: number;
}
const RULES = {
  accountClient: { free: 5 },
  client: { free: 20 },
  account: { free: 10 },
  device: { free: 10 },
} as const satisfies Record<string, ThrottleRule>;
export const LOGIN_THROTTLE = {
  ...RULES,
  baseMs: 30_000,
  maxMs: 15 * 60 * 1000,
  resetMs: 60 * 60 * 1000,
} as const;

interface ThrottleKey {
  key: string;
  rule: ThrottleRule;
  /** Given back on success: the row is deleted ('clear') or decremented ('undo'). */
  onSuccess: 'clear' | 'undo';
}

function throttleKeys(username: string, ip: string, deviceHash: string | undefined): ThrottleKey[] {
  const u = username.toLowerCase();
  if (deviceHash) return [{ key: `d:${deviceHash}`, rule: RULES.device, onSuccess: 'clear' }];
  return [
    { key: `ac:${ip}|${u}`, rule: RULES.accountClient, onSuccess: 'clear' },
    { key: `c:${ip}`, rule: RULES.client, onSuccess: 'undo' },
    { key: `a:${u}`, rule: RULES.account, onSuccess: 'undo' },
  ];
}

function backoffMs(failures: number, rule: ThrottleRule): number | null {
  if (failures < rule.free) return null;
  return Math.min(LOGIN_THROTTLE.maxMs, LOGIN_THROTTLE.baseMs * 2 ** Math.min(failures - rule.free, 30));
}

/** Reserve one attempt on every key, atomically; returns the wait in ms when any key is blocked. */
async function reserveAttempt(svc: Services, keys: ThrottleKey[], now: Date): Promise<number | null> {
  const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const names = sorted.map((k) => k.key);
  return (svc.database.db as Db).transaction(async (tx) => {
    await tx
      .insert(loginThrottle)
      .values(names.map((key) => ({ key, failures: 0, lastAttemptAt: now })))
      .onConflictDoNothing();
    const rows = await tx
      .select()
      .from(loginThrottle)
      .where(inArray(loginThrottle.key, names))
      .orderBy(loginThrottle.key)
      .for('update');
    const wait = Math.max(
      0,
      ...rows.map((r) => (r.blockedUntil ? r.blockedUntil.getTime() - now.getTime() : 0)),
    );
    if (wait > 0) return wait;
    for (const k of sorted) {
      const row = rows.find((r) => r.key === k.key);
      const stale = !row || now.getTime() - row.lastAttemptAt.getTime() > LOGIN_THROTTLE.resetMs;
      const failures = (stale ? 0 : row.failures) + 1;
      const block = backoffMs(failures, k.rule);
      await tx
        .update(loginThrottle)
        .set({
          failures,
          lastAttemptAt: now,
          blockedUntil: block === null ? null : new Date(now.getTime() + block),
        })
        .where(eq(loginThrottle.key, k.key));
    }
    return null;
  });
}

/** A successful login gives its reservation back. */
async function releaseAttempt(tx: Tx, keys: ThrottleKey[], now: Date): Promise<void> {
  for (const k of keys) {
    if (k.onSuccess === 'clear') {
      await tx.delete(loginThrottle).where(eq(loginThrottle.key, k.key));
      continue;
    }
    const [row] = await tx.select().from(loginThrottle).where(eq(loginThrottle.key, k.key)).for('update');
    if (!row) continue;
    const failures = Math.max(0, row.failures - 1);
    const block = backoffMs(failures, k.rule);
    await tx
      .update(loginThrottle)
      .set({
        failures,
        blockedUntil: block === null ? null : new Date(row.lastAttemptAt.getTime() + block),
      })
      .where(eq(loginThrottle.key, k.key));
  }
  // Forget keys that have been quiet for RESET_MS.
  await tx
    .delete(loginThrottle)
    .where(
      and(
        lt(loginThrottle.lastAttemptAt, new Date(now.getTime() - LOGIN_THROTTLE.resetMs)),
        or(isNull(loginThrottle.blockedUntil), lt(loginThrottle.blockedUntil, now)),
      ),
    );
}

// ---- trusted devices -------------------------------------------------------------------------------
export const TRUSTED_DEVICE_TTL_MS = 90 * 24 * 60 * 60 * 1000;

async function trustedDeviceOf(
  svc: Services,
  token: string | undefined,
  userId: number | undefined,
  now: Date,
): Promise<string | undefined> {
  if (!token || userId === undefined || token.length > 200) return undefined;
  const h = tokenHash(token);
  const [row] = await svc.database.db
    .select({ tokenHash: trustedDevices.tokenHash })
    .from(trustedDevices)
    .where(
      and(
        eq(trustedDevices.tokenHash, h),
        eq(trustedDevices.userId, userId),
        gt(trustedDevices.expiresAt, now),
      ),
    )
    .limit(1);
  return row?.tokenHash;
}

// ---- constant-work password check for unknown users ----------------------------------------------
let dummyHash: Promise<string> | undefined;
/** A hash with the same scrypt cost, so that an unknown user name costs as much as a known one. */
function dummyPasswordHash(svc: Services): Promise<string> {
  dummyHash ??= hashPassword(svc, svc.randomBytes(24).toString('base64'));
  return dummyHash;
}

// ---- sessions ------------------------------------------------------------------------------
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  departmentName: string | null;
  mustChangePassword: boolean;
}

export function toActor(u: SessionUser): Actor {
  return {
    kind: 'user',
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    departmentId: u.departmentId,
  };
}

async function loadUser(
  svc: Services,
  where: ReturnType<typeof eq>,
): Promise<(SessionUser & { passwordHash: string; disabled: boolean }) | undefined> {
  const [row] = await svc.database.db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      departmentId: users.departmentId,
      departmentName: departments.name,
      mustChangePassword: users.mustChangePassword,
      passwordHash: users.passwordHash,
      disabled: users.disabled,
    })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(where)
    .limit(1);
  return row;
}

export interface LoginResult {
  token: string;
  user: SessionUser;
  expiresAt: Date;
  /** The trusted-device cookie for this browser (a new one at every successful login). */
  deviceToken: string;
  deviceExpiresAt: Date;
}

export async function login(
  svc: Services,
  input: { username: string; password: string; ip: string; deviceToken?: string | undefined },
): Promise<LoginResult> {
  const nowDate = svc.clock();
  const now = nowDate.getTime();
  const user = await loadUser(svc, sql`lower(${users.username}) = lower(${input.username})` as never);
  const device = await trustedDeviceOf(svc, input.deviceToken, user?.id, nowDate);
  const keys = throttleKeys(input.username, input.ip, device);
  const wait = await reserveAttempt(svc, keys, nowDate);
  if (wait !== null) {
    throw new AppError('AUTH_THROTTLED', undefined, { retryAfterSeconds: Math.ceil(wait / 1000) });
  }
  // Unknown user names run the same scrypt against a dummy hash: the answer takes as long.
  const good = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash(svc)));
  if (!user || !good) {
    await inTransaction(svc, SYSTEM, async (_tx, audit) =>
      audit({
        action: 'auth.login_failed',
        subjectType: 'user',
        subjectId: input.username.slice(0, 100),
        after: { ip: input.ip, trustedDevice: device !== undefined },
      }),
    );
    throw new AppError('AUTH_INVALID_CREDENTIALS');
  }
  if (user.disabled) throw new AppError('AUTH_USER_DISABLED');
  const token = svc.randomBytes(32).toString('base64url');
  const deviceToken = svc.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now + SESSION_TTL_MS);
  const deviceExpiresAt = new Date(now + TRUSTED_DEVICE_TTL_MS);
  const { passwordHash: _h, disabled: _d, ...sessionUser } = user;
  await inTransaction(svc, toActor(sessionUser), async (tx, audit) => {
    await releaseAttempt(tx, keys, nowDate);
    await tx.delete(sessions).where(lt(sessions.expiresAt, nowDate));
    await tx
      .insert(sessions)
      .values({ tokenHash: tokenHash(token), userId: user.id, expiresAt, createdAt: nowDate });
    // The device cookie is renewed at each login; the old one (if it was this user's) ends.
    await tx.delete(trustedDevices).where(lt(trustedDevices.expiresAt, nowDate));
    if (device) await tx.delete(trustedDevices).where(eq(trustedDevices.tokenHash, device));
    await tx.insert(trustedDevices).values({
      tokenHash: tokenHash(deviceToken),
      userId: user.id,
      createdAt: nowDate,
      expiresAt: deviceExpiresAt,
    });
    await audit({
      action: 'auth.login',
      subjectType: 'user',
      subjectId: user.id,
      departmentId: user.departmentId,
      after: { ip: input.ip, trustedDevice: device !== undefined },
    });
  });
  return { token, user: sessionUser, expiresAt, deviceToken, deviceExpiresAt };
}

export async function userForSession(svc: Services, token: string): Promise<SessionUser | undefined> {
  const [s] = await svc.database.db
    .select({ userId: sessions.userId })
    .from(sessions)
    .where(and(eq(sessions.tokenHash, tokenHash(token)), gt(sessions.expiresAt, svc.clock())))
    .limit(1);
  if (!s) return undefined;
  const user = await loadUser(svc, eq(users.id, s.userId));
  if (!user || user.disabled) return undefined;
  const { passwordHash: _h, disabled: _d, ...rest } = user;
  return rest;
}

export async function logout(svc: Services, actor: Actor, token: string): Promise<void> {
  await inTransaction(svc, actor, async (tx, audit) => {
    await tx.delete(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
    await audit({
      action: 'auth.logout',
      subjectType: 'user',
      subjectId: actor.kind === 'user' ? actor.id : null,
    });
  });
}

export async function changePassword(
  svc: Services,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  if (actor.kind !== 'user') throw new AppError('AUTH_REQUIRED');
  const user = await loadUser(svc, eq(users.id, actor.id));
  if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError('AUTH_INVALID_CREDENTIALS', 'The current password is wrong');
  }
  checkPasswordStrength(user.username, input.newPassword);
  const hash = await hashPassword(svc, input.newPassword);
  await inTransaction(svc, actor, async (tx, audit) => {
    await tx
      .update(users)
      .set({ passwordHash: hash, mustChangePassword: false, updatedAt: svc.clock() })
      .where(eq(users.id, actor.id));
    // Other sessions of this user end: a changed password must lock out whoever knew the old one.
    await tx.delete(sessions).where(eq(sessions.userId, actor.id));
    await audit({ action: 'user.password_changed', subjectType: 'user', subjectId: actor.id });
  });
}
