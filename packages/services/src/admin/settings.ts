/**
 * Platform settings: one JSON value per key in `settings`, every value it has had in
 * `settings_history`. The generic pair (readSetting / putSetting) is for any module (the
 * organisation is stored under 'organisation' by its own code); the district rules
 * (DISTRICT_RULES_KEY) have their own validated, audited service here.
 */
import { asc, eq, sql } from 'drizzle-orm';
import {
  AppError,
  DISTRICT_RULES_KEY,
  diffDistrictRules,
  mergeDistrictRules,
  ruleIssueText,
  validateDistrictRules,
  type DistrictRules,
} from '@choucha/core';
import { settings, settingsHistory, users, type Executor } from '@choucha/db';
import { authorize } from '../access.ts';
import { inTransaction } from '../audit.ts';
import type { Actor, Services } from '../context.ts';

export interface StoredSetting {
  value: unknown;
  updatedAt: Date;
  updatedBy: number | null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The stored value of a setting (parsed JSON), or undefined when none was ever stored. */
export async function readSetting(ex: Executor, key: string): Promise<StoredSetting | undefined> {
  const [row] = await ex.select().from(settings).where(eq(settings.key, key)).limit(1);
  if (!row) return undefined;
  return { value: parseJson(row.value), updatedAt: row.updatedAt, updatedBy: row.updatedBy };
}

/** readSetting outside a transaction. No access check: callers decide who may read what. */
export async function getSetting(svc: Services, key: string): Promise<StoredSetting | undefined> {
  return readSetting(svc.database.db as Executor, key);
}

/**
 * Store a setting inside the caller's transaction, with its settings_history row; the caller
 * checks access, validates and writes its audit event. Concurrent writers of one key are
 * serialised (transaction-scoped lock), so the value returned as `before` is the one replaced.
 */
export async function putSetting(
  tx: Executor,
  svc: Services,
  actor: Actor,
  key: string,
  value: unknown,
  note?: string | null,
): Promise<{ before: unknown }> {
  await lockSetting(tx, key);
  const prev = await readSetting(tx, key);
  const text = JSON.stringify(value);
  const by = actor.kind === 'user' ? actor.id : null;
  const at = svc.clock();
  await tx
    .insert(settings)
    .values({ key, value: text, updatedAt: at, updatedBy: by })
    .onConflictDoUpdate({ target: settings.key, set: { value: text, updatedAt: at, updatedBy: by } });
  await tx
    .insert(settingsHistory)
    .values({ key, value: text, changedBy: by, changedAt: at, note: note ?? null });
  return { before: prev?.value };
}

async function lockSetting(tx: Executor, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7215002, hashtext(${key}))`);
}

// ---- the district rules --------------------------------------------------------------------

/** The rules in effect, read inside a transaction (a draw reads them at its commitment). */
export async function readDistrictRules(ex: Executor): Promise<DistrictRules> {
  return mergeDistrictRules((await readSetting(ex, DISTRICT_RULES_KEY))?.value);
}

async function historyVersion(ex: Executor, key: string): Promise<number> {
  const [r] = await ex
    .select({ n: sql<number>`count(*)::int` })
    .from(settingsHistory)
    .where(eq(settingsHistory.key, key));
  return Number(r?.n ?? 0);
}

export interface RulesView {
  rules: DistrictRules;
  defaults: DistrictRules;
  /** Number of saved changes; pass it back to updateRules to refuse a lost update. */
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

async function rulesView(ex: Executor): Promise<RulesView> {
  const stored = await readSetting(ex, DISTRICT_RULES_KEY);
  let updatedBy: string | null = null;
  if (stored?.updatedBy != null) {
    const [u] = await ex
      .select({ displayName: users.displayName })
      .from(users)
      .where(eq(users.id, stored.updatedBy))
      .limit(1);
    updatedBy = u?.displayName ?? null;
  }
  return {
    rules: mergeDistrictRules(stored?.value),
    defaults: mergeDistrictRules(undefined),
    version: await historyVersion(ex, DISTRICT_RULES_KEY),
    updatedAt: stored ? stored.updatedAt.toISOString() : null,
    updatedBy,
  };
}

/** Staff read the rules (they shape draws and the dashboard); the public does not. */
export async function getRules(svc: Services, actor: Actor): Promise<RulesView> {
  authorize(actor, 'dashboard.read');
  return rulesView(svc.database.db as Executor);
}

/** The rules in effect without an access check, for other services (upload limit, dashboard). */
export async function currentRules(svc: Services): Promise<DistrictRules> {
  return readDistrictRules(svc.database.db as Executor);
}

export interface UpdateRulesOptions {
  note?: string | null | undefined;
  /** The `version` the change was based on; a newer stored version is refused (SETTINGS_STALE). */
  version?: number | undefined;
}

/**
 * Change some of the rules (joint office only). The patch is merged over the rules in effect and
 * the whole is validated; every problem is reported at once (details.issues: field, code, params,
 * zh, en). The new value, its history row and the audit event 'settings.update' (before/after of
 * the changed fields) are written in one transaction. Draws already committed keep the rules they
 * recorded (draws.rules, and the commitment's matching rules).
 */
export async function updateRules(
  svc: Services,
  actor: Actor,
  patch: Record<string, unknown>,
  opts: UpdateRulesOptions = {},
): Promise<RulesView> {
  authorize(actor, 'settings.write');
  const note = opts.note?.trim() ? opts.note.trim() : null;
  return inTransaction(svc, actor, async (tx, audit) => {
    await lockSetting(tx, DISTRICT_RULES_KEY);
    const current = await readDistrictRules(tx);
    if (opts.version !== undefined && opts.version !== (await historyVersion(tx, DISTRICT_RULES_KEY)))
      throw new AppError('SETTINGS_STALE');
    const checked = validateDistrictRules({ ...current, ...patch });
    if (!checked.ok)
      throw new AppError(
        'SETTINGS_INVALID',
        checked.error.map((i) => `${i.field}: ${ruleIssueText(i, 'en')}`).join('; '),
        {
          issues: checked.error.map((i) => ({
            ...i,
            zh: ruleIssueText(i, 'zh'),
            en: ruleIssueText(i, 'en'),
          })),
        },
      );
    const next = checked.value;
    const changes = diffDistrictRules(current, next);
    if (changes.length === 0) return rulesView(tx);
    await putSetting(tx, svc, actor, DISTRICT_RULES_KEY, next, note);
    await audit({
      action: 'settings.update',
      subjectType: 'setting',
      subjectId: DISTRICT_RULES_KEY,
      before: Object.fromEntries(changes.map((c) => [c.field, c.before])),
      after: { ...Object.fromEntries(changes.map((c) => [c.field, c.after])), note },
    });
    return rulesView(tx);
  });
}

export interface SettingHistoryEntry {
  id: number;
  changedAt: string;
  changedBy: string | null;
  note: string | null;
  /** The fields that changed, with the value before and after (the rules key only). */
  changes: { field: string; before: unknown; after: unknown }[];
  value: unknown;
}

/**
 * Every value of a setting, newest first, with who changed it, when and what changed. The rules
 * are readable by staff; other keys by the joint office only.
 */
export async function listSettingHistory(
  svc: Services,
  actor: Actor,
  key: string,
  limit = 200,
): Promise<SettingHistoryEntry[]> {
  authorize(actor, key === DISTRICT_RULES_KEY ? 'dashboard.read' : 'settings.write');
  const db = svc.database.db as Executor;
  const rows = await db
    .select({
      id: settingsHistory.id,
      value: settingsHistory.value,
      changedAt: settingsHistory.changedAt,
      note: settingsHistory.note,
      changedBy: users.displayName,
    })
    .from(settingsHistory)
    .leftJoin(users, eq(users.id, settingsHistory.changedBy))
    .where(eq(settingsHistory.key, key))
    .orderBy(asc(settingsHistory.id));
  const out: SettingHistoryEntry[] = [];
  let prev: DistrictRules = mergeDistrictRules(undefined);
  for (const r of rows) {
    const value = parseJson(r.value);
    let changes: SettingHistoryEntry['changes'] = [];
    if (key === DISTRICT_RULES_KEY) {
      const now = mergeDistrictRules(value);
      changes = diffDistrictRules(prev, now);
      prev = now;
    }
    out.push({
      id: r.id,
      changedAt: r.changedAt.toISOString(),
      changedBy: r.changedBy ?? null,
      note: r.note,
      changes,
      value,
    });
  }
  return out.reverse().slice(0, limit);
}

/** Upload ceiling in bytes: the rules' limit, never above the server's hard ceiling. */
export async function uploadLimitBytes(svc: Services, hardCeilingBytes: number): Promise<number> {
  const r = await currentRules(svc);
  return Math.min(hardCeilingBytes, r.uploadLimitMb * 1024 * 1024);
}
