import { createHash, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { AppError } from '@choucha/core';
import { departments, sessions, users, type Role } from '@choucha/db';
import { authorize } from './access.ts';
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

// ---- login throttling: per user name and per client address, in this process ------------------
const FAILS_ALLOWED = 5;
const WINDOW_MS = 15 * 60 * 1000;
const failures = new Map<string, number[]>();

function throttleKeys(username: string, ip: string): string[] {
  return [`u:${username.toLowerCase()}`, `ip:${ip}`];
}
function recentFailures(key: string, now: number): number[] {
  const list = (failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
  failures.set(key, list);
  return list;
}
export function resetLoginThrottle(): void {
  failures.clear();
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

export async function login(
  svc: Services,
  input: { username: string; password: string; ip: string },
): Promise<{ token: string; user: SessionUser; expiresAt: Date }> {
  const now = svc.clock().getTime();
  const keys = throttleKeys(input.username, input.ip);
  if (keys.some((k) => recentFailures(k, now).length >= FAILS_ALLOWED)) throw new AppError('AUTH_THROTTLED');
  const user = await loadUser(svc, sql`lower(${users.username}) = lower(${input.username})` as never);
  const good = user ? await verifyPassword(input.password, user.passwordHash) : false;
  if (!user || !good) {
    for (const k of keys) recentFailures(k, now).push(now);
    await inTransaction(svc, SYSTEM, async (_tx, audit) =>
      audit({
        action: 'auth.login_failed',
        subjectType: 'user',
        subjectId: input.username.slice(0, 100),
        after: { ip: input.ip },
      }),
    );
    throw new AppError('AUTH_INVALID_CREDENTIALS');
  }
  if (user.disabled) throw new AppError('AUTH_USER_DISABLED');
  for (const k of keys) failures.delete(k);
  const token = svc.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now + SESSION_TTL_MS);
  const { passwordHash: _h, disabled: _d, ...sessionUser } = user;
  await inTransaction(svc, toActor(sessionUser), async (tx, audit) => {
    await tx.delete(sessions).where(lt(sessions.expiresAt, new Date(now)));
    await tx
      .insert(sessions)
      .values({ tokenHash: tokenHash(token), userId: user.id, expiresAt, createdAt: new Date(now) });
    await audit({
      action: 'auth.login',
      subjectType: 'user',
      subjectId: user.id,
      departmentId: user.departmentId,
      after: { ip: input.ip },
    });
  });
  return { token, user: sessionUser, expiresAt };
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

export async function createUser(
  svc: Services,
  actor: Actor,
  input: {
    username: string;
    displayName: string;
    role: Role;
    departmentId: number | null;
    password: string;
    mustChangePassword?: boolean;
  },
): Promise<SessionUser> {
  authorize(actor, 'user.manage');
  if ((input.role === 'dept_admin' || input.role === 'inspector') && input.departmentId === null) {
    throw new AppError('VALIDATION_FAILED', 'A department admin or inspector must belong to a department', {
      field: 'departmentId',
    });
  }
  checkPasswordStrength(input.username, input.password);
  const passwordHash = await hashPassword(svc, input.password);
  return inTransaction(svc, actor, async (tx, audit) => {
    const [exists] = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.username}) = lower(${input.username})`);
    if (exists) throw new AppError('USER_EXISTS', `The user name ${input.username} is taken`);
    const [row] = await tx
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        departmentId: input.departmentId,
        passwordHash,
        mustChangePassword: input.mustChangePassword ?? true,
        createdAt: svc.clock(),
        updatedAt: svc.clock(),
      })
      .returning();
    if (!row) throw new Error('Invariant: insert returned nothing');
    await audit({
      action: 'user.create',
      subjectType: 'user',
      subjectId: row.id,
      departmentId: row.departmentId,
      after: { username: row.username, role: row.role, departmentId: row.departmentId },
    });
    const dept = row.departmentId
      ? (
          await tx
            .select({ name: departments.name })
            .from(departments)
            .where(eq(departments.id, row.departmentId))
        )[0]
      : undefined;
    return {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role,
      departmentId: row.departmentId,
      departmentName: dept?.name ?? null,
      mustChangePassword: row.mustChangePassword,
    };
  });
}

export async function resetPassword(
  svc: Services,
  actor: Actor,
  userId: number,
  password: string,
): Promise<void> {
  authorize(actor, 'user.manage');
  const user = await loadUser(svc, eq(users.id, userId));
  if (!user) throw new AppError('NOT_FOUND', `No user ${userId}`);
  checkPasswordStrength(user.username, password);
  const hash = await hashPassword(svc, password);
  await inTransaction(svc, actor, async (tx, audit) => {
    await tx
      .update(users)
      .set({ passwordHash: hash, mustChangePassword: true, updatedAt: svc.clock() })
      .where(eq(users.id, userId));
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await audit({
      action: 'user.password_reset',
      subjectType: 'user',
      subjectId: userId,
      departmentId: user.departmentId,
    });
  });
}

export async function listUsers(svc: Services, actor: Actor) {
  authorize(actor, 'user.manage');
  const rows = await svc.database.db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      departmentId: users.departmentId,
      departmentName: departments.name,
      mustChangePassword: users.mustChangePassword,
      disabled: users.disabled,
      createdAt: users.createdAt,
    })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .orderBy(users.id);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
