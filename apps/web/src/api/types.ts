/** Client-side types of the directory endpoints, inferred from the shared zod shapes. */
import type { z } from 'zod';
import type {
  CodeHistoryRow,
  CodeIssueEntity,
  CodeIssueList,
  EntityInspection,
  EntitySearchList,
  EntitySearchRow,
  ImportCountsFull,
  ImportRowReportFull,
  ImportSummaryFull,
  InspectorDetail,
  InspectorRow,
  ItemCatalogue,
  ItemEditionDetail,
  ItemEditionRow,
  ItemRow,
  JointItemRow,
  PublicItemList,
} from '@choucha/api';

export type { CodeIssue, EntityDetail, ImportDetailFull } from '@choucha/api';
export type ImportSummaryView = z.infer<typeof ImportSummaryFull>;
export type ImportCountsView = z.infer<typeof ImportCountsFull>;
export type ImportRowView = z.infer<typeof ImportRowReportFull>;
export type CodeIssueListView = z.infer<typeof CodeIssueList>;
export type CodeIssueEntityView = z.infer<typeof CodeIssueEntity>;
export type EntitySearchListView = z.infer<typeof EntitySearchList>;
export type EntitySearchRowView = z.infer<typeof EntitySearchRow>;
export type CodeHistoryView = z.infer<typeof CodeHistoryRow>;
export type EntityInspectionView = z.infer<typeof EntityInspection>;
export type InspectorRowView = z.infer<typeof InspectorRow>;
export type InspectorDetailView = z.infer<typeof InspectorDetail>;
export type ItemCatalogueView = z.infer<typeof ItemCatalogue>;
export type ItemEditionView = z.infer<typeof ItemEditionRow>;
export type ItemEditionDetailView = z.infer<typeof ItemEditionDetail>;
export type ItemView = z.infer<typeof ItemRow>;
export type JointItemView = z.infer<typeof JointItemRow>;
export type PublicItemListView = z.infer<typeof PublicItemList>;

/** A temporary exclusion of an entity from draws (GET /api/exclusions). */
export interface ExclusionView {
  id: number;
  entityId: number;
  entityName: string;
  departmentId: number | null;
  reason: string;
  fromDate: string;
  toDate: string | null;
}

/** Why an entity was not in a draw's roster (GET /api/draws/:id/exclusions). */
export interface DrawExclusionView {
  entityId: number;
  name: string;
  /** The English sentence; shown only for draws committed before reasons had codes. */
  reason: string;
  /** DRAW_EXCLUDED_* (packages/core/src/draw-exclusion-reasons.ts), null for older draws. */
  reasonCode: string | null;
  reasonParams: Record<string, string | number> | null;
}

/** The column mapping stored with an import (services/imports.ts storedMapping). */
export interface StoredMapping {
  fields?: Record<string, { column: number; header: string }>;
  unmapped?: { column: number; header: string }[];
  headerRowNumbers?: number[];
  headers?: string[];
  notices?: string[];
  sheets?: string[];
  fileType?: string;
  encoding?: string;
}
