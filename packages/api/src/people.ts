/**
 * People and access (issue 8 §4): user management, inspector accounts created in bulk with
 * one-time passwords, recusal declarations (回避) and their import, the certificate's status.
 */
import { z } from 'zod';
import { DateText, Id, IdText } from './bounds.ts';

const RoleValue = z.enum(['joint_admin', 'dept_admin', 'inspector', 'leader', 'supervisor']);

// ---- users -----------------------------------------------------------------------------------
export const ManagedUser = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: RoleValue,
  departmentId: z.number().nullable(),
  departmentName: z.string().nullable(),
  mustChangePassword: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.string(),
  inspectorId: z.number().nullable(),
  inspectorName: z.string().nullable(),
  inspectorCertNo: z.string().nullable(),
});
export type ManagedUser = z.infer<typeof ManagedUser>;
export const ManagedUserList = z.object({ items: z.array(ManagedUser) });
export const UserListQuery = z.object({
  departmentId: IdText.optional(),
  role: RoleValue.optional(),
});
export const UpdateUserBody = z
  .object({
    displayName: z.string().trim().min(1).max(100).optional(),
    role: RoleValue.optional(),
    departmentId: Id.nullable().optional(),
  })
  .strict();
export const DisableUserBody = z.object({ disabled: z.boolean() }).strict();
export const LinkInspectorBody = z.object({ inspectorId: Id.nullable() }).strict();

export const InspectorCandidate = z.object({
  id: z.number(),
  name: z.string(),
  certNo: z.string().nullable(),
  departmentId: z.number(),
  active: z.boolean(),
});
export const InspectorCandidateList = z.object({ items: z.array(InspectorCandidate) });
export const InspectorCandidateQuery = z.object({ departmentId: IdText.optional() });

export const BulkCreateBody = z
  .object({
    /** these inspectors; or, without them, every inspector of `departmentId` without an account */
    inspectorIds: z.array(Id).min(1).max(200).optional(),
    departmentId: Id.optional(),
  })
  .strict();
export const BulkCreateResult = z.object({
  created: z.array(
    z.object({
      userId: z.number(),
      username: z.string(),
      displayName: z.string(),
      inspectorId: z.number(),
      certNo: z.string().nullable(),
      departmentId: z.number(),
      departmentName: z.string(),
      /** shown once; only its hash is stored; must be changed at the first login */
      password: z.string(),
    }),
  ),
  skipped: z.array(
    z.object({ inspectorId: z.number(), name: z.string(), reason: z.enum(['HAS_ACCOUNT', 'INACTIVE']) }),
  ),
  /** the same accounts and passwords as .xlsx, base64, in this answer only */
  workbookBase64: z.string(),
  fileName: z.string(),
});
export type BulkCreateResult = z.infer<typeof BulkCreateResult>;

/** The acting user's own inspector record (null when the account is not linked). */
export const MyInspector = z.object({
  inspector: z
    .object({ id: z.number(), name: z.string(), departmentId: z.number(), certNo: z.string().nullable() })
    .nullable(),
});

/** The targets whose team holds the acting user's inspector record (live draws). */
export const MyTargetList = z.object({
  items: z.array(
    z.object({
      targetId: z.number(),
      taskId: z.number(),
      taskName: z.string(),
      windowStart: z.string(),
      windowEnd: z.string(),
      entityId: z.number(),
      entityName: z.string(),
      entityCode: z.string().nullable(),
      address: z.string().nullable(),
      resultStatus: z.string().nullable(),
      resultId: z.number().nullable(),
      /** why the result was sent back, shown to the enterer who answers it */
      reviewNote: z.string().nullable(),
      response: z.string().nullable(),
      deadline: z
        .object({ dueOn: z.string(), state: z.enum(['ok', 'due_soon', 'overdue']), remaining: z.number() })
        .nullable(),
    }),
  ),
});

// ---- certificate status ----------------------------------------------------------------------
/** valid | expiring (within 30 days) | expired | none (no expiry date on record) */
export const CertStatus = z.enum(['valid', 'expiring', 'expired', 'none']);
export type CertStatus = z.infer<typeof CertStatus>;

// ---- recusals ----------------------------------------------------------------------------------
export const RecusalStatus = z.enum(['declared', 'confirmed', 'rejected']);
export const RecusalRow = z.object({
  id: z.number(),
  inspectorId: z.number(),
  inspectorName: z.string(),
  departmentId: z.number(),
  entityId: z.number(),
  entityName: z.string(),
  entityCode: z.string().nullable(),
  relation: z.string(),
  note: z.string().nullable(),
  declaredOn: z.string(),
  status: RecusalStatus,
  declaredBy: z.number().nullable(),
  confirmedBy: z.number().nullable(),
  confirmedAt: z.string().nullable(),
  rejectReason: z.string().nullable(),
  importId: z.number().nullable(),
});
export type RecusalRow = z.infer<typeof RecusalRow>;
export const RecusalList = z.object({ items: z.array(RecusalRow) });
export const RecusalListQuery = z.object({
  status: RecusalStatus.optional(),
  departmentId: IdText.optional(),
});
export const DeclareRecusalBody = z
  .object({
    entityId: Id,
    relation: z.string().trim().min(1).max(100),
    note: z.string().max(500).nullable().optional(),
    declaredOn: DateText.optional(),
  })
  .strict();
export const AddRecusalBody = DeclareRecusalBody.extend({ inspectorId: Id }).strict();
export const DecideRecusalBody = z
  .object({
    decision: z.enum(['confirm', 'reject']),
    reason: z.string().trim().max(500).optional(),
  })
  .strict();

export const RecusalImport = z.object({
  id: z.number(),
  status: z.string(),
  fileName: z.string(),
  counts: z.object({
    rows: z.number(),
    accepted: z.number(),
    warned: z.number(),
    rejected: z.number(),
    merged: z.number(),
    created: z.number().optional(),
  }),
  columns: z.record(z.string(), z.string()),
  unusedColumns: z.array(z.string()),
  rows: z.array(
    z.object({
      rowNumber: z.number(),
      verdict: z.enum(['accepted', 'warning', 'rejected', 'merged']),
      reasons: z.array(
        z.object({
          code: z.string(),
          severity: z.string(),
          message: z.string(),
          field: z.string().optional(),
          value: z.string().optional(),
        }),
      ),
      key: z.string().nullable(),
      name: z.string().nullable(),
    }),
  ),
});
export type RecusalImport = z.infer<typeof RecusalImport>;
