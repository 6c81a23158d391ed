/**
 * User management (issue 8 §4): list, create, edit (display name, role, department), disable and
 * enable, reset a password, link an account to its inspector record, and create inspector accounts
 * in bulk from the inspector directory with one-time passwords.
 *
 * Who manages whom:
 * - the joint office (joint_admin) and the system: every account;
 * - a department admin: the accounts and inspector links of his own department only, and grants
 *   only the roles dept_admin and inspector, in his department;
 * - nobody changes his own role or department or disables himself (so nobody raises himself);
 * - the last active joint_admin can be neither disabled nor given another role.
 * Every change is audited (user.create, user.update, user.disable, user.enable,
 * user.password_reset, user.link_inspector, user.bulk_create); passwords never reach the log.
 *
 * An inspector account is only useful when linked (users.inspector_id): results.ts admits an
 * inspector's result only on a target whose team holds his linked inspector record, and "my
 * targets" are those of the linked record.
 */
import { and, asc, eq, inArray, isNotNull, ne, sql, type SQL } from 'drizzle-orm';
import XLSX from 'xlsx';
import { AppError } from '@choucha/core';
import { departments, inspectors, sessions, users, type Executor, type Role } from '@choucha/db';
import { checkPasswordStrength, hashPassword, type SessionUser } from '../auth.ts';
import { inTransaction } from '../audit.ts';
import type { Actor, Services } from '../context.ts';

type ManagingActor = Extract<Actor, { kind: 'user' } | { kind: 'system' }>;

/** joint_admin and the system manage every account; a dept_admin his department's (returns it). */
function managedDepartment(actor: Actor): number | undefined {
  if (actor.kind === 'anonymous') throw new AppError('AUTH_REQUIRED');
  if (actor.kind === 'system') return undefined;
  if (actor.role === 'joint_admin') return undefined;
  if (actor.role === 'dept_admin' && actor.departmentId !== null) return actor.departmentId;
  throw new AppError('FORBIDDEN');
}

function assertManages(actor: ManagingActor, departmentId: number | null): void {
  const d = managedDepartment(actor);
  if (d === undefined) return;
  if (departmentId !== d) throw new AppError('FORBIDDEN_DEPARTMENT', undefined, { departmentId });
}

/** The roles an actor may grant, and where. */
function assertMayGrant(actor: ManagingActor, role: Role, departmentId: number | null): void {
  const d = managedDepartment(actor);
  if (d !== undefined) {
    if (role !== 'dept_admin' && role !== 'inspector')
      throw new AppError('USER_ROLE_FORBIDDEN', undefined, { role });
    if (departmentId !== d) throw new AppError('FORBIDDEN_DEPARTMENT', undefined, { departmentId });
  }
  if ((role === 'dept_admin' || role === 'inspector') && departmentId === null) {
    throw new AppError('VALIDATION_FAILED', 'A department admin or inspector must belong to a department', {
      field: 'departmentId',
    });
  }
}

async function assertDepartmentExists(db: Executor, departmentId: number | null): Promise<void> {
  if (departmentId === null) return;
  const [d] = await db
    .select({ id: departments.id })
    .from(departments)
    .where(eq(departments.id, departmentId));
  if (!d) throw new AppError('VALIDATION_FAILED', undefined, { field: 'departmentId', departmentId });
}

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  departmentName: string | null;
  mustChangePassword: boolean;
  disabled: boolean;
  createdAt: string;
  inspectorId: number | null;
  inspectorName: string | null;
  inspectorCertNo: string | null;
}

async function selectUsers(db: Executor, where: SQL | undefined): Promise<UserView[]> {
  const rows = await db
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
      inspectorId: users.inspectorId,
      inspectorName: inspectors.name,
      inspectorCertNo: inspectors.certNo,
    })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .leftJoin(inspectors, eq(inspectors.id, users.inspectorId))
    .where(where)
    .orderBy(asc(users.id));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

async function loadManaged(db: Executor, actor: ManagingActor, id: number) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  // another department's account is not even revealed
  const d = managedDepartment(actor);
  if (!row || (d !== undefined && row.departmentId !== d)) throw new AppError('NOT_FOUND');
  return row;
}

async function viewOf(db: Executor, id: number): Promise<UserView> {
  const [v] = await selectUsers(db, eq(users.id, id));
  if (!v) throw new Error(`Invariant: no user ${id}`);
  return v;
}

export async function listUsers(
  svc: Services,
  actor: Actor,
  q: { departmentId?: number | undefined; role?: Role | undefined } = {},
): Promise<UserView[]> {
  const d = managedDepartment(actor);
  const where: SQL[] = [];
  if (d !== undefined) where.push(eq(users.departmentId, d));
  if (q.departmentId !== undefined) where.push(eq(users.departmentId, q.departmentId));
  if (q.role !== undefined) where.push(eq(users.role, q.role));
  return selectUsers(svc.database.db, where.length ? and(...where) : undefined);
}

export async function getUser(svc: Services, actor: Actor, id: number): Promise<UserView> {
  managedDepartment(actor);
  await loadManaged(svc.database.db, actor as ManagingActor, id);
  return viewOf(svc.database.db, id);
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
    inspectorId?: number | null;
  },
): Promise<SessionUser> {
  managedDepartment(actor);
  const a = actor as ManagingActor;
  assertMayGrant(a, input.role, input.departmentId);
  checkPasswordStrength(input.username, input.password);
  const passwordHash = await hashPassword(svc, input.password);
  return inTransaction(svc, actor, async (tx, audit) => {
    await assertDepartmentExists(tx, input.departmentId);
    const [exists] = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.username}) = lower(${input.username})`);
    if (exists) throw new AppError('USER_EXISTS', undefined, { username: input.username });
    if (input.inspectorId != null) await checkLinkable(tx, input.inspectorId, input.departmentId, null);
    const [row] = await tx
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        departmentId: input.departmentId,
        inspectorId: input.inspectorId ?? null,
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
      after: {
        username: row.username,
        role: row.role,
        departmentId: row.departmentId,
        inspectorId: row.inspectorId,
      },
    });
    const v = await viewOf(tx, row.id);
    return {
      id: v.id,
      username: v.username,
      displayName: v.displayName,
      role: v.role,
      departmentId: v.departmentId,
      departmentName: v.departmentName,
      mustChangePassword: v.mustChangePassword,
    };
  });
}

export async function resetPassword(
  svc: Services,
  actor: Actor,
  userId: number,
  password: string,
): Promise<void> {
  managedDepartment(actor);
  const a = actor as ManagingActor;
  const user = await loadManaged(svc.database.db, a, userId);
  // one's own password is changed with the current one (POST /auth/password), not reset
  if (a.kind === 'user' && a.id === userId) throw new AppError('USER_SELF_CHANGE');
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

/** Whether, with `userId` changed, at least one active joint_admin remains. Locks the admins' rows. */
async function assertAnotherJointAdmin(tx: Executor, userId: number): Promise<void> {
  const others = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'joint_admin'), eq(users.disabled, false), ne(users.id, userId)))
    .for('update');
  if (others.length === 0) throw new AppError('USER_LAST_JOINT_ADMIN');
}

export interface UpdateUserInput {
  displayName?: string | undefined;
  role?: Role | undefined;
  departmentId?: number | null | undefined;
}

export async function updateUser(
  svc: Services,
  actor: Actor,
  userId: number,
  input: UpdateUserInput,
): Promise<UserView> {
  managedDepartment(actor);
  const a = actor as ManagingActor;
  return inTransaction(svc, actor, async (tx, audit) => {
    const before = await loadManaged(tx, a, userId);
    const role = input.role ?? before.role;
    const departmentId = input.departmentId !== undefined ? input.departmentId : before.departmentId;
    const roleOrDeptChanged = role !== before.role || departmentId !== before.departmentId;
    if (roleOrDeptChanged) {
      if (a.kind === 'user' && a.id === userId) throw new AppError('USER_SELF_CHANGE');
      assertMayGrant(a, role, departmentId);
      await assertDepartmentExists(tx, departmentId);
      if (before.role === 'joint_admin' && role !== 'joint_admin' && !before.disabled)
        await assertAnotherJointAdmin(tx, userId);
    }
    // A link to an inspector of another department does not survive a move.
    let inspectorId = before.inspectorId;
    if (inspectorId !== null && departmentId !== before.departmentId) inspectorId = null;
    const displayName = input.displayName ?? before.displayName;
    await tx
      .update(users)
      .set({ displayName, role, departmentId, inspectorId, updatedAt: svc.clock() })
      .where(eq(users.id, userId));
    // A changed role or department ends the user's sessions: the old rights must not linger.
    if (roleOrDeptChanged) await tx.delete(sessions).where(eq(sessions.userId, userId));
    await audit({
      action: 'user.update',
      subjectType: 'user',
      subjectId: userId,
      departmentId: departmentId ?? before.departmentId,
      before: {
        displayName: before.displayName,
        role: before.role,
        departmentId: before.departmentId,
        inspectorId: before.inspectorId,
      },
      after: { displayName, role, departmentId, inspectorId },
    });
    return viewOf(tx, userId);
  });
}

export async function setUserDisabled(
  svc: Services,
  actor: Actor,
  userId: number,
  disabled: boolean,
): Promise<UserView> {
  managedDepartment(actor);
  const a = actor as ManagingActor;
  return inTransaction(svc, actor, async (tx, audit) => {
    const before = await loadManaged(tx, a, userId);
    if (disabled && a.kind === 'user' && a.id === userId) throw new AppError('USER_SELF_CHANGE');
    // enabling a joint_admin is for the joint office only
    if (!disabled && before.role !== 'dept_admin' && before.role !== 'inspector')
      assertMayGrant(a, before.role, before.departmentId);
    if (disabled && before.role === 'joint_admin' && !before.disabled)
      await assertAnotherJointAdmin(tx, userId);
    await tx.update(users).set({ disabled, updatedAt: svc.clock() }).where(eq(users.id, userId));
    if (disabled) await tx.delete(sessions).where(eq(sessions.userId, userId));
    await audit({
      action: disabled ? 'user.disable' : 'user.enable',
      subjectType: 'user',
      subjectId: userId,
      departmentId: before.departmentId,
      before: { disabled: before.disabled },
      after: { disabled },
    });
    return viewOf(tx, userId);
  });
}

/** An inspector record may be linked to `departmentId`'s account when it is in that department and free. */
async function checkLinkable(
  tx: Executor,
  inspectorId: number,
  departmentId: number | null,
  exceptUserId: number | null,
): Promise<typeof inspectors.$inferSelect> {
  const [ins] = await tx.select().from(inspectors).where(eq(inspectors.id, inspectorId));
  if (!ins) throw new AppError('NOT_FOUND', undefined, { inspectorId });
  if (ins.departmentId !== departmentId)
    throw new AppError('USER_INSPECTOR_DEPARTMENT', undefined, {
      inspectorId,
      inspectorDepartmentId: ins.departmentId,
      userDepartmentId: departmentId,
    });
  const taken = await tx
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(eq(users.inspectorId, inspectorId));
  const other = taken.find((u) => u.id !== exceptUserId);
  if (other)
    throw new AppError('USER_INSPECTOR_LINKED', undefined, { inspectorId, username: other.username });
  return ins;
}

/** Link an account to its inspector record (or unlink with null). */
export async function linkInspector(
  svc: Services,
  actor: Actor,
  userId: number,
  inspectorId: number | null,
): Promise<UserView> {
  managedDepartment(actor);
  const a = actor as ManagingActor;
  return inTransaction(svc, actor, async (tx, audit) => {
    const before = await loadManaged(tx, a, userId);
    if (inspectorId !== null) {
      const ins = await checkLinkable(tx, inspectorId, before.departmentId, userId);
      assertManages(a, ins.departmentId);
    }
    await tx.update(users).set({ inspectorId, updatedAt: svc.clock() }).where(eq(users.id, userId));
    await audit({
      action: 'user.link_inspector',
      subjectType: 'user',
      subjectId: userId,
      departmentId: before.departmentId,
      before: { inspectorId: before.inspectorId },
      after: { inspectorId },
    });
    return viewOf(tx, userId);
  });
}

/** The inspector record linked to the acting user, or null. */
export async function linkedInspectorId(db: Executor, actor: Actor): Promise<number | null> {
  if (actor.kind !== 'user') return null;
  const [u] = await db.select({ inspectorId: users.inspectorId }).from(users).where(eq(users.id, actor.id));
  return u?.inspectorId ?? null;
}

// ---- bulk creation from the inspector directory ---------------------------------------------------

/** Without look-alikes (0/O, 1/l/I) so that a password read off paper is typed right. */
const PASSWORD_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
export const ONE_TIME_PASSWORD_LENGTH = 12;

/** A random one-time password (unbiased: bytes ≥ the largest multiple of the alphabet are skipped). */
export function oneTimePassword(svc: Services): string {
  const n = PASSWORD_ALPHABET.length;
  const limit = 256 - (256 % n);
  let out = '';
  while (out.length < ONE_TIME_PASSWORD_LENGTH) {
    for (const b of svc.randomBytes(32)) {
      if (b >= limit) continue;
      out += PASSWORD_ALPHABET[b % n];
      if (out.length === ONE_TIME_PASSWORD_LENGTH) break;
    }
  }
  return out;
}

const asciiPart = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();

/**
 * The user name rule for accounts created from the directory (pinyin is not available):
 * `<department code>.<certificate number>` — both lower-cased, keeping only Latin letters and
 * digits (e.g. SCJG + 执法证号 SC0101 → `scjg.sc0101`); when the certificate number has no letters or
 * digits, `<department code>.n<inspector id>` (e.g. `scjg.n17`). A taken name gets `-2`, `-3` ….
 * A department code without letters or digits becomes `d<department id>`.
 */
export function inspectorUsername(
  dept: { id: number; code: string },
  ins: { id: number; certNo: string | null },
): string {
  const code = asciiPart(dept.code).slice(0, 20) || `d${dept.id}`;
  const cert = asciiPart(ins.certNo ?? '').slice(0, 40);
  return `${code}.${cert || `n${ins.id}`}`;
}

export interface BulkCreateInput {
  /** The inspectors to create accounts for; or all of `departmentId`'s inspectors without one. */
  inspectorIds?: number[] | undefined;
  departmentId?: number | undefined;
}

export interface BulkCreatedAccount {
  userId: number;
  username: string;
  displayName: string;
  inspectorId: number;
  certNo: string | null;
  departmentId: number;
  departmentName: string;
  /** Shown once: only its hash is stored, and it must be changed at the first login. */
  password: string;
}

export interface BulkCreateResult {
  created: BulkCreatedAccount[];
  skipped: { inspectorId: number; name: string; reason: 'HAS_ACCOUNT' | 'INACTIVE' }[];
  /** The created accounts with their passwords as an .xlsx (base64), in this answer only. */
  workbookBase64: string;
  fileName: string;
}

export const BULK_CREATE_MAX = 200;

/** Inspectors of the actor's reach that have no account yet (the bulk-create dialog's choices). */
export async function inspectorsWithoutAccount(
  svc: Services,
  actor: Actor,
  departmentId?: number,
): Promise<{ id: number; name: string; certNo: string | null; departmentId: number; active: boolean }[]> {
  const d = managedDepartment(actor);
  if (d !== undefined && departmentId !== undefined && departmentId !== d)
    throw new AppError('FORBIDDEN_DEPARTMENT', undefined, { departmentId });
  const dept = d ?? departmentId;
  const db = svc.database.db;
  const linked = db.select({ id: users.inspectorId }).from(users).where(isNotNull(users.inspectorId));
  return db
    .select({
      id: inspectors.id,
      name: inspectors.name,
      certNo: inspectors.certNo,
      departmentId: inspectors.departmentId,
      active: inspectors.active,
    })
    .from(inspectors)
    .where(
      and(
        dept !== undefined ? eq(inspectors.departmentId, dept) : undefined,
        sql`${inspectors.id} not in (${linked})`,
      ),
    )
    .orderBy(asc(inspectors.departmentId), asc(inspectors.id));
}

export async function bulkCreateInspectorAccounts(
  svc: Services,
  actor: Actor,
  input: BulkCreateInput,
): Promise<BulkCreateResult> {
  const d = managedDepartment(actor);
  const a = actor as ManagingActor;
  const db = svc.database.db;
  let chosen: (typeof inspectors.$inferSelect)[];
  if (input.inspectorIds !== undefined) {
    const ids = [...new Set(input.inspectorIds)];
    if (ids.length === 0 || ids.length > BULK_CREATE_MAX)
      throw new AppError('VALIDATION_FAILED', undefined, { field: 'inspectorIds', max: BULK_CREATE_MAX });
    chosen = await db
      .select()
      .from(inspectors)
      .where(inArray(inspectors.id, ids))
      .orderBy(asc(inspectors.id));
    const missing = ids.filter((id) => !chosen.some((c) => c.id === id));
    if (missing.length) throw new AppError('NOT_FOUND', undefined, { inspectorIds: missing });
    // another department's inspectors are refused before anything is created
    for (const c of chosen) assertManages(a, c.departmentId);
  } else {
    const dept = input.departmentId ?? d;
    if (dept === undefined) throw new AppError('VALIDATION_FAILED', undefined, { field: 'departmentId' });
    assertManages(a, dept);
    chosen = await db
      .select()
      .from(inspectors)
      .where(eq(inspectors.departmentId, dept))
      .orderBy(asc(inspectors.id));
  }
  const linked = new Set(
    (
      await db
        .select({ id: users.inspectorId })
        .from(users)
        .where(
          inArray(
            users.inspectorId,
            chosen.map((c) => c.id),
          ),
        )
    ).map((r) => r.id),
  );
  const skipped: BulkCreateResult['skipped'] = [];
  const todo: typeof chosen = [];
  for (const c of chosen) {
    if (linked.has(c.id)) skipped.push({ inspectorId: c.id, name: c.name, reason: 'HAS_ACCOUNT' });
    else if (!c.active) skipped.push({ inspectorId: c.id, name: c.name, reason: 'INACTIVE' });
    else todo.push(c);
  }
  if (todo.length > BULK_CREATE_MAX)
    throw new AppError('VALIDATION_FAILED', undefined, { field: 'departmentId', max: BULK_CREATE_MAX });
  // scrypt before the transaction: it holds no locks while the hashes are computed
  const prepared: { ins: (typeof chosen)[number]; password: string; hash: string }[] = [];
  for (const ins of todo) {
    const password = oneTimePassword(svc);
    prepared.push({ ins, password, hash: await hashPassword(svc, password) });
  }
  const created = await inTransaction(svc, actor, async (tx, audit) => {
    const depts = new Map(
      (
        await tx
          .select({ id: departments.id, code: departments.code, name: departments.name })
          .from(departments)
      ).map((x) => [x.id, x]),
    );
    const out: BulkCreatedAccount[] = [];
    for (const p of prepared) {
      const dept = depts.get(p.ins.departmentId)!;
      // re-checked under the transaction: a concurrent bulk-create may have linked it meanwhile
      const [taken] = await tx
        .select({ id: users.id })
        .from(users)
        .where(eq(users.inspectorId, p.ins.id))
        .for('update');
      if (taken) {
        skipped.push({ inspectorId: p.ins.id, name: p.ins.name, reason: 'HAS_ACCOUNT' });
        continue;
      }
      const base = inspectorUsername(dept, p.ins);
      let username = base;
      for (let k = 2; ; k++) {
        const [exists] = await tx
          .select({ id: users.id })
          .from(users)
          .where(sql`lower(${users.username}) = lower(${username})`);
        if (!exists) break;
        username = `${base}-${k}`;
      }
      const [row] = await tx
        .insert(users)
        .values({
          username,
          displayName: p.ins.name,
          role: 'inspector',
          departmentId: p.ins.departmentId,
          inspectorId: p.ins.id,
          passwordHash: p.hash,
          mustChangePassword: true,
          createdAt: svc.clock(),
          updatedAt: svc.clock(),
        })
        .returning({ id: users.id });
      out.push({
        userId: row!.id,
        username,
        displayName: p.ins.name,
        inspectorId: p.ins.id,
        certNo: p.ins.certNo,
        departmentId: p.ins.departmentId,
        departmentName: dept.name,
        password: p.password,
      });
    }
    await audit({
      action: 'user.bulk_create',
      subjectType: 'user',
      subjectId: null,
      departmentId:
        d ??
        (out.length && out.every((o) => o.departmentId === out[0]!.departmentId)
          ? out[0]!.departmentId
          : null),
      after: {
        count: out.length,
        users: out.map((o) => ({ id: o.userId, username: o.username, inspectorId: o.inspectorId })),
        skipped: skipped.map((s) => ({ inspectorId: s.inspectorId, reason: s.reason })),
      },
    });
    return out;
  });
  const stamp = svc.clock().toISOString().slice(0, 10);
  return {
    created,
    skipped,
    workbookBase64: accountsWorkbook(created).toString('base64'),
    fileName: `执法人员账号-${stamp}.xlsx`,
  };
}

/** The one-time passwords as a workbook: 姓名, 执法证号, 部门, 用户名, 初始密码. */
function accountsWorkbook(rows: readonly BulkCreatedAccount[]): Buffer {
  const aoa: string[][] = [
    ['姓名', '执法证号', '所属部门', '用户名', '初始密码（首次登录须修改）'],
    ...rows.map((r) => [r.displayName, r.certNo ?? '', r.departmentName, r.username, r.password]),
  ];
  const ws = XLSX.utils.aoa_to_sheet(aoa);
  // every cell as text, so that no password or number is reinterpreted
  for (let r = 1; r < aoa.length; r++)
    for (let c = 0; c < 5; c++) {
      const cell = ws[XLSX.utils.encode_cell({ r, c })] as { t: string; z?: string } | undefined;
      if (cell) {
        cell.t = 's';
        cell.z = '@';
      }
    }
  ws['!cols'] = [{ wch: 10 }, { wch: 16 }, { wch: 20 }, { wch: 24 }, { wch: 26 }];
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, '账号');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}
