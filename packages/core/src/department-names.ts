/**
 * Resolving a department as a file writes it against the district's department directory.
 *
 * Files name departments the way their author saw them: the full name (碑林区市场监督管理局), the
 * short name (市场监管局), the code, a learned alias, or a form of their own (区市场监管局,
 * 碑林区卫生健康委员会 for a 卫生健康局). Resolution goes in two tiers:
 *
 * 1. exact: the name equals an entry's full name, short name, code (letters case-insensitive) or
 *    one of its aliases, after Unicode NFKC folding and removal of white space;
 * 2. form: both sides reduced to their core form (see {@link departmentNameForms}) and compared.
 *
 * A tier that finds exactly one department answers; a tier that finds several answers "ambiguous"
 * with every candidate: the function never guesses between two departments. Only when a tier finds
 * none is the next one tried.
 */

export interface DepartmentNameEntry {
  id: number;
  name: string;
  shortName?: string | null;
  code?: string | null;
  aliases?: readonly string[] | null;
}

export type DepartmentNameVia = 'name' | 'short' | 'code' | 'alias' | 'form';

export type DepartmentNameResolution =
  | { kind: 'match'; id: number; via: DepartmentNameVia }
  | { kind: 'ambiguous'; ids: number[] }
  | { kind: 'none' };

export interface DepartmentNameOrg {
  /** The organisation's place names: 陕西省, 西安市, 碑林区 (their short forms 陕西, 西安, 碑林 are derived). */
  placeNames: readonly string[];
}

/** NFKC, no white space, letters lower-cased: how both sides are compared in the exact tier. */
export function foldDepartmentName(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s\u3000\u00a0]+/g, '')
    .toLowerCase();
}

/** Longer official wordings and the short forms districts use for them (applied longest first). */
const ABBREVIATIONS: readonly (readonly [string, string])[] = [
  ['人力资源和社会保障', '人社'],
  ['人力资源社会保障', '人社'],
  ['住房和城乡建设', '住建'],
  ['住房城乡建设', '住建'],
  ['发展和改革', '发改'],
  ['发展改革', '发改'],
  ['文化和旅游', '文旅'],
  ['文化旅游', '文旅'],
  ['卫生和健康', '卫健'],
  ['卫生健康', '卫健'],
  ['市场监督管理', '市场监管'],
  ['监督管理', '监管'],
  ['城市管理', '城管'],
  ['行政审批服务', '行政审批'],
  ['工业和信息化', '工信'],
  ['科学技术', '科技'],
  ['退役军人事务', '退役军人'],
  ['医疗保障', '医保'],
  ['农业农村', '农业'],
  ['交通运输', '交通'],
];

/** Organisational suffixes that districts, cities and provinces vary (卫健委 ≈ 卫健局, 发改委 ≈ 发改局). */
const SUFFIXES = ['委员会', '办公室', '管理局', '分局', '局', '委', '办'] as const;
/** Level words that may open a name (区教育局, 市场监管局 must keep its 市, see PROTECTED). */
const LEVEL_PREFIXES = ['自治区', '自治州', '自治县', '新区', '省', '市', '区', '县', '州', '旗'] as const;
/** Words that start with a level character but are not a level (市场, 市政, 区域 …). */
const PROTECTED = ['市场', '市政', '市容', '区域', '县域', '州府'] as const;
/** Endings of place names: 碑林区 → 碑林, 陕西省 → 陕西. */
const PLACE_ENDINGS = [
  '特别行政区',
  '自治区',
  '自治州',
  '自治县',
  '新区',
  '省',
  '市',
  '区',
  '县',
  '州',
  '旗',
] as const;

function placeVariants(placeNames: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of placeNames) {
    const f = foldDepartmentName(p);
    if (f.length === 0) continue;
    out.add(f);
    for (const e of PLACE_ENDINGS) {
      if (f.endsWith(e) && f.length - e.length >= 2) {
        out.add(f.slice(0, f.length - e.length));
        break;
      }
    }
  }
  // longest first, so 碑林区 is removed before 碑林
  return [...out].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

function stripLevelPrefixes(s: string): string {
  let cur = s;
  for (;;) {
    if (PROTECTED.some((w) => cur.startsWith(w))) return cur;
    const p = LEVEL_PREFIXES.find((x) => cur.startsWith(x) && cur.length - x.length >= 2);
    if (p === undefined) return cur;
    cur = cur.slice(p.length);
  }
}

function coreForm(raw: string, places: readonly string[]): string | undefined {
  let s = foldDepartmentName(raw);
  if (s.length === 0) return undefined;
  // the organisation's own place names anywhere (公安碑林分局, 西安市碑林区教育局)
  for (const p of places) {
    if (s.length > p.length) s = s.split(p).join('');
  }
  s = stripLevelPrefixes(s);
  for (const [long, short] of ABBREVIATIONS) s = s.split(long).join(short);
  for (const suf of SUFFIXES) {
    if (s.endsWith(suf) && s.length - suf.length >= 2) {
      s = s.slice(0, s.length - suf.length);
      break;
    }
  }
  return s.length >= 2 ? s : undefined;
}

/**
 * The core forms of a department name: the organisation's place names and leading level words
 * (省/市/区/县) removed, long official wordings shortened (监督管理 → 监管, 卫生健康 → 卫健), one
 * organisational suffix dropped (局/委/办/委员会/办公室/分局; a provincial 厅 is kept, it is another body). A name with a bracketed second name,
 * 经贸局(交通运输局), has a form for each part. Forms shorter than two characters are not kept.
 */
export function departmentNameForms(name: string, org?: DepartmentNameOrg): string[] {
  const places = placeVariants(org?.placeNames ?? []);
  const folded = foldDepartmentName(name);
  const parts = new Set<string>([folded]);
  const m = /^(.+?)\((.+)\)$/.exec(folded);
  if (m) {
    parts.delete(folded);
    parts.add(m[1] as string);
    parts.add(m[2] as string);
  }
  const out = new Set<string>();
  for (const p of parts) {
    const f = coreForm(p, places);
    if (f !== undefined) out.add(f);
  }
  return [...out].sort();
}

function decide(hits: Map<number, DepartmentNameVia>): DepartmentNameResolution | undefined {
  if (hits.size === 0) return undefined;
  if (hits.size === 1) {
    const [[id, via]] = [...hits] as [[number, DepartmentNameVia]];
    return { kind: 'match', id, via };
  }
  return { kind: 'ambiguous', ids: [...hits.keys()].sort((a, b) => a - b) };
}

const VIA_RANK: Record<DepartmentNameVia, number> = { name: 0, short: 1, code: 2, alias: 3, form: 4 };

function note(hits: Map<number, DepartmentNameVia>, id: number, via: DepartmentNameVia): void {
  const prev = hits.get(id);
  if (prev === undefined || VIA_RANK[via] < VIA_RANK[prev]) hits.set(id, via);
}

/**
 * A body of another level as a district's file names it: 省教育厅, 省卫生健康委, or a name with the
 * province's or the city's name but not the district's (陕西省卫生健康委员会, 西安市市场监督管理局).
 * It is another department than the district's own of the same field: it resolves only exactly
 * (name, short name, code, or an alias a clerk's mapping taught), never by its form. The place names
 * are the organisation's, province first, the district (the directory's own level) last.
 */
export function namesOtherLevelBody(name: string, org?: DepartmentNameOrg): boolean {
  const s = foldDepartmentName(name);
  if (s.startsWith('省')) return true;
  const places = org?.placeNames ?? [];
  if (places.length < 2) return false;
  const own = places[places.length - 1] as string;
  if (placeVariants([own]).some((v) => s.includes(v))) return false;
  return places.slice(0, -1).some((p) => placeVariants([p]).some((v) => s.startsWith(v)));
}

/**
 * Resolve a department name as a file writes it. Never guesses: several candidates in the first
 * tier that finds any give `ambiguous` with all their ids (ascending).
 */
export function resolveDepartmentName(
  directory: readonly DepartmentNameEntry[],
  name: string,
  org?: DepartmentNameOrg,
): DepartmentNameResolution {
  const q = foldDepartmentName(name);
  if (q.length === 0) return { kind: 'none' };

  const exact = new Map<number, DepartmentNameVia>();
  for (const d of directory) {
    if (foldDepartmentName(d.name) === q) note(exact, d.id, 'name');
    if (d.shortName && foldDepartmentName(d.shortName) === q) note(exact, d.id, 'short');
    if (d.code && foldDepartmentName(d.code) === q) note(exact, d.id, 'code');
    for (const a of d.aliases ?? []) if (foldDepartmentName(a) === q) note(exact, d.id, 'alias');
  }
  const e = decide(exact);
  if (e) return e;

  if (namesOtherLevelBody(name, org)) return { kind: 'none' };
  const qForms = departmentNameForms(name, org);
  if (qForms.length === 0) return { kind: 'none' };
  const wanted = new Set(qForms);
  const byForm = new Map<number, DepartmentNameVia>();
  for (const d of directory) {
    const names = [d.name, d.shortName ?? '', ...(d.aliases ?? [])].filter((x) => x.length > 0);
    if (names.some((n) => departmentNameForms(n, org).some((f) => wanted.has(f)))) note(byForm, d.id, 'form');
  }
  return decide(byForm) ?? { kind: 'none' };
}

/**
 * Resolve many names against one directory: the directory's forms are computed once. Same
 * answers as {@link resolveDepartmentName} name by name.
 */
export function createDepartmentNameResolver(
  directory: readonly DepartmentNameEntry[],
  org?: DepartmentNameOrg,
): (name: string) => DepartmentNameResolution {
  const exact = new Map<string, Map<number, DepartmentNameVia>>();
  const forms = new Map<string, Set<number>>();
  const add = (key: string, id: number, via: DepartmentNameVia): void => {
    if (key.length === 0) return;
    let m = exact.get(key);
    if (!m) exact.set(key, (m = new Map()));
    note(m, id, via);
  };
  for (const d of directory) {
    add(foldDepartmentName(d.name), d.id, 'name');
    if (d.shortName) add(foldDepartmentName(d.shortName), d.id, 'short');
    if (d.code) add(foldDepartmentName(d.code), d.id, 'code');
    for (const a of d.aliases ?? []) add(foldDepartmentName(a), d.id, 'alias');
    for (const n of [d.name, d.shortName ?? '', ...(d.aliases ?? [])]) {
      if (n.length === 0) continue;
      for (const f of departmentNameForms(n, org)) {
        let s = forms.get(f);
        if (!s) forms.set(f, (s = new Set()));
        s.add(d.id);
      }
    }
  }
  return (name: string) => {
    const q = foldDepartmentName(name);
    if (q.length === 0) return { kind: 'none' };
    const e = exact.get(q);
    if (e) return decide(e) ?? { kind: 'none' };
    if (namesOtherLevelBody(name, org)) return { kind: 'none' };
    const hits = new Map<number, DepartmentNameVia>();
    for (const f of departmentNameForms(name, org))
      for (const id of forms.get(f) ?? []) note(hits, id, 'form');
    return decide(hits) ?? { kind: 'none' };
  };
}
