import { classifyCode, looksFloatRounded, REG_NO_KIND_ZH } from '@choucha/core';
import type { CodeVerdict, RegNoKind } from '@choucha/core';
import type { ColumnMapping } from './header.ts';
import { isNamePlaceholder, nameForIndividual, usccSaysIndividual } from './individual.ts';
import {
  normaliseEntityStatus,
  normaliseEntityType,
  normaliseInspectorStatus,
  normaliseItemKind,
  normaliseMethod,
  parseCapital,
  parseDate,
  parseDateRange,
  splitBasis,
  splitIndustry,
  splitList,
  splitMulti,
} from './normalise.ts';
import { reason, verdictOf } from './reasons.ts';
import type { RowReason } from './reasons.ts';
import type { SourceRow } from './row.ts';
import { RowView } from './view.ts';

export type CodeStatus = 'valid' | 'check_failed' | 'reg_no_only' | 'unrecoverable' | 'malformed' | 'missing';

/** Matches the columns of `entities` (packages/db/src/schema/directories.ts) that a file can fill. */
export interface EntityRecord {
  uscc: string | null;
  regNo: string | null;
  /** the kind of `regNo` (core/registration.ts), null without one */
  regNoKind: RegNoKind | null;
  rawCode: string | null;
  codeStatus: CodeStatus;
  name: string;
  entityType: string | null;
  industryCode: string | null;
  industryName: string | null;
  regionCode: string | null;
  street: string | null;
  address: string | null;
  legalRep: string | null;
  /** decimal string, in 万元 (converted from 亿; foreign currency kept with a warning) */
  registeredCapital: string | null;
  establishedOn: string | null;
  status: string;
  phone: string | null;
  licences: string[];
  tags: string[];
}

export interface InspectorRecord {
  name: string;
  departmentName: string | null;
  certNo: string | null;
  certValidFrom: string | null;
  certValidTo: string | null;
  fields: string[];
  /** GB/T 2260 code when the 区域 column holds one */
  regionCode: string | null;
  /** the 区域 text otherwise (e.g. 碑林区、张家村街道) */
  regionName: string | null;
  phone: string | null;
  /** 在岗 | 休假 | 借调 | 停用 (or the raw text) */
  status: string;
  active: boolean;
}

export interface ItemRecord {
  departmentName: string | null;
  seq: number | null;
  category: string;
  name: string;
  targetDesc: string | null;
  itemKind: string | null;
  methods: string[];
  subjects: string[];
  basis: string[];
}

export interface JointItemRecord {
  domain: string;
  name: string;
  targetDesc: string | null;
  leadDepartmentName: string;
  cooperatingDepartmentNames: string[];
}

export interface RowResult<R> {
  readonly verdict: 'accepted' | 'warned' | 'rejected';
  readonly reasons: RowReason[];
  /** null when rejected */
  readonly record: R | null;
  /** The identity used for in-file duplicate detection (null: none). */
  readonly key: string | null;
}

export interface ValidateOptions {
  /** The importing department's region (GB/T 2260), for the USCC region check. */
  readonly regionCode?: string;
  /** ISO date, for "certificate expired" (the importer reads no clock). */
  readonly today?: string;
  /**
   * Multi-valued department cells (检查主体, 配合部门): keep a value that contains a separator when
   * this accepts it (e.g. the department directory knows 经贸局、交通运输局 as one name). See splitMulti.
   */
  readonly keepWhole?: (s: string) => boolean;
}

/** Internal: a row as seen by a kind's validator, with the same-as-above values filled in. */
type Build<R> = (v: RowView, opts: ValidateOptions) => { record: R | null; key: string | null };

function finish<R>(v: RowView, built: { record: R | null; key: string | null }): RowResult<R> {
  v.touchAll();
  const verdict = verdictOf(v.reasons);
  return {
    verdict,
    reasons: v.reasons,
    record: verdict === 'rejected' ? null : built.record,
    key: built.key,
  };
}

// ---------------------------------------------------------------------------------------------
// entities

const UNRECOVERABLE_DETAIL: Record<string, string> = {
  SCIENTIFIC_NOTATION: '科学计数法',
  FLOAT_PRECISION_LOST: '超过 15 位有效数字',
  LEADING_ZEROS_LOST: '前导零丢失',
};

function classifyCell(v: RowView, field: string, region: string | undefined): CodeVerdict {
  const text = v.text(field);
  if (v.note(field) === 'float_unsafe' && text !== '') {
    return { kind: 'unrecoverable', raw: text, reason: 'FLOAT_PRECISION_LOST' };
  }
  return classifyCode(text, region);
}

const buildEntity: Build<EntityRecord> = (v, opts) => {
  const reasons = v.reasons;
  const nameText = v.text('name');

  const rowRegion = v.text('regionCode');
  const regionCode = /^\d{6}$/.test(rowRegion) ? rowRegion : null;
  const region = regionCode ?? opts.regionCode;
  const cu = classifyCell(v, 'uscc', region);
  const cr = classifyCell(v, 'regNo', region);

  let uscc: string | null = null;
  let regNo: string | null = null;
  let regNoKind: RegNoKind | null = null;
  let usccFrom = '';
  let regFrom = '';
  const codeWarnings = new Map<string, string>(); // warning → field
  const take = (c: CodeVerdict, field: string): void => {
    if (c.kind === 'uscc') {
      if (uscc === null) {
        uscc = c.code;
        usccFrom = field;
        for (const w of c.warnings) if (!codeWarnings.has(w)) codeWarnings.set(w, field);
      } else if (uscc !== c.code) reasons.push(reason('CODE_CONFLICT', v.at(field, v.text(field))));
      if (field !== 'uscc') reasons.push(reason('CODE_IN_OTHER_COLUMN', v.at(field, c.code)));
    } else if (c.kind === 'reg_no') {
      if (regNo === null) {
        regNo = c.code;
        regNoKind = c.regNoKind;
        regFrom = field;
        for (const w of c.warnings) if (!codeWarnings.has(w)) codeWarnings.set(w, field);
        if (v.note(field) === 'number' && !c.warnings.includes('RECOVERED_FROM_FLOAT')) {
          codeWarnings.set('RECOVERED_FROM_FLOAT', field);
        }
      } else if (regNo !== c.code) reasons.push(reason('CODE_CONFLICT', v.at(field, v.text(field))));
      if (field !== 'regNo') reasons.push(reason('CODE_IN_OTHER_COLUMN', v.at(field, c.code)));
    }
  };
  take(cu, 'uscc');
  take(cr, 'regNo');
  void usccFrom;
  if (regNo !== null && regNoKind !== null && regNoKind !== 'reg15') {
    reasons.push(reason('REG_NO_OLD_FORMAT', v.at(regFrom, regNo, REG_NO_KIND_ZH[regNoKind])));
  }

  let rawCode: string | null = null;
  let damaged: 'unrecoverable' | 'malformed' | null = null;
  for (const [c, field] of [
    [cu, 'uscc'],
    [cr, 'regNo'],
  ] as const) {
    if (c.kind === 'unrecoverable') {
      const detail = looksFloatRounded(c.raw)
        ? '末三位为 000：Excel 只保留 15 位有效数字，其余数字已变成 0；如确为原代码，请在重错码纠错中核对'
        : UNRECOVERABLE_DETAIL[c.reason];
      reasons.push(reason('CODE_UNRECOVERABLE', v.at(field, c.raw, detail)));
      if (damaged !== 'unrecoverable') {
        damaged = 'unrecoverable';
        rawCode = c.raw;
      }
    } else if (c.kind === 'malformed') {
      reasons.push(reason('CODE_MALFORMED', v.at(field, c.raw, c.detail)));
      if (damaged === null) {
        damaged = 'malformed';
        rawCode = c.raw;
      }
    }
  }
  const W: Record<string, Parameters<typeof reason>[0]> = {
    USCC_CHECK_FAILED: 'USCC_CHECK_FAILED',
    USCC_REGION_MISMATCH: 'USCC_REGION_MISMATCH',
    REGNO_CHECK_FAILED: 'REGNO_CHECK_FAILED',
    RECOVERED_FROM_FLOAT: 'CODE_RECOVERED_FROM_FLOAT',
    NORMALISED: 'CODE_NORMALISED',
  };
  for (const [w, field] of codeWarnings) {
    const code = W[w];
    if (code) reasons.push(reason(code, v.at(field, v.text(field))));
  }
  let codeStatus: CodeStatus;
  if (uscc !== null) codeStatus = codeWarnings.has('USCC_CHECK_FAILED') ? 'check_failed' : 'valid';
  else if (damaged) codeStatus = damaged;
  else if (regNo !== null) {
    codeStatus = 'reg_no_only';
    reasons.push(reason('REG_NO_ONLY', v.at(regFrom, regNo)));
  } else {
    codeStatus = 'missing';
    reasons.push(reason('CODE_MISSING', v.at(v.has('uscc') ? 'uscc' : 'regNo')));
  }

  // type, status
  let entityType: string | null = null;
  const typeText = v.text('entityType');
  if (typeText !== '') {
    const t = normaliseEntityType(typeText);
    entityType = t.value;
    if (!t.known) reasons.push(reason('ENTITY_TYPE_UNRECOGNISED', v.at('entityType', typeText)));
  }

  // name; a 个体工商户 without a trade name is named after its operator or code (individual.ts)
  let name = nameText;
  if (name === '' || isNamePlaceholder(name)) {
    const individual =
      entityType === '个体工商户' || (entityType === null && usccSaysIndividual(uscc)) || /个体/.test(name);
    const named = individual ? nameForIndividual(v.opt('legalRep'), uscc, regNo) : undefined;
    if (named) {
      name = named.name;
      if (entityType === null) entityType = '个体工商户';
      reasons.push(
        named.by === 'operator'
          ? reason('INDIVIDUAL_NAMED_BY_OPERATOR', v.at('name', nameText, `“${name}”`))
          : reason('INDIVIDUAL_NAMED_BY_CODE', v.at('name', nameText, `“${name}”`)),
      );
    } else if (name === '') {
      reasons.push(
        reason(
          'NAME_MISSING',
          individual ? v.at('name', undefined, '个体工商户没有字号，也没有经营者和可用的代码') : v.at('name'),
        ),
      );
    }
  }
  let status = '存续';
  const statusText = v.text('status');
  if (statusText !== '') {
    const s = normaliseEntityStatus(statusText);
    status = s.value;
    if (!s.known) reasons.push(reason('STATUS_UNRECOGNISED', v.at('status', statusText)));
  } else if (v.has('status')) reasons.push(reason('STATUS_DEFAULTED', v.at('status', '', '存续')));

  // industry
  let industryCode: string | null = null;
  let industryName: string | null = null;
  const indCode = v.text('industryCode');
  const indName = v.text('industryName');
  if (indName !== '') {
    const s = splitIndustry(indName);
    industryCode = s.code;
    industryName = s.name;
  }
  if (indCode !== '') {
    const s = splitIndustry(indCode);
    industryCode = s.code ?? indCode;
    industryName ??= s.code ? s.name : null;
  }

  // date, capital
  const establishedOn = dateField(v, 'establishedOn');
  let registeredCapital: string | null = null;
  const capText = v.text('registeredCapital');
  const cap = parseCapital(capText);
  if (cap && 'invalid' in cap) reasons.push(reason('CAPITAL_INVALID', v.at('registeredCapital', capText)));
  else if (cap) {
    registeredCapital = cap.value;
    if (cap.currency)
      reasons.push(reason('CAPITAL_FOREIGN_CURRENCY', v.at('registeredCapital', capText, cap.currency)));
  }

  const record: EntityRecord = {
    uscc,
    regNo,
    regNoKind,
    rawCode,
    codeStatus,
    name,
    entityType,
    industryCode,
    industryName,
    regionCode,
    street: v.opt('street'),
    address: v.opt('address'),
    legalRep: v.opt('legalRep'),
    registeredCapital,
    establishedOn,
    status,
    phone: v.opt('phone'),
    licences: splitList(v.text('licences'), /[、，,；;\n\r|｜]+/),
    tags: splitList(v.text('tags')),
  };
  const key = uscc !== null ? `uscc:${uscc}` : regNo !== null ? `regNo:${regNo}` : null;
  return { record, key };
};

function dateField(v: RowView, field: string): string | null {
  const text = v.text(field);
  const d = parseDate(text);
  if (d === null) return null;
  if ('invalid' in d) {
    v.reasons.push(reason('DATE_INVALID', v.at(field, text)));
    return null;
  }
  if (d.fromSerial) v.reasons.push(reason('DATE_FROM_SERIAL', v.at(field, text, d.iso)));
  return d.iso;
}

// ---------------------------------------------------------------------------------------------
// inspectors

const buildInspector: Build<InspectorRecord> = (v, opts) => {
  const reasons = v.reasons;
  const name = v.text('name');
  if (name === '') reasons.push(reason('NAME_MISSING', v.at('name')));
  const certNo = v.opt('certNo');
  if (certNo === null) reasons.push(reason('CERT_MISSING', v.at('certNo')));
  let certValidFrom: string | null = null;
  let certValidTo: string | null = null;
  const validity = v.text('certValidity');
  if (validity !== '') {
    const r = parseDateRange(validity);
    if (r.invalid) reasons.push(reason('DATE_INVALID', v.at('certValidity', validity)));
    certValidFrom = r.from;
    certValidTo = r.to;
  }
  certValidTo = dateField(v, 'certValidTo') ?? certValidTo;
  certValidFrom = dateField(v, 'certValidFrom') ?? certValidFrom;
  if (certValidFrom && certValidTo && certValidFrom > certValidTo) {
    reasons.push(reason('CERT_RANGE_INVALID', v.at('certValidity', `${certValidFrom}～${certValidTo}`)));
  }
  if (opts.today && certValidTo && certValidTo < opts.today) {
    reasons.push(
      reason('CERT_EXPIRED', v.at(v.has('certValidTo') ? 'certValidTo' : 'certValidity', certValidTo)),
    );
  }
  const departmentName = v.opt('departmentName');
  if (departmentName === null) reasons.push(reason('DEPARTMENT_MISSING', v.at('departmentName')));
  const regionText = v.text('region');
  const statusText = v.text('status');
  const st =
    statusText === '' ? { value: '在岗', active: true, known: true } : normaliseInspectorStatus(statusText);
  if (!st.known) reasons.push(reason('STATUS_UNRECOGNISED', v.at('status', statusText)));
  const record: InspectorRecord = {
    name,
    departmentName,
    certNo,
    certValidFrom,
    certValidTo,
    fields: splitList(v.text('fields')),
    regionCode: /^\d{6}$/.test(regionText) ? regionText : null,
    regionName: regionText !== '' && !/^\d{6}$/.test(regionText) ? regionText : null,
    phone: v.opt('phone'),
    status: st.value,
    active: st.active,
  };
  const key =
    certNo !== null ? `cert:${certNo}` : name !== '' ? `name:${departmentName ?? ''}|${name}` : null;
  return { record, key };
};

// ---------------------------------------------------------------------------------------------
// items and joint items

function methodsOf(v: RowView, text: string): string[] {
  const out: string[] = [];
  for (const part of splitList(text)) {
    const m = normaliseMethod(part);
    if (!m.known) v.reasons.push(reason('METHOD_UNRECOGNISED', v.at('methods', part)));
    if (!out.includes(m.value)) out.push(m.value);
  }
  return out;
}

const buildItem: Build<ItemRecord> = (v, opts) => {
  const reasons = v.reasons;
  const name = v.text('name');
  if (name === '') reasons.push(reason('ITEM_NAME_MISSING', v.at('name')));
  const category = v.text('category');
  if (category === '') reasons.push(reason('CATEGORY_MISSING', v.at('category')));
  const seqText = v.text('seq');
  let seq: number | null = null;
  if (seqText !== '') {
    const n = Number(seqText.normalize('NFKC').replace(/[.、．]$/, ''));
    if (Number.isSafeInteger(n) && n >= 0) seq = n;
    else reasons.push(reason('SEQ_INVALID', v.at('seq', seqText)));
  }
  let itemKind: string | null = null;
  const kindText = v.text('itemKind');
  if (kindText !== '') {
    const k = normaliseItemKind(kindText);
    itemKind = k.value;
    if (!k.known) reasons.push(reason('ITEM_KIND_UNRECOGNISED', v.at('itemKind', kindText)));
  }
  const departmentName = v.opt('departmentName');
  const record: ItemRecord = {
    departmentName,
    seq,
    category,
    name,
    targetDesc: v.opt('targetDesc'),
    itemKind,
    methods: methodsOf(v, v.text('methods')),
    subjects: splitMulti(v.text('subjects'), opts.keepWhole),
    basis: splitBasis(v.text('basis')),
  };
  const key = name !== '' ? `${departmentName ?? ''}|${category}|${name}` : null;
  return { record, key };
};

const buildJointItem: Build<JointItemRecord> = (v, opts) => {
  const reasons = v.reasons;
  const domain = v.text('domain');
  if (domain === '') reasons.push(reason('DOMAIN_MISSING', v.at('domain')));
  const name = v.text('name');
  if (name === '') reasons.push(reason('ITEM_NAME_MISSING', v.at('name')));
  const lead = v.text('leadDepartmentName');
  if (lead === '') reasons.push(reason('LEAD_DEPARTMENT_MISSING', v.at('leadDepartmentName')));
  const record: JointItemRecord = {
    domain,
    name,
    targetDesc: v.opt('targetDesc'),
    leadDepartmentName: lead,
    cooperatingDepartmentNames: splitMulti(v.text('cooperatingDepartmentNames'), opts.keepWhole).filter(
      (d) => d !== lead,
    ),
  };
  return { record, key: name !== '' ? `${domain}|${name}|${lead}` : null };
};

// ---------------------------------------------------------------------------------------------
// stateless entry points (one row; no same-as-above, duplicates or continuation)

export function validateEntityRow(
  row: SourceRow,
  mapping: ColumnMapping,
  opts: ValidateOptions = {},
): RowResult<EntityRecord> {
  const v = new RowView(row, mapping);
  return finish(v, buildEntity(v, opts));
}

export function validateInspectorRow(
  row: SourceRow,
  mapping: ColumnMapping,
  opts: ValidateOptions = {},
): RowResult<InspectorRecord> {
  const v = new RowView(row, mapping);
  return finish(v, buildInspector(v, opts));
}

export function validateItemRow(
  row: SourceRow,
  mapping: ColumnMapping,
  opts: ValidateOptions = {},
): RowResult<ItemRecord> {
  const v = new RowView(row, mapping);
  return finish(v, buildItem(v, opts));
}

export function validateJointItemRow(
  row: SourceRow,
  mapping: ColumnMapping,
  opts: ValidateOptions = {},
): RowResult<JointItemRecord> {
  const v = new RowView(row, mapping);
  return finish(v, buildJointItem(v, opts));
}

export interface KindSpec<R> {
  readonly build: Build<R>;
  /** Fields whose blank means "same as above". */
  readonly sameAsAbove: readonly string[];
  /** For lists whose rows may continue the previous record. */
  readonly continuation?: {
    /** Blank (or merged) on a continuation row. */
    readonly identity: readonly string[];
    /** The only fields a continuation row fills. */
    readonly fields: readonly string[];
    /** Add a continuation row's values to the record. */
    readonly merge: (record: R, v: RowView, opts: ValidateOptions) => void;
  };
}

function pushUnique(into: string[], values: readonly string[]): void {
  for (const x of values) if (!into.includes(x)) into.push(x);
}

export const ENTITY_SPEC: KindSpec<EntityRecord> = { build: buildEntity, sameAsAbove: [] };
export const INSPECTOR_SPEC: KindSpec<InspectorRecord> = { build: buildInspector, sameAsAbove: [] };
export const ITEM_SPEC: KindSpec<ItemRecord> = {
  build: buildItem,
  sameAsAbove: ['departmentName', 'category'],
  continuation: {
    identity: ['seq', 'name'],
    fields: ['methods', 'subjects', 'basis'],
    merge: (r, v, opts) => {
      pushUnique(r.methods, methodsOf(v, v.text('methods')));
      pushUnique(r.subjects, splitMulti(v.text('subjects'), opts.keepWhole));
      pushUnique(r.basis, splitBasis(v.text('basis')));
    },
  },
};
export const JOINT_ITEM_SPEC: KindSpec<JointItemRecord> = {
  build: buildJointItem,
  sameAsAbove: ['domain', 'leadDepartmentName'],
  continuation: {
    identity: ['name'],
    fields: ['cooperatingDepartmentNames'],
    merge: (r, v, opts) => {
      pushUnique(
        r.cooperatingDepartmentNames,
        splitMulti(v.text('cooperatingDepartmentNames'), opts.keepWhole).filter(
          (d) => d !== r.leadDepartmentName,
        ),
      );
    },
  },
};
