/**
 * The columns the importer understands, per kind of list, with the header texts bureaus use
 * (Chinese names, common variants, export codes of the registration systems).
 */

export type ImportKind = 'entities' | 'inspectors' | 'items' | 'joint_items';

export interface FieldDef {
  /** The record property this column feeds. */
  readonly key: string;
  /** Display name (Chinese). */
  readonly label: string;
  /** Header texts, matched after normalisation (see normalizeHeader). */
  readonly aliases: readonly string[];
  /** The column must be mapped for the file to be importable. */
  readonly required?: boolean;
  /** A blank cell means "same as the row above". */
  readonly sameAsAbove?: boolean;
  /** The column may continue the previous item on a row of its own (a second 检查依据 …). */
  readonly continuation?: boolean;
}

export const ENTITY_FIELDS: readonly FieldDef[] = [
  {
    key: 'name',
    label: '企业名称',
    aliases: [
      '企业名称',
      '名称',
      '主体名称',
      '市场主体名称',
      '单位名称',
      '企业(机构)名称',
      '检查对象名称',
      '个体户名称',
      '字号名称',
      'ENTNAME',
    ],
    required: true,
  },
  {
    key: 'uscc',
    label: '统一社会信用代码',
    aliases: [
      '统一社会信用代码',
      '信用代码',
      '社会信用代码',
      '统一代码',
      '统一社会信用代码/注册号',
      'TYXYDM',
      'UNISCID',
      'USCC',
      'CREDITCODE',
    ],
  },
  { key: 'regNo', label: '注册号', aliases: ['注册号', '工商注册号', '营业执照注册号', '注册号码', 'REGNO'] },
  {
    key: 'legalRep',
    label: '法定代表人',
    aliases: [
      '法定代表人',
      '法定代表人(负责人)',
      '负责人',
      '经营者',
      '法人',
      '法人代表',
      '投资人',
      '执行事务合伙人',
      '法定代表人姓名',
      'LEREP',
    ],
  },
  {
    key: 'address',
    label: '住所',
    aliases: [
      '住所',
      '地址',
      '经营场所',
      '住所(经营场所)',
      '注册地址',
      '经营地址',
      '企业地址',
      '住所地',
      'DOM',
      'OPLOC',
    ],
  },
  {
    key: 'status',
    label: '登记状态',
    aliases: ['登记状态', '经营状态', '状态', '企业状态', '企业登记状态', 'REGSTATE', 'ENTSTATUS'],
  },
  {
    key: 'entityType',
    label: '企业类型',
    aliases: ['企业类型', '主体类型', '类型', '市场主体类型', '企业类型名称', '企业性质', 'ENTTYPE'],
  },
  {
    key: 'industryCode',
    label: '行业代码',
    aliases: ['行业代码', '国民经济行业代码', '行业门类代码', 'INDUSTRYCO'],
  },
  {
    key: 'industryName',
    label: '行业',
    aliases: ['行业', '行业门类', '所属行业', '行业名称', '国民经济行业', '行业类别', 'INDUSTRYPHY'],
  },
  { key: 'regionCode', label: '行政区划代码', aliases: ['行政区划代码', '区划代码', '行政区划', 'REGORG'] },
  {
    key: 'street',
    label: '所属街道',
    aliases: [
      '所属街道',
      '街道',
      '乡镇街道',
      '所属乡镇(街道)',
      '所属乡镇街道',
      '街道办',
      '乡镇',
      '所属街道办',
    ],
  },
  {
    key: 'establishedOn',
    label: '成立日期',
    aliases: ['成立日期', '成立时间', '注册日期', '设立日期', 'ESTDATE'],
  },
  {
    key: 'registeredCapital',
    label: '注册资本',
    aliases: ['注册资本', '注册资金', '注册资本(万元)', '注册资本(万)', '出资额', '资金数额', 'REGCAP'],
  },
  { key: 'phone', label: '联系电话', aliases: ['联系电话', '电话', '联系方式', '手机', '手机号码', 'TEL'] },
  {
    key: 'licences',
    label: '许可',
    aliases: [
      '许可',
      '经营许可',
      '许可证',
      '许可证号',
      '许可证编号',
      '行政许可',
      '许可事项',
      '许可信息',
      '许可证名称',
    ],
  },
  { key: 'tags', label: '标签', aliases: ['标签', '分类标签', '监管标签', '特殊标签'] },
];

export const INSPECTOR_FIELDS: readonly FieldDef[] = [
  {
    key: 'name',
    label: '姓名',
    aliases: ['姓名', '执法人员姓名', '人员姓名', '检查人员', '执法人员', '检查人员姓名'],
    required: true,
  },
  {
    key: 'certNo',
    label: '执法证号',
    aliases: [
      '执法证号',
      '执法证件号',
      '执法证件号码',
      '执法证编号',
      '执法证件编号',
      '证件号',
      '证件号码',
      '证号',
      '执法证',
    ],
  },
  { key: 'certValidity', label: '有效期', aliases: ['有效期', '证件有效期', '有效期限', '执法证有效期'] },
  {
    key: 'certValidTo',
    label: '有效期至',
    aliases: ['有效期至', '有效期截止', '截止日期', '有效截止日期', '到期日期', '有效期止'],
  },
  {
    key: 'certValidFrom',
    label: '发证日期',
    aliases: ['发证日期', '有效期起', '有效期自', '起始日期', '发证时间'],
  },
  {
    key: 'departmentName',
    label: '所属部门',
    aliases: [
      '所属部门',
      '单位',
      '所属单位',
      '部门',
      '工作单位',
      '执法单位',
      '执法部门',
      '部门名称',
      '所属部门名称',
      '执法主体',
      '执法机关',
    ],
  },
  {
    key: 'fields',
    label: '专管类型',
    aliases: ['专管类型', '专业领域', '执法领域', '执法类别', '专业类别', '检查领域', '专业', '执法门类'],
  },
  {
    key: 'region',
    label: '区域',
    aliases: ['区域', '所属区域', '负责区域', '片区', '辖区', '区域代码', '行政区划代码'],
  },
  { key: 'phone', label: '电话', aliases: ['电话', '联系电话', '手机', '手机号码', '联系方式'] },
  { key: 'status', label: '状态', aliases: ['状态', '人员状态', '在岗状态'] },
];

export const ITEM_FIELDS: readonly FieldDef[] = [
  {
    key: 'departmentName',
    label: '编制单位',
    aliases: [
      '编制单位',
      '编制单位名称',
      '编制部门',
      '实施部门',
      '实施单位',
      '实施机关',
      '部门',
      '部门名称',
      '责任部门',
      '责任单位',
      '主管部门',
      '抽查部门',
    ],
    sameAsAbove: true,
  },
  { key: 'seq', label: '序号', aliases: ['序号', '编号', '事项编号'] },
  {
    key: 'category',
    label: '抽查类别',
    aliases: [
      '抽查类别',
      '检查类别',
      '抽查项目类别',
      '抽查项目/抽查类别',
      '类别',
      '抽查项目/类别',
      '抽查领域',
      '领域',
      '事项分类',
    ],
    required: true,
    sameAsAbove: true,
  },
  {
    key: 'name',
    label: '抽查事项',
    aliases: [
      '抽查事项',
      '检查事项',
      '事项名称',
      '抽查事项名称',
      '抽查项目/抽查事项',
      '抽查项目/事项',
      '抽查内容',
      '检查事项名称',
      '随机抽查事项',
    ],
    required: true,
  },
  { key: 'targetDesc', label: '检查对象', aliases: ['检查对象', '抽查对象'] },
  { key: 'itemKind', label: '事项类别', aliases: ['事项类别', '事项类型', '事项性质'] },
  { key: 'methods', label: '检查方式', aliases: ['检查方式', '抽查方式', '检查方法'], continuation: true },
  {
    key: 'subjects',
    label: '检查主体',
    aliases: ['检查主体', '检查主体名称', '实施主体', '实施主体名称', '抽查主体'],
    continuation: true,
  },
  {
    key: 'basis',
    label: '检查依据',
    aliases: ['检查依据', '抽查依据', '依据', '法律依据'],
    continuation: true,
  },
];

export const JOINT_ITEM_FIELDS: readonly FieldDef[] = [
  {
    key: 'domain',
    label: '抽查领域',
    aliases: ['抽查领域', '领域', '联合抽查领域'],
    required: true,
    sameAsAbove: true,
  },
  {
    key: 'name',
    label: '抽查事项',
    aliases: ['抽查事项', '检查事项', '事项名称', '联合抽查事项'],
    required: true,
  },
  { key: 'targetDesc', label: '检查对象', aliases: ['检查对象', '抽查对象'] },
  {
    key: 'leadDepartmentName',
    label: '发起部门',
    aliases: ['发起部门', '牵头部门', '发起单位', '牵头单位', '发起部门名称', '牵头部门名称', '牵头单位名称'],
    required: true,
    sameAsAbove: true,
  },
  {
    key: 'cooperatingDepartmentNames',
    label: '配合部门',
    aliases: ['配合部门', '参与部门', '配合单位', '联合部门', '配合部门名称', '参与单位', '配合单位名称'],
    continuation: true,
  },
];

export const FIELDS_BY_KIND: Readonly<Record<ImportKind, readonly FieldDef[]>> = {
  entities: ENTITY_FIELDS,
  inspectors: INSPECTOR_FIELDS,
  items: ITEM_FIELDS,
  joint_items: JOINT_ITEM_FIELDS,
};

/**
 * Header text → comparable form: NFKC (full-width → half-width), no whitespace, no required-field
 * markers (*), no trailing colon, upper-case Latin letters.
 */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u00a0\u3000]+/g, '')
    .replace(/[*＊]/g, '')
    .replace(/[:：]$/, '')
    .toUpperCase();
}

/** Without bracketed remarks: "注册资本（万元）" → "注册资本", "企业名称(必填)" → "企业名称". */
function withoutRemarks(norm: string): string {
  return norm.replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/g, '');
}

const aliasIndexCache = new Map<readonly FieldDef[], Map<string, string>>();

function aliasIndex(fields: readonly FieldDef[]): Map<string, string> {
  let idx = aliasIndexCache.get(fields);
  if (!idx) {
    idx = new Map();
    for (const f of fields) {
      for (const a of [f.key, f.label, ...f.aliases]) {
        const n = normalizeHeader(a);
        if (!idx.has(n)) idx.set(n, f.key);
      }
    }
    aliasIndexCache.set(fields, idx);
  }
  return idx;
}

/** The field a header text names, if any. */
export function matchHeader(text: string, fields: readonly FieldDef[]): string | undefined {
  const n = normalizeHeader(text);
  if (n === '') return undefined;
  const idx = aliasIndex(fields);
  const plain = withoutRemarks(n);
  // "编制单位名称", "检查主体名称": a known header with 名称 appended
  return idx.get(n) ?? idx.get(plain) ?? (plain.endsWith('名称') ? idx.get(plain.slice(0, -2)) : undefined);
}
