/** Normalisers for the values bureaus type: dates, money, vocabularies, lists. */

/** NFKC (full-width → half-width …), skipped for plain ASCII (the common case, and hot). */
function nfkc(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s : s.normalize('NFKC');
}

/** A small memo for vocabulary normalisers: a list has few distinct types and statuses. */
function memo<T>(fn: (s: string) => T): (s: string) => T {
  const cache = new Map<string, T>();
  return (s: string): T => {
    let v = cache.get(s);
    if (v === undefined) {
      v = fn(s);
      if (cache.size > 10_000) cache.clear();
      cache.set(s, v);
    }
    return v;
  };
}

export type DateParse = { iso: string; fromSerial: boolean } | { invalid: true } | null;

function validYmd(y: number, m: number, d: number): string | undefined {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Excel 1900 date system: serial 1 = 1900-01-01, with the 1900-02-29 bug (serials ≥ 61). */
export function excelSerialToIso(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return undefined;
  const day = Math.floor(serial);
  const ms = Date.UTC(1899, 11, day >= 61 ? 30 : 31) + day * 86_400_000;
  const d = new Date(ms);
  return validYmd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/**
 * 2019-03-05, 2019/3/5, 2019.3.5, 2019年3月5日, 20190305, "2019-03-05 00:00:00", Excel serials
 * (5 digits, 1927–2173) → ISO date. Blank → null; anything else → { invalid: true }.
 */
export function parseDate(raw: string): DateParse {
  const s = nfkc(raw).trim();
  if (s === '' || s === '-' || s === '/' || s === '无') return null;
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?$/.exec(s);
  if (m) {
    const iso = validYmd(Number(m[1]), Number(m[2]), Number(m[3]));
    return iso ? { iso, fromSerial: false } : { invalid: true };
  }
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) {
    const iso = validYmd(Number(m[1]), Number(m[2]), Number(m[3]));
    return iso ? { iso, fromSerial: false } : { invalid: true };
  }
  if (/^\d{5}(\.\d+)?$/.test(s)) {
    const iso = excelSerialToIso(Number(s));
    if (iso) return { iso, fromSerial: true };
  }
  return { invalid: true };
}

const DATE_IN_TEXT =
  /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)/g;

/** "2021-01-01至2026-12-31", "2021.1.1-2026.12.31", "至2026年12月31日", "长期" → from / to. */
export function parseDateRange(raw: string): {
  from: string | null;
  to: string | null;
  invalid: boolean;
  open: boolean;
} {
  const s = raw.normalize('NFKC').trim();
  if (s === '') return { from: null, to: null, invalid: false, open: false };
  const found: string[] = [];
  let bad = false;
  for (const m of s.matchAll(DATE_IN_TEXT)) {
    const iso = m[1]
      ? validYmd(Number(m[1]), Number(m[2]), Number(m[3]))
      : validYmd(Number(m[4]), Number(m[5]), Number(m[6]));
    if (iso) found.push(iso);
    else bad = true;
  }
  const open = /长期|永久|无期限/.test(s);
  if (found.length >= 2) return { from: found[0] as string, to: found[1] as string, invalid: bad, open };
  if (found.length === 1) {
    const onlyFrom = open || (/起|自/.test(s.replace(/至.*/, '')) && !/至|到/.test(s));
    return onlyFrom
      ? { from: found[0] as string, to: null, invalid: bad, open }
      : { from: null, to: found[0] as string, invalid: bad, open };
  }
  if (/^\d{5}(\.\d+)?$/.test(s)) {
    const iso = excelSerialToIso(Number(s));
    if (iso) return { from: null, to: iso, invalid: false, open: false };
  }
  return { from: null, to: null, invalid: !open, open };
}

/** The separators of a multi-valued cell: 、，,；; line breaks, and ／/｜|. */
export const MULTI_SEPARATORS = /[、，,；;\n\r/／|｜]+/;

/** Split a cell on a separator pattern (default: splitMulti's). Trimmed, unique, in order. */
export function splitList(raw: string, separators: RegExp = MULTI_SEPARATORS): string[] {
  if (separators === MULTI_SEPARATORS) return splitMulti(raw);
  const out: string[] = [];
  for (const part of raw.split(separators)) {
    const t = part.trim();
    if (t !== '' && !out.includes(t)) out.push(t);
  }
  return out;
}

/**
 * Split a multi-valued cell (检查主体, 配合部门, 专业领域 …) on 、，,；; line breaks and ／/｜|.
 * Trimmed, unique, in order. `keepWhole` lets the caller keep a value that itself contains a
 * separator (a department named 经贸局、交通运输局 in the directory): consecutive pieces are joined
 * back, longest span first, whenever keepWhole accepts the span's text as it stands in the cell.
 * Without keepWhole every separator splits. This is the importer's one splitter for such cells.
 */
export function splitMulti(raw: string, keepWhole?: (s: string) => boolean): string[] {
  // pieces, and the separator text after each (to rebuild a span exactly as written)
  const tokens = raw.split(/([、，,；;\n\r/／|｜]+)/);
  const texts: string[] = [];
  const seps: string[] = [];
  for (let i = 0; i < tokens.length; i += 2) {
    texts.push((tokens[i] as string).trim());
    seps.push((tokens[i + 1] as string | undefined) ?? '');
  }
  const out: string[] = [];
  const add = (t: string) => {
    if (t !== '' && !out.includes(t)) out.push(t);
  };
  const span = (i: number, j: number): string => {
    let t = texts[i] as string;
    for (let k = i + 1; k < j; k++) t += (seps[k - 1] as string) + (texts[k] as string);
    return t;
  };
  for (let i = 0; i < texts.length;) {
    // a name spans at most 8 pieces (bounded work on a hostile cell)
    let j = Math.min(texts.length, i + 8);
    if (keepWhole && texts[i] !== '') {
      for (; j > i + 1; j--) if (texts[j - 1] !== '' && keepWhole(span(i, j))) break;
    } else j = i + 1;
    add(span(i, j));
    i = j;
  }
  return out;
}

/** Only line breaks separate (legal texts contain commas and semicolons). */
export function splitLines(raw: string): string[] {
  return splitList(raw, /[\r\n]+/);
}

/**
 * 检查依据: one statute per line, or several on one line separated by ；; where the next one starts
 * with 《 (a citation such as 《食品安全法》第一百一十条、第一百二十二条 keeps its 、 and ，).
 */
export function splitBasis(raw: string): string[] {
  return splitList(raw, /[\r\n]+|[；;]\s*(?=《)/);
}

/** Multiply a decimal string by 10^k (k ≥ 0) without floating point. */
function shiftDecimal(num: string, k: number): string {
  const neg = num.startsWith('-');
  const [int = '0', frac = ''] = (neg ? num.slice(1) : num).split('.');
  const padded = frac.padEnd(k, '0');
  let intPart = (int + padded.slice(0, k)).replace(/^0+(?=\d)/, '');
  const fracPart = padded.slice(k).replace(/0+$/, '');
  if (intPart === '') intPart = '0';
  return (neg ? '-' : '') + intPart + (fracPart ? `.${fracPart}` : '');
}

export type CapitalParse = { value: string; currency: string | null } | { invalid: true } | null;

/**
 * 注册资本 as a decimal string in 万元 (the unit registries use): "100", "100万元", "1,000.5万",
 * "1.2亿元" (→ 12000), "50万美元" (value 50, currency 美元). Blank → null.
 */
export function parseCapital(raw: string): CapitalParse {
  const s = nfkc(raw).replace(/[\s,]/g, '');
  if (s === '' || s === '-' || s === '/' || s === '无') return null;
  const m = /^(\d+(?:\.\d+)?)(亿|万)?(元|人民币|元人民币|美元|港元|港币|欧元|日元|英镑)?(?:人民币)?$/.exec(s);
  if (!m) return { invalid: true };
  let value = (m[1] as string).replace(/^0+(?=\d)/, '');
  if (value.includes('.')) value = value.replace(/0+$/, '').replace(/\.$/, '');
  if (m[2] === '亿') value = shiftDecimal(value, 4);
  const cur = m[3];
  const currency = cur === undefined || cur === '元' || cur === '人民币' || cur === '元人民币' ? null : cur;
  return { value, currency };
}

/** Entity types (企业类型) the platform filters on; other texts are kept as they are. */
export const ENTITY_TYPES = [
  '有限责任公司',
  '股份有限公司',
  '个人独资企业',
  '合伙企业',
  '个体工商户',
  '农民专业合作社',
  '外商投资企业',
  '非公司企业法人',
  '分支机构',
] as const;

const TYPE_RULES: readonly [RegExp, string][] = [
  [/分公司|分支机构|分店|分厂|营业单位|非法人/, '分支机构'],
  [/个体/, '个体工商户'],
  [/合作社|合作联社/, '农民专业合作社'],
  [/外商|外资|中外合资|中外合作|台港澳|港澳台|外国/, '外商投资企业'],
  [/股份有限/, '股份有限公司'],
  [/有限责任|有限公司|一人有限/, '有限责任公司'],
  [/个人独资/, '个人独资企业'],
  [/合伙/, '合伙企业'],
  [/全民所有制|集体所有制|股份合作|联营|非公司/, '非公司企业法人'],
];

export const normaliseEntityType = memo((raw: string): { value: string; known: boolean } => {
  const s = raw.normalize('NFKC').trim();
  for (const [re, v] of TYPE_RULES) if (re.test(s)) return { value: v, known: true };
  return { value: s, known: false };
});

/** Registration status (登记状态) vocabulary: 存续 · 在营 · 吊销 · 注销 · 撤销 · 迁出 · 停业 · 清算. */
export const ENTITY_STATUSES = ['存续', '在营', '吊销', '注销', '撤销', '迁出', '停业', '清算'] as const;

const STATUS_RULES: readonly [RegExp, string][] = [
  [/注销/, '注销'],
  [/吊销/, '吊销'],
  [/撤销|撤消/, '撤销'],
  [/迁出|迁移/, '迁出'],
  [/清算/, '清算'],
  [/停业|歇业/, '停业'],
  [/存续/, '存续'],
  [/在营|开业|在业|正常|营业|在册|登记成立|确立/, '在营'],
];

export const normaliseEntityStatus = memo((raw: string): { value: string; known: boolean } => {
  const s = raw.normalize('NFKC').trim();
  // "吊销，未注销" is 吊销; "吊销，已注销" is 注销
  if (/吊销/.test(s) && !/已注销/.test(s)) return { value: '吊销', known: true };
  for (const [re, v] of STATUS_RULES) if (re.test(s)) return { value: v, known: true };
  return { value: s, known: false };
});

/** Inspector availability: 在岗 · 休假 · 借调 · 停用. */
export const INSPECTOR_STATUSES = ['在岗', '休假', '借调', '停用'] as const;

export function normaliseInspectorStatus(raw: string): { value: string; active: boolean; known: boolean } {
  const s = raw.normalize('NFKC').trim();
  if (/休假|请假|病假|产假|外出|培训|学习/.test(s)) return { value: '休假', active: true, known: true };
  if (/借调|挂职|抽调/.test(s)) return { value: '借调', active: true, known: true };
  if (/停用|注销|离职|退休|调离|失效|无效|禁用|暂停/.test(s))
    return { value: '停用', active: false, known: true };
  if (/在岗|在职|正常|有效|启用|在用|可用|是/.test(s)) return { value: '在岗', active: true, known: true };
  return { value: s, active: true, known: false };
}

/** 检查方式 vocabulary. */
export const INSPECTION_METHODS = ['现场检查', '书面检查', '网络检查', '专业机构核查', '抽样检测'] as const;

const METHOD_RULES: readonly [RegExp, string][] = [
  [/专业机构/, '专业机构核查'],
  [/抽样|检测|检验/, '抽样检测'],
  [/现场|实地/, '现场检查'],
  [/书面|材料|资料/, '书面检查'],
  [/网络|网上|互联网|在线|网监/, '网络检查'],
];

export function normaliseMethod(raw: string): { value: string; known: boolean } {
  for (const [re, v] of METHOD_RULES) if (re.test(raw)) return { value: v, known: true };
  return { value: raw, known: false };
}

/** 事项类别: 重点检查事项 / 一般检查事项. */
export function normaliseItemKind(raw: string): { value: string; known: boolean } {
  const s = raw.trim();
  if (/重点/.test(s)) return { value: '重点检查事项', known: true };
  if (/一般/.test(s)) return { value: '一般检查事项', known: true };
  return { value: s, known: false };
}

/** "F5211 百货零售", "F 批发和零售业", "5211", "批发和零售业" → code / name. */
export function splitIndustry(raw: string): { code: string | null; name: string | null } {
  const s = raw.normalize('NFKC').trim();
  if (s === '') return { code: null, name: null };
  const m = /^([A-T](?:\d{2,4})?|\d{2,4})(?:[\s:\-—_]+|(?=[\u4e00-\u9fff])|$)(.*)$/.exec(s);
  if (m) {
    const name = (m[2] as string).trim();
    return { code: m[1] as string, name: name === '' ? null : name };
  }
  return { code: null, name: s };
}
