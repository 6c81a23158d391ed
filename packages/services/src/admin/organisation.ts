/**
 * The organisation the deployment serves (province → city → district, the lead bureau), stored
 * as JSON under settings key 'organisation', with a settings_history row and an audit event in
 * the same transaction. Everyone signed in reads it (the header shows the district); only the
 * joint office (joint_admin) and the system actor write it.
 */
import { and, count, eq, sql } from 'drizzle-orm';
import { AppError, regionCodeProblems, type OrganisationValue, type Region } from '@choucha/core';
import { departments, settings, settingsHistory, type Executor } from '@choucha/db';
import { authorize } from '../access.ts';
import { inTransaction, type AuditInput } from '../audit.ts';
import type { Actor, Services } from '../context.ts';

export const ORGANISATION_KEY = 'organisation';

export type Organisation = OrganisationValue;

export interface OrganisationInput {
  province: Region;
  city: Region;
  district: Region;
  leadBureauName: string;
}

/** The joint office (or the system actor): the only writers of the organisation and departments. */
export function assertJointAdmin(actor: Actor): void {
  if (actor.kind === 'system') return;
  if (actor.kind !== 'user') throw new AppError('AUTH_REQUIRED');
  if (actor.role !== 'joint_admin')
    throw new AppError(
      'FORBIDDEN',
      'Only the joint office (joint_admin) changes the organisation and departments',
      {
        role: actor.role,
      },
    );
}

function parseOrganisation(text: string | undefined): Organisation | null {
  if (text === undefined) return null;
  try {
    const v = JSON.parse(text) as Partial<Organisation> | null;
    if (!v || typeof v !== 'object' || !v.province || !v.city || !v.district) return null;
    return {
      province: { name: String(v.province.name ?? ''), code: String(v.province.code ?? '') },
      city: { name: String(v.city.name ?? ''), code: String(v.city.code ?? '') },
      district: { name: String(v.district.name ?? ''), code: String(v.district.code ?? '') },
      leadBureauName: String(v.leadBureauName ?? ''),
      setupCompletedAt: typeof v.setupCompletedAt === 'string' ? v.setupCompletedAt : null,
    };
  } catch {
    return null;
  }
}

export async function readOrganisation(ex: Executor): Promise<Organisation | null> {
  const [row] = await ex
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, ORGANISATION_KEY))
    .limit(1);
  return parseOrganisation(row?.value);
}

/** The place names of the organisation, for department-name matching (碑林区, 西安市, 陕西省). */
export function organisationPlaceNames(o: Organisation | null): string[] {
  if (!o) return [];
  return [o.province.name, o.city.name, o.district.name].filter((s) => s.trim().length > 0);
}

/** Write the organisation inside the caller's transaction: settings + settings_history + audit. */
export async function writeOrganisation(
  tx: Executor,
  svc: Services,
  actor: Actor,
  audit: (input: AuditInput) => Promise<void>,
  value: Organisation,
  note: string | null = null,
): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7215002, hashtext(${ORGANISATION_KEY}))`);
  const before = await readOrganisation(tx);
  const text = JSON.stringify(value);
  const by = actor.kind === 'user' ? actor.id : null;
  const at = svc.clock();
  await tx
    .insert(settings)
    .values({ key: ORGANISATION_KEY, value: text, updatedAt: at, updatedBy: by })
    .onConflictDoUpdate({ target: settings.key, set: { value: text, updatedAt: at, updatedBy: by } });
  await tx
    .insert(settingsHistory)
    .values({ key: ORGANISATION_KEY, value: text, changedBy: by, changedAt: at, note });
  await audit({
    action: 'organisation.update',
    subjectType: 'setting',
    subjectId: ORGANISATION_KEY,
    before,
    after: value,
  });
}

function clean(r: Region): Region {
  return { name: r.name.normalize('NFKC').trim(), code: r.code.normalize('NFKC').trim() };
}

export async function getOrganisation(svc: Services, actor: Actor): Promise<Organisation | null> {
  authorize(actor, 'directory.read');
  return readOrganisation(svc.database.db as Executor);
}

/** Validate (GB/T 2260 codes, each inside the level above; names required) and store. */
export async function updateOrganisation(
  svc: Services,
  actor: Actor,
  input: OrganisationInput,
): Promise<Organisation> {
  assertJointAdmin(actor);
  const next = {
    province: clean(input.province),
    city: clean(input.city),
    district: clean(input.district),
    leadBureauName: input.leadBureauName.normalize('NFKC').trim(),
  };
  const problems: { field: string; problem: string }[] = regionCodeProblems(next);
  if (next.leadBureauName.length === 0) problems.push({ field: 'leadBureauName', problem: 'NAME_REQUIRED' });
  if (problems.length > 0) throw new AppError('ORGANISATION_INVALID', undefined, { problems });
  return inTransaction(svc, actor, async (tx, audit) => {
    const prev = await readOrganisation(tx);
    const value: Organisation = { ...next, setupCompletedAt: prev?.setupCompletedAt ?? null };
    await writeOrganisation(tx, svc, actor, audit, value);
    return value;
  });
}

export interface SetupStatus {
  organisation: Organisation | null;
  activeDepartments: number;
  leadDepartments: number;
  /** whether the web app should lead the first administrator to the setup wizard */
  needed: boolean;
  /** what still keeps the setup from being finished */
  missing: ('organisation' | 'departments' | 'lead')[];
}

async function status(ex: Executor): Promise<SetupStatus> {
  const organisation = await readOrganisation(ex);
  const [a] = await ex.select({ n: count() }).from(departments).where(eq(departments.active, true));
  const [l] = await ex
    .select({ n: count() })
    .from(departments)
    .where(and(eq(departments.active, true), eq(departments.isLead, true)));
  const activeDepartments = Number(a?.n ?? 0);
  const leadDepartments = Number(l?.n ?? 0);
  const missing: SetupStatus['missing'] = [];
  if (!organisation) missing.push('organisation');
  if (activeDepartments === 0) missing.push('departments');
  if (leadDepartments !== 1) missing.push('lead');
  // a directory built before this wizard existed (the demo) does not need it
  const needed = organisation ? organisation.setupCompletedAt === null : activeDepartments === 0;
  return { organisation, activeDepartments, leadDepartments, needed, missing };
}

export async function getSetupStatus(svc: Services, actor: Actor): Promise<SetupStatus> {
  authorize(actor, 'directory.read');
  return status(svc.database.db as Executor);
}

/** Finish the wizard: needs the organisation, at least one active department and exactly one lead. */
export async function completeSetup(svc: Services, actor: Actor): Promise<SetupStatus> {
  assertJointAdmin(actor);
  return inTransaction(svc, actor, async (tx, audit) => {
    const s = await status(tx);
    if (s.missing.length > 0 || !s.organisation)
      throw new AppError('CONFLICT', 'The setup is not complete', { missing: s.missing });
    if (s.organisation.setupCompletedAt === null) {
      const value: Organisation = { ...s.organisation, setupCompletedAt: svc.clock().toISOString() };
      await writeOrganisation(tx, svc, actor, audit, value, 'setup completed');
    }
    return status(tx);
  });
}
