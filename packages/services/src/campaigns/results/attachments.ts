/**
 * Attachments of a result (photos, PDFs of the 检查记录表), stored in the database (bytea) and never
 * public: whoever may enter the result adds them until it is published; the staff of the task's
 * departments (and the joint office, leaders) download them. Limits: 10 MB a file, 50 MB a result;
 * the type is decided from the bytes (JPEG, PNG, WebP, PDF), never from the name.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import {
  AppError,
  ATTACHMENT_MAX_BYTES,
  ATTACHMENTS_PER_RESULT_MAX_BYTES,
  safeAttachmentName,
  sniffAttachmentType,
} from '@choucha/core';
import { resultAttachments, results, targetInspectors, type Executor } from '@choucha/db';
import { assertDepartment, authorize } from '../../access.ts';
import { linkedInspectorId } from '../../admin/users.ts';
import { inTransaction } from '../../audit.ts';
import type { Actor, Services } from '../../context.ts';
import { loadTask, taskDepartments } from '../../tasks.ts';

async function loadResult(db: Executor, resultId: number) {
  const [r] = await db.select().from(results).where(eq(results.id, resultId));
  if (!r) throw new AppError('NOT_FOUND', `No result ${resultId}`);
  return r;
}

/** The rule of entering the result: the joint office, the result's department, an inspector on the team. */
async function assertMayWriteResult(
  db: Executor,
  actor: Actor,
  r: { targetId: number; departmentId: number },
) {
  authorize(actor, 'result.enter');
  if (actor.kind === 'system' || actor.role === 'joint_admin') return;
  assertDepartment(actor, [r.departmentId], 'write');
  if (actor.role !== 'inspector') return;
  const me = await linkedInspectorId(db, actor);
  const on =
    me === null
      ? []
      : await db
          .select({ id: targetInspectors.inspectorId })
          .from(targetInspectors)
          .where(and(eq(targetInspectors.targetId, r.targetId), eq(targetInspectors.inspectorId, me)));
  if (on.length === 0) throw new AppError('RESULT_NOT_ON_TEAM');
}

/** Who reads a result's attachments: staff who read the task (its departments, the joint office, leaders). */
export async function assertMayReadResult(db: Executor, actor: Actor, r: { taskId: number }) {
  authorize(actor, 'task.read');
  const task = await loadTask(db, r.taskId);
  assertDepartment(actor, taskDepartments(task), 'read');
}

export interface AttachmentMeta {
  id: number;
  resultId: number;
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
  uploadedAt: string;
}

const metaColumns = {
  id: resultAttachments.id,
  resultId: resultAttachments.resultId,
  fileName: resultAttachments.fileName,
  mimeType: resultAttachments.mimeType,
  size: resultAttachments.size,
  sha256: resultAttachments.sha256,
  uploadedAt: resultAttachments.uploadedAt,
};

const toMeta = (a: { uploadedAt: Date } & Omit<AttachmentMeta, 'uploadedAt'>): AttachmentMeta => ({
  ...a,
  uploadedAt: a.uploadedAt.toISOString(),
});

export async function addAttachment(
  svc: Services,
  actor: Actor,
  resultId: number,
  file: { fileName: string; data: Buffer; truncated?: boolean },
  /** the limits (bytes); tests give smaller ones */
  limits: { file: number; total: number } = {
    file: ATTACHMENT_MAX_BYTES,
    total: ATTACHMENTS_PER_RESULT_MAX_BYTES,
  },
): Promise<AttachmentMeta> {
  if (file.truncated || file.data.length > limits.file)
    throw new AppError('ATTACHMENT_TOO_LARGE', undefined, { limitMb: limits.file / 1024 / 1024 });
  if (file.data.length === 0) throw new AppError('ATTACHMENT_MISSING');
  const mimeType = sniffAttachmentType(file.data);
  if (!mimeType) throw new AppError('ATTACHMENT_TYPE_REFUSED');
  return inTransaction(svc, actor, async (tx, audit) => {
    const [r] = await tx.select().from(results).where(eq(results.id, resultId)).for('update');
    if (!r) throw new AppError('NOT_FOUND', `No result ${resultId}`);
    await assertMayWriteResult(tx, actor, r);
    if (r.status === 'published') throw new AppError('RESULT_PUBLISHED');
    const [used] = await tx
      .select({ n: sql<number>`coalesce(sum(${resultAttachments.size}), 0)::int` })
      .from(resultAttachments)
      .where(eq(resultAttachments.resultId, resultId));
    if (Number(used?.n ?? 0) + file.data.length > limits.total)
      throw new AppError('ATTACHMENTS_TOTAL_TOO_LARGE', undefined, { limitMb: limits.total / 1024 / 1024 });
    const sha256 = createHash('sha256').update(file.data).digest('hex');
    const [row] = await tx
      .insert(resultAttachments)
      .values({
        resultId,
        fileName: safeAttachmentName(file.fileName),
        mimeType,
        size: file.data.length,
        sha256,
        data: file.data,
        uploadedBy: actor.kind === 'user' ? actor.id : null,
        uploadedAt: svc.clock(),
      })
      .returning(metaColumns);
    if (!row) throw new Error('Invariant: no row');
    await audit({
      action: 'result.attachment.add',
      subjectType: 'result',
      subjectId: resultId,
      departmentId: r.departmentId,
      after: { attachmentId: row.id, fileName: row.fileName, mimeType, size: row.size, sha256 },
    });
    return toMeta(row);
  });
}

export async function listAttachments(db: Executor, resultId: number): Promise<AttachmentMeta[]> {
  const rows = await db
    .select(metaColumns)
    .from(resultAttachments)
    .where(eq(resultAttachments.resultId, resultId))
    .orderBy(asc(resultAttachments.id));
  return rows.map(toMeta);
}

export async function getAttachment(svc: Services, actor: Actor, id: number) {
  const db = svc.database.db;
  const [a] = await db.select().from(resultAttachments).where(eq(resultAttachments.id, id));
  if (!a) throw new AppError('NOT_FOUND', `No attachment ${id}`);
  await assertMayReadResult(db, actor, await loadResult(db, a.resultId));
  return { fileName: a.fileName, mimeType: a.mimeType, size: a.size, sha256: a.sha256, data: a.data };
}

export async function deleteAttachment(svc: Services, actor: Actor, id: number) {
  return inTransaction(svc, actor, async (tx, audit) => {
    const [a] = await tx.select(metaColumns).from(resultAttachments).where(eq(resultAttachments.id, id));
    if (!a) throw new AppError('NOT_FOUND', `No attachment ${id}`);
    const r = await loadResult(tx, a.resultId);
    await assertMayWriteResult(tx, actor, r);
    if (r.status === 'published') throw new AppError('RESULT_PUBLISHED');
    await tx.delete(resultAttachments).where(eq(resultAttachments.id, id));
    await audit({
      action: 'result.attachment.delete',
      subjectType: 'result',
      subjectId: r.id,
      departmentId: r.departmentId,
      before: { attachmentId: id, fileName: a.fileName, sha256: a.sha256 },
    });
    return { ok: true as const };
  });
}
