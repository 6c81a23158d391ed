/** One import kind: read the file (resolving departments) and, inside a transaction, write it. */
import type {
  EntityRecord,
  RowReason,
  InspectorRecord,
  ItemRecord,
  JointItemRecord,
} from '@choucha/importer';
import type { Tx } from '@choucha/db';
import { mayWriteDepartment, mayWriteMasterData } from '../access.ts';
import { inTransaction } from '../audit.ts';
import type { Actor, Services } from '../context.ts';
import { detectCodeIssuesIn } from '../code-issues.ts';
import { actorDept, departmentResolver, inspectorGuard, jointResolver } from './departments.ts';
import { DepartmentNames } from './department-map.ts';
import { writeInspectors, writeItems, writeJoint } from './directory-write.ts';
import { EntityLoader } from './entities.ts';
import {
  processFile,
  timing,
  timingStart,
  type ImportRequest,
  type Processed,
  type StoredCounts,
} from './shared.ts';

/**
 * The department of the rows that name none: the one chosen for the upload, or a department
 * admin's own (the only one it may write). The joint office's own department is never assumed.
 */
export function rowFallbackDepartment(actor: Actor, req: ImportRequest): number | undefined {
  if (req.fallbackDepartmentId !== undefined) return req.fallbackDepartmentId ?? undefined;
  if (req.departmentId !== undefined) return req.departmentId;
  return mayWriteDepartment(actor, null) ? undefined : actorDept(actor, req);
}

/** Reads the file (inside `tx` when committing) and, with `write`, writes it. */
export async function runKind(
  svc: Services,
  actor: Actor,
  tx: Tx | undefined,
  req: ImportRequest,
  importId: number | undefined,
): Promise<{ processed: Processed<unknown>; written: Partial<StoredCounts> }> {
  const db = tx ?? svc.database.db;
  const dept = actorDept(actor, req);
  const names =
    req.kind === 'entities' ? undefined : await DepartmentNames.load(db, actor, req.departmentMap);
  const fallback = rowFallbackDepartment(actor, req);
  const keepWhole = names ? (s: string) => names.knows(s) : undefined;
  const withNames = <P extends Processed<unknown>>(p: P): P => {
    if (names) p.departmentNames = names.report();
    return p;
  };
  switch (req.kind) {
    case 'entities': {
      // registration facts are master data: a department's rows add entities and its supervision only
      const facts = await mayWriteMasterData(db, actor);
      if (!tx || importId === undefined) {
        // the dry run matches the rows with the directory, in a transaction of its own (its
        // temporary tables go with it): which rows name an entity already there (a department's:
        // registration facts not written), which ones only by name + 注册号 or name + address
        //
        // The embedded database has one connection: a transaction open while the file is read
        // would hold every other request (the health check, other users' pages) until the end of
        // the read. There the rows are read first and handed to the loader afterwards (memory for
        // the rows of one file); PostgreSQL streams them into the transaction as they are read.
        const buffered: [number, EntityRecord, readonly RowReason[]][] | undefined =
          svc.database.kind === 'pglite' ? [] : undefined;
        const early = buffered
          ? await processFile<EntityRecord>(svc, req, {
              sink: (rowNumber, record, reasons) => {
                buffered.push([rowNumber, record, reasons]);
              },
            })
          : undefined;
        return inTransaction(svc, actor, async (dtx) => {
          const loader = new EntityLoader(svc, dtx, 0, dept, facts, true);
          await loader.begin();
          let processed: Processed<EntityRecord>;
          if (early && buffered) {
            for (const [rowNumber, record, reasons] of buffered)
              await loader.push(rowNumber, record, reasons);
            buffered.length = 0;
            processed = early;
          } else {
            processed = await processFile<EntityRecord>(svc, req, {
              sink: (rowNumber, record, reasons) => loader.push(rowNumber, record, reasons),
            });
          }
          await loader.finish(processed.meta.mapping);
          await loader.annotate(processed);
          return { processed: processed as Processed<unknown>, written: {} };
        });
      }
      timingStart.t = Date.now();
      const loader = new EntityLoader(svc, tx, importId, dept, facts, false);
      await loader.begin();
      const processed = await processFile<EntityRecord>(svc, req, {
        sink: (rowNumber, record, reasons) => loader.push(rowNumber, record, reasons),
      });
      const written = await loader.finish(processed.meta.mapping);
      await loader.annotate(processed);
      timing('written');
      await detectCodeIssuesIn(tx, {
        importId,
        ...(loader.candidates ? { candidates: loader.candidates } : {}),
      });
      timing('code issues detected');
      return { processed: processed as Processed<unknown>, written };
    }
    case 'inspectors': {
      // resolve departments while reading: the resolver needs the header texts, known after readTable
      const guard = await inspectorGuard(db, actor);
      const processed = withNames(
        await processFile<InspectorRecord>(svc, req, {
          resolve: departmentResolver<InspectorRecord>(
            '所属部门',
            '执法人员',
            actor,
            names!,
            fallback,
            false,
            guard,
          ),
        }),
      );
      if (!tx || importId === undefined) return { processed: processed as Processed<unknown>, written: {} };
      return {
        processed: processed as Processed<unknown>,
        written: await writeInspectors(svc, actor, tx, processed, importId),
      };
    }
    case 'items': {
      const processed = withNames(
        await processFile<ItemRecord>(svc, req, {
          resolve: departmentResolver<ItemRecord>('编制单位', '抽查事项清单', actor, names!, fallback, true),
          ...(keepWhole ? { keepWhole } : {}),
        }),
      );
      if (!tx || importId === undefined) return { processed: processed as Processed<unknown>, written: {} };
      return {
        processed: processed as Processed<unknown>,
        written: await writeItems(svc, actor, tx, processed, importId, req),
      };
    }
    case 'joint_items': {
      const processed = withNames(
        await processFile<JointItemRecord>(svc, req, {
          resolve: jointResolver(names!),
          ...(keepWhole ? { keepWhole } : {}),
        }),
      );
      if (!tx || importId === undefined) return { processed: processed as Processed<unknown>, written: {} };
      return {
        processed: processed as Processed<unknown>,
        written: await writeJoint(svc, tx, processed, importId, req),
      };
    }
  }
}
