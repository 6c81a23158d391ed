/**
 * 抽查事项清单 in editions (2020版, 2023版 …): a change creates a new edition and the old one is
 * kept as it was (status superseded) — tasks cite items of an edition, and only items of a
 * published edition can be cited (清单之外无检查). The joint list (部门联合抽查事项清单) is an
 * edition without a department. The published lists are public.
 */
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { AppError, parseEntityScope, type EntityScope } from '@choucha/core';
import { departments, itemEditions, items, jointItems } from '@choucha/db';
import { assertMayWriteDepartment, authorize } from './access.ts';
import { inTransaction } from './audit.ts';
import type { Actor, Services } from './context.ts';

const itemColumns = {
  id: items.id,
  editionId: items.editionId,
  departmentId: items.departmentId,
  seq: items.seq,
  category: items.category,
  name: items.name,
  targetDesc: items.targetDesc,
  itemKind: items.itemKind,
  methods: items.methods,
  subjects: items.subjects,
  basis: items.basis,
  field: items.field,
  scope: items.scope,
};

/** The stored scope as answered: normalised; one that no longer parses is shown (and used) as not set. */
function scopeView(raw: unknown): EntityScope | null {
  const p = parseEntityScope(raw);
  return p.ok ? p.scope : null;
}
function withScope<T extends { scope: unknown }>(row: T): Omit<T, 'scope'> & { scope: EntityScope | null } {
  return { ...row, scope: scopeView(row.scope) };
}

const editionColumns = {
  id: itemEditions.id,
  departmentId: itemEditions.departmentId,
  name: itemEditions.name,
  status: itemEditions.status,
  listKind: itemEditions.listKind,
  previousId: itemEditions.previousId,
  publishedAt: itemEditions.publishedAt,
  createdAt: itemEditions.createdAt,
};

function editionView(e: {
  id: number;
  departmentId: number | null;
  name: string;
  status: string;
  listKind: string;
  previousId: number | null;
  publishedAt: Date | null;
  createdAt: Date;
}) {
  return {
    ...e,
    // the joint list is the edition without a department
    listKind: e.departmentId === null ? 'joint' : e.listKind,
    publishedAt: e.publishedAt?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
  };
}

/**
 * Editions (all, newest last) and the items of the published ones, plus the published joint
 * items. `departmentId` narrows to one department's list (and the joint list).
 */
export async function listItems(svc: Services, departmentId?: number) {
  const db = svc.database.db;
  const editions = (
    await db
      .select(editionColumns)
      .from(itemEditions)
      .where(
        departmentId === undefined
          ? undefined
          : or(eq(itemEditions.departmentId, departmentId), sql`${itemEditions.departmentId} is null`),
      )
      .orderBy(asc(itemEditions.id))
  ).map(editionView);
  const published = editions.filter((e) => e.status === 'published');
  const itemEds = published.filter((e) => e.departmentId !== null).map((e) => e.id);
  const jointEds = published.filter((e) => e.departmentId === null).map((e) => e.id);
  const rows = itemEds.length
    ? await db
        .select(itemColumns)
        .from(items)
        .where(
          and(
            inArray(items.editionId, itemEds),
            departmentId === undefined ? undefined : eq(items.departmentId, departmentId),
          ),
        )
        .orderBy(asc(items.departmentId), asc(items.seq), asc(items.id))
    : [];
  const joint = jointEds.length
    ? await db
        .select()
        .from(jointItems)
        .where(inArray(jointItems.editionId, jointEds))
        .orderBy(asc(jointItems.id))
    : [];
  return {
    editions,
    items: rows.map(withScope),
    jointItems: joint.filter(
      (j) =>
        departmentId === undefined ||
        j.leadDepartmentId === departmentId ||
        j.cooperatingDepartmentIds.includes(departmentId),
    ),
  };
}

export async function listItemsFor(svc: Services, actor: Actor, departmentId?: number) {
  authorize(actor, 'directory.read');
  return listItems(svc, departmentId);
}

/** One edition with its items (or joint items) — superseded editions too, as they were. */
export async function getItemEdition(svc: Services, actor: Actor, id: number) {
  authorize(actor, 'directory.read');
  const db = svc.database.db;
  const [e] = await db.select(editionColumns).from(itemEditions).where(eq(itemEditions.id, id));
  if (!e) throw new AppError('NOT_FOUND', `No item edition ${id}`);
  const its = await db
    .select(itemColumns)
    .from(items)
    .where(eq(items.editionId, id))
    .orderBy(asc(items.seq), asc(items.id));
  const joint = await db
    .select()
    .from(jointItems)
    .where(eq(jointItems.editionId, id))
    .orderBy(asc(jointItems.id));
  const later = await db
    .select({ id: itemEditions.id, name: itemEditions.name })
    .from(itemEditions)
    .where(eq(itemEditions.previousId, id));
  return {
    edition: editionView(e),
    items: its.map(withScope),
    jointItems: joint,
    supersededBy: later[0] ?? null,
  };
}

/**
 * The public portal's list: published editions only, with department names; no internal fields
 * (competence field, machine-readable scope, risk classes).
 */
export async function publicItemList(svc: Services) {
  const db = svc.database.db;
  const depts = await db
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .orderBy(asc(departments.id));
  const name = (id: number | null) => depts.find((d) => d.id === id)?.name ?? null;
  const eds = await db
    .select(editionColumns)
    .from(itemEditions)
    .where(eq(itemEditions.status, 'published'))
    .orderBy(asc(itemEditions.id));
  const ids = eds.map((e) => e.id);
  const its = ids.length
    ? await db
        .select(itemColumns)
        .from(items)
        .where(inArray(items.editionId, ids))
        .orderBy(asc(items.departmentId), asc(items.seq), asc(items.id))
    : [];
  const joint = ids.length
    ? await db.select().from(jointItems).where(inArray(jointItems.editionId, ids)).orderBy(asc(jointItems.id))
    : [];
  return {
    editions: eds.map((e) => ({
      id: e.id,
      name: e.name,
      departmentId: e.departmentId,
      departmentName: name(e.departmentId),
      publishedAt: e.publishedAt?.toISOString() ?? null,
    })),
    items: its.map(({ field: _f, scope: _s, ...i }) => ({
      ...i,
      departmentName: name(i.departmentId) ?? '',
    })),
    jointItems: joint.map((j) => ({
      id: j.id,
      editionId: j.editionId,
      domain: j.domain,
      name: j.name,
      targetDesc: j.targetDesc,
      leadDepartmentName: name(j.leadDepartmentId) ?? '',
      cooperatingDepartmentNames: j.cooperatingDepartmentIds.map((d) => name(d) ?? ''),
    })),
  };
}

/** 清单之外无检查: the ids that are not items of a published edition (empty = all citable). */
export async function itemsOutsideList(svc: Services, itemIds: readonly number[]): Promise<number[]> {
  if (itemIds.length === 0) return [];
  const found = await svc.database.db
    .select({ id: items.id })
    .from(items)
    .innerJoin(itemEditions, eq(itemEditions.id, items.editionId))
    .where(and(inArray(items.id, [...itemIds]), eq(itemEditions.status, 'published')));
  const ok = new Set(found.map((f) => f.id));
  return itemIds.filter((id) => !ok.has(id));
}

/**
 * Sets an item's machine-readable scope (检查对象范围), which restricts the roster of every task that
 * cites it from the next draw on (a committed draw keeps its roster). `null` = not set; `{}` = all
 * market entities; else conditions (core/scope). The department admin of the item's department or
 * the joint office; audited with the scope before and after. Items of a superseded edition stay as
 * they were.
 */
export async function setItemScope(svc: Services, actor: Actor, itemId: number, raw: unknown) {
  authorize(actor, 'directory.import');
  const parsed = parseEntityScope(raw);
  if (!parsed.ok)
    throw new AppError('ITEM_SCOPE_INVALID', `Scope field ${parsed.field}: ${parsed.reason}`, {
      field: `scope.${parsed.field}`,
      reason: parsed.reason,
    });
  const scope = parsed.scope;
  return inTransaction(svc, actor, async (tx, audit) => {
    const [it] = await tx
      .select({
        id: items.id,
        departmentId: items.departmentId,
        scope: items.scope,
        status: itemEditions.status,
      })
      .from(items)
      .innerJoin(itemEditions, eq(itemEditions.id, items.editionId))
      .where(eq(items.id, itemId));
    if (!it) throw new AppError('ITEM_NOT_FOUND', `No item ${itemId}`, { itemId });
    assertMayWriteDepartment(actor, it.departmentId);
    if (it.status === 'superseded')
      throw new AppError('ITEM_NOT_IN_LIST', `Item ${itemId} is on a superseded edition`, { itemId });
    const ids = scope?.supervisingDepartments ?? [];
    if (ids.length) {
      const found = await tx
        .select({ id: departments.id })
        .from(departments)
        .where(inArray(departments.id, ids));
      const missing = ids.filter((d) => !found.some((f) => f.id === d));
      if (missing.length)
        throw new AppError('ITEM_SCOPE_INVALID', `No department ${missing.join(', ')}`, {
          field: 'scope.supervisingDepartments',
          reason: 'department',
          departmentIds: missing,
        });
    }
    const before = scopeView(it.scope);
    await tx.update(items).set({ scope }).where(eq(items.id, itemId));
    await audit({
      action: 'item.scope',
      subjectType: 'item',
      subjectId: itemId,
      departmentId: it.departmentId,
      before: { scope: before },
      after: { scope },
    });
    return { id: itemId, scope };
  });
}
