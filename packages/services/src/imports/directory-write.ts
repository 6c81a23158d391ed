/** Writing the inspectors, the item lists (editions) and the joint item list. */
import { and, desc, eq, sql } from 'drizzle-orm';
import { inspectorStatusPeriods, inspectors, itemEditions, items, jointItems, type Tx } from '@choucha/db';
import type { InspectorRecord, ItemRecord, JointItemRecord } from '@choucha/importer';
import { assertMayWriteDepartment } from '../access.ts';
import type { Actor, Services } from '../context.ts';
import type { ImportRequest, Processed, StoredCounts } from './shared.ts';

// ---- inspectors ----------------------------------------------------------------------------

export async function writeInspectors(
  svc: Services,
  actor: Actor,
  tx: Tx,
  p: Processed<InspectorRecord>,
  importId: number,
): Promise<Partial<StoredCounts>> {
  const today = svc.clock().toISOString().slice(0, 10);
  const all = await tx.select().from(inspectors);
  const byCert = new Map<string, (typeof all)[number]>();
  const byName = new Map<string, (typeof all)[number]>();
  for (const i of all) {
    if (i.certNo) byCert.set(i.certNo, i);
    byName.set(`${i.departmentId}|${i.name}`, i);
  }
  let created = 0;
  let updated = 0;
  for (const { record: r, ref } of p.records) {
    const departmentId = ref['departmentId'] as number;
    // identity: the certificate number (of the same person: a shared number is a data error the
    // importer already warned about), else name + department
    const byNo = r.certNo ? byCert.get(r.certNo) : undefined;
    const found =
      (byNo && byNo.name === r.name ? byNo : undefined) ?? byName.get(`${departmentId}|${r.name}`);
    // the resolver rejected such rows already; this keeps the write itself honest
    assertMayWriteDepartment(actor, departmentId);
    if (found) assertMayWriteDepartment(actor, found.departmentId);
    const values = {
      departmentId,
      name: r.name,
      certNo: r.certNo,
      certValidFrom: r.certValidFrom,
      certValidTo: r.certValidTo,
      fields: r.fields,
      regionCode: r.regionCode,
      regionName: r.regionName,
      phone: r.phone,
      active: r.active,
      importId,
    };
    let id: number;
    if (found) {
      await tx.update(inspectors).set(values).where(eq(inspectors.id, found.id));
      id = found.id;
      updated++;
    } else {
      const [row] = await tx.insert(inspectors).values(values).returning({ id: inspectors.id });
      id = row!.id;
      created++;
      if (r.certNo && !byCert.has(r.certNo)) byCert.set(r.certNo, { ...values, id } as (typeof all)[number]);
      byName.set(`${departmentId}|${r.name}`, { ...values, id } as (typeof all)[number]);
    }
    // status over time: an open period per non-在岗 status; 在岗 closes the open one
    const open = await tx
      .select()
      .from(inspectorStatusPeriods)
      .where(and(eq(inspectorStatusPeriods.inspectorId, id), sql`${inspectorStatusPeriods.toDate} is null`));
    const current = open[0];
    const status = r.status || '在岗';
    if (current && current.status !== status) {
      await tx
        .update(inspectorStatusPeriods)
        .set({ toDate: today })
        .where(eq(inspectorStatusPeriods.id, current.id));
    }
    if (status !== '在岗' && (!current || current.status !== status)) {
      await tx
        .insert(inspectorStatusPeriods)
        .values({ inspectorId: id, status, fromDate: today, note: `导入 #${importId}` });
    }
  }
  return { created, updated };
}

// ---- items (editions) ------------------------------------------------------------------------

function itemSignature(
  rows: {
    seq: number | null;
    category: string;
    name: string;
    targetDesc: string | null;
    itemKind: string | null;
    methods: string[];
    subjects: string[];
    basis: string[];
  }[],
): string {
  return JSON.stringify(
    rows
      .map((r) => [r.seq, r.category, r.name, r.targetDesc, r.itemKind, r.methods, r.subjects, r.basis])
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  );
}

async function uniqueEditionName(tx: Tx, departmentId: number | null, base: string): Promise<string> {
  const rows = await tx
    .select({ name: itemEditions.name })
    .from(itemEditions)
    .where(
      departmentId === null
        ? sql`${itemEditions.departmentId} is null`
        : eq(itemEditions.departmentId, departmentId),
    );
  const names = new Set(rows.map((r) => r.name));
  if (!names.has(base)) return base;
  for (let i = 2; ; i++) if (!names.has(`${base}（修订${i}）`)) return `${base}（修订${i}）`;
}

export async function writeItems(
  svc: Services,
  actor: Actor,
  tx: Tx,
  p: Processed<ItemRecord>,
  importId: number,
  req: ImportRequest,
): Promise<Partial<StoredCounts>> {
  const byDept = new Map<number, ItemRecord[]>();
  for (const { record, ref } of p.records) {
    // co-lead departments (公安部门、卫生健康部门): the item is listed for each
    const ids = (ref['departmentIds'] as number[] | undefined) ?? [ref['departmentId'] as number];
    for (const d of ids) byDept.set(d, [...(byDept.get(d) ?? []), record]);
  }
  let created = 0;
  let unchanged = 0;
  let editions = 0;
  const now = svc.clock();
  for (const [departmentId, recs] of byDept) {
    assertMayWriteDepartment(actor, departmentId); // rows of other departments were rejected already
    const [current] = await tx
      .select()
      .from(itemEditions)
      .where(
        and(
          eq(itemEditions.departmentId, departmentId),
          eq(itemEditions.status, 'published'),
          eq(itemEditions.listKind, 'items'),
        ),
      )
      .orderBy(desc(itemEditions.id))
      .limit(1);
    if (current) {
      const old = await tx.select().from(items).where(eq(items.editionId, current.id));
      if (itemSignature(old) === itemSignature(recs)) {
        unchanged += recs.length;
        continue;
      }
    }
    const name = await uniqueEditionName(tx, departmentId, req.editionName ?? `${now.getUTCFullYear()}版`);
    const [ed] = await tx
      .insert(itemEditions)
      .values({
        departmentId,
        name,
        status: 'published',
        publishedAt: now,
        listKind: 'items',
        previousId: current?.id ?? null,
        importId,
        createdAt: now,
      })
      .returning({ id: itemEditions.id });
    if (current)
      await tx.update(itemEditions).set({ status: 'superseded' }).where(eq(itemEditions.id, current.id));
    editions++;
    // the old edition's items stay as they are: tasks that cite them keep citing them
    const old = current ? await tx.select().from(items).where(eq(items.editionId, current.id)) : [];
    const oldByName = new Map(old.map((o) => [`${o.category}|${o.name}`, o]));
    for (const r of recs) {
      const prev = oldByName.get(`${r.category}|${r.name}`);
      await tx.insert(items).values({
        editionId: ed!.id,
        departmentId,
        seq: r.seq,
        category: r.category,
        name: r.name,
        targetDesc: r.targetDesc,
        itemKind: r.itemKind,
        methods: r.methods,
        subjects: r.subjects,
        basis: r.basis,
        // keep what the list itself does not say (competence field, machine-readable scope)
        field: prev?.field ?? null,
        scope: prev?.scope ?? null,
      });
      created++;
    }
  }
  return { created, unchanged, editions };
}

export async function writeJoint(
  svc: Services,
  tx: Tx,
  p: Processed<JointItemRecord>,
  importId: number,
  req: ImportRequest,
): Promise<Partial<StoredCounts>> {
  const recs = p.records.map(({ record, ref }) => ({
    domain: record.domain,
    name: record.name,
    targetDesc: record.targetDesc,
    leadDepartmentId: ref['leadDepartmentId'] as number,
    cooperatingDepartmentIds: [...(ref['cooperatingDepartmentIds'] as number[])].sort((a, b) => a - b),
  }));
  const sig = (rows: typeof recs) =>
    JSON.stringify(
      rows
        .map((r) => [r.domain, r.name, r.targetDesc, r.leadDepartmentId, r.cooperatingDepartmentIds])
        .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
    );
  const [current] = await tx
    .select()
    .from(itemEditions)
    .where(and(sql`${itemEditions.departmentId} is null`, eq(itemEditions.status, 'published')))
    .orderBy(desc(itemEditions.id))
    .limit(1);
  if (current) {
    const old = await tx.select().from(jointItems).where(eq(jointItems.editionId, current.id));
    const oldRecs = old.map((o) => ({
      domain: o.domain,
      name: o.name,
      targetDesc: o.targetDesc,
      leadDepartmentId: o.leadDepartmentId,
      cooperatingDepartmentIds: [...o.cooperatingDepartmentIds].sort((a, b) => a - b),
    }));
    if (sig(oldRecs) === sig(recs)) return { created: 0, unchanged: recs.length, editions: 0 };
  }
  if (recs.length === 0) return { created: 0, editions: 0 };
  const now = svc.clock();
  const name = await uniqueEditionName(
    tx,
    null,
    req.editionName ?? `${now.getUTCFullYear()}版 部门联合抽查事项清单`,
  );
  const [ed] = await tx
    .insert(itemEditions)
    .values({
      departmentId: null,
      name,
      status: 'published',
      publishedAt: now,
      listKind: 'joint',
      previousId: current?.id ?? null,
      importId,
      createdAt: now,
    })
    .returning({ id: itemEditions.id });
  if (current)
    await tx.update(itemEditions).set({ status: 'superseded' }).where(eq(itemEditions.id, current.id));
  // link to the departments' published items of the same name, where there are any
  const published = await tx
    .select({ id: items.id, departmentId: items.departmentId, name: items.name })
    .from(items)
    .innerJoin(itemEditions, eq(itemEditions.id, items.editionId))
    .where(eq(itemEditions.status, 'published'));
  for (const r of recs) {
    const depts = [r.leadDepartmentId, ...r.cooperatingDepartmentIds];
    const itemIds = published
      .filter((i) => i.name === r.name && depts.includes(i.departmentId))
      .map((i) => i.id);
    await tx.insert(jointItems).values({ editionId: ed!.id, ...r, itemIds });
  }
  return { created: recs.length, editions: 1 };
}
