/** Plain data shapes produced by the demo generator; the services layer inserts them. */
import type { RecordedBeacon } from './beacons.ts';

export type RiskClass = 'A' | 'B' | 'C' | 'D';
export const RISK_CLASSES: readonly RiskClass[] = ['A', 'B', 'C', 'D'];

export type CodeStatus = 'valid' | 'check_failed' | 'reg_no_only' | 'unrecoverable' | 'malformed' | 'missing';

/** Entity types in the importer's vocabulary (packages/importer normaliseEntityType). */
export type EntityType = '有限责任公司' | '股份有限公司' | '个体工商户' | '农民专业合作社' | '分支机构';
/** The 企业 (company) types among them. */
export const ENTERPRISE_TYPES: readonly EntityType[] = ['有限责任公司', '股份有限公司'];

export interface DemoDepartment {
  code: string;
  name: string;
  shortName: string;
  level: 'city' | 'district';
  /** Code of the parent unit (the city bureau for the lead), or null. */
  parentCode: string | null;
  isLead: boolean;
  regionCode: string;
  contactName: string;
  contactPhone: string;
}

/** Mirrors the `entities` table (packages/db/src/schema/directories.ts), department codes for ids. */
export interface DemoEntity {
  uscc: string | null;
  regNo: string | null;
  rawCode: string | null;
  codeStatus: CodeStatus;
  name: string;
  entityType: EntityType;
  industryCode: string;
  industryName: string;
  regionCode: string;
  street: string;
  address: string;
  legalRep: string | null;
  /** Decimal string in 万元, or null (branches have no capital of their own). */
  registeredCapital: string | null;
  establishedOn: string;
  status: string;
  phone: string | null;
  licences: string[];
  tags: string[];
  supervisingDeptCodes: string[];
  riskClass: RiskClass;
}

export interface DemoStatusPeriod {
  status: '休假' | '借调' | '停用';
  fromDate: string;
  toDate: string | null;
  note: string;
}

export interface DemoInspector {
  name: string;
  departmentCode: string;
  certNo: string;
  certValidFrom: string;
  certValidTo: string;
  fields: string[];
  regionCode: string;
  phone: string;
  active: boolean;
  statusPeriods: DemoStatusPeriod[];
}

export interface DemoRecusal {
  inspectorIndex: number;
  entityIndex: number;
  relation: '亲属' | '利害关系' | '其他';
  note: string;
  declaredOn: string;
}

/** Machine-readable scope of an item or a batch: every present list must match (AND); inside a list, any (OR). */
export interface DemoScope {
  entityTypes?: EntityType[];
  /** GB/T 4754 code prefixes, e.g. 'H62' or 'F5251'. */
  industryPrefixes?: string[];
  /** Any of these tags or licences. */
  tags?: string[];
  licences?: string[];
  streets?: string[];
  riskClasses?: RiskClass[];
}

export type CheckMethod = '现场检查' | '书面检查' | '网络检查' | '专业机构核查' | '抽样检测';

export interface DemoItem {
  seq: number;
  /** 抽查类别 */
  category: string;
  /** 抽查事项 */
  name: string;
  /** 检查对象 */
  targetDesc: string;
  itemKind: '重点检查事项' | '一般检查事项';
  methods: CheckMethod[];
  /** 检查主体 */
  subjects: string[];
  /** 检查依据 */
  basis: string[];
  field: string;
  scope: DemoScope;
}

export interface DemoItemList {
  departmentCode: string;
  edition: string;
  items: DemoItem[];
}

export interface DemoItemRef {
  departmentCode: string;
  /** Index into that department's item list. */
  index: number;
}

export interface DemoJointItem {
  /** 抽查领域 */
  domain: string;
  name: string;
  targetDesc: string;
  leadDepartmentCode: string;
  cooperatingDepartmentCodes: string[];
  items: DemoItemRef[];
}

export type DemoSampling =
  | { mode: 'classes'; classes: Record<RiskClass, number>; min: number; max: number }
  | { mode: 'ratio'; ratio: number; min: number; max: number };

/**
 * How far a batch has got by DEMO_TODAY: results published; results entered (in review); drawn and
 * matched (awaiting inspection); or only planned (its window has not opened: no task yet).
 */
export type DemoBatchStage = 'published' | 'results' | 'matched' | 'planned';

/** The days (ISO) of a batch's steps as the replay runs them; null when not reached by DEMO_TODAY. */
export interface DemoBatchTimeline {
  created: string | null;
  committed: string | null;
  revealed: string | null;
  inspected: string | null;
  entered: string | null;
  reviewed: string | null;
  published: string | null;
}

/** An annual plan (年度抽查计划): a department's own batches, or the district's joint plan. */
export interface DemoPlan {
  kind: 'department' | 'joint';
  /** The department of a department's plan; null for the joint plan (the joint office's). */
  departmentCode: string | null;
  year: 2023;
  name: string;
  batchIndexes: number[];
}

/** A dice ceremony: where and when the dice were rolled, by whom, before whom. */
export interface DemoCeremony {
  place: string;
  /** ISO 8601, UTC. */
  at: string;
  rolledBy: string;
  witnesses: string[];
}

/**
 * A batch's draw: committed to its dice (20 digits) and to the round of a recorded real drand
 * beacon (published at least a minute after the commitment), revealed at or after that round with
 * the dice and the beacon. Instants are ISO 8601, UTC.
 */
export interface DemoDraw {
  committedAt: string;
  revealedAt: string;
  beacon: RecordedBeacon;
  ceremony: DemoCeremony;
}

export interface DemoBatch {
  index: number;
  name: string;
  departmentCode: string;
  isJoint: boolean;
  cooperatingDepartmentCodes: string[];
  /** Index into `jointItems` for a joint batch. */
  jointItemIndex: number | null;
  items: DemoItemRef[];
  year: 2023;
  windowStart: string;
  windowEnd: string;
  /** 定向 (scope filter) or 不定向 (the department's whole directory). */
  directed: boolean;
  scope: DemoScope;
  sampling: DemoSampling;
  usesRiskClass: boolean;
  /** The number of targets to draw (within sampling.min..max). */
  targetCount: number;
  /** Digits from the public dice ceremony (exactly 20, 0–9), with the drand beacon the seed source of the draw. */
  dice: string;
  /** The draw (commitment, reveal, beacon, ceremony); null for a batch only planned. */
  draw: DemoDraw | null;
  /** How far the batch has got by DEMO_TODAY. */
  stage: DemoBatchStage;
  published: boolean;
  timeline: DemoBatchTimeline;
}

export interface DemoResult {
  codes: string[];
  followUps: string[];
  published: boolean;
}

export interface DemoUser {
  username: string;
  displayName: string;
  role: 'joint_admin' | 'dept_admin' | 'inspector' | 'leader' | 'supervisor';
  departmentCode: string | null;
  inspectorIndex: number | null;
}

export interface DemoDistrict {
  seed: string;
  regionCode: '610103';
  today: string;
  departments: DemoDepartment[];
  entities: DemoEntity[];
  inspectors: DemoInspector[];
  recusals: DemoRecusal[];
  itemLists: DemoItemList[];
  jointItems: DemoJointItem[];
  batches: DemoBatch[];
  plans: DemoPlan[];
}
