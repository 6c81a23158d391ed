import { DEPARTMENT_SPECS, CITY_REGION_CODE, REGION_CODE } from './departments.ts';
import { COOP_INDUSTRY, INDUSTRIES, type IndustrySpec } from './industries.ts';
import { STREETS, TRADE_NAMES, address, landline, mobile, personName, surname } from './names.ts';
import { breakCheckChar, codeStatusOf, makeRegNo, makeUscc, scientific } from './codes.ts';
import { WeightedTable, type Rng } from './prng.ts';
import type { DemoEntity, RiskClass } from './types.ts';

/** Generation category; companies become 有限责任公司 or 股份有限公司 by their name. */
type EntityType = '企业' | '个体工商户' | '农民专业合作社' | '分支机构';

export const ENTITY_COUNT = 30_000;
const COOP_COUNT = 24;
/** Entities registered after this date could have a USCC from the start. */
const USCC_ERA = 2016;

const DEPT_ORDER = new Map(DEPARTMENT_SPECS.map((d, i) => [d.code, i]));

const TRADE_CHARS = [...new Set(TRADE_NAMES.join(''))];

function tradeName(rng: Rng): string {
  return rng.chance(0.6) ? rng.pick(TRADE_NAMES) : rng.pick(TRADE_CHARS) + rng.pick(TRADE_CHARS);
}

function companyName(rng: Rng, ind: IndustrySpec): string {
  const r = rng.next();
  const prefix = r < 0.62 ? '西安' : r < 0.88 ? '陕西' : '西安市碑林区';
  const word = rng.pick(ind.companyWords);
  const suffix = word.endsWith('专业合作社')
    ? ''
    : word === '典当'
      ? '有限责任公司'
      : rng.chance(0.84)
        ? '有限公司'
        : rng.chance(0.9)
          ? '有限责任公司'
          : '股份有限公司';
  return `${prefix}${tradeName(rng)}${word}${suffix}`;
}

function shopName(rng: Rng, ind: IndustrySpec): string {
  const prefix = rng.chance(0.55) ? '碑林区' : '西安市碑林区';
  const r = rng.next();
  const who =
    r < 0.45
      ? tradeName(rng)
      : r < 0.7
        ? `${surname(rng)}记`
        : r < 0.8
          ? `老${surname(rng)}`
          : personName(rng);
  const word = ind.shopWords.length > 0 ? rng.pick(ind.shopWords) : '经营部';
  return `${prefix}${who}${word}`;
}

function branchName(rng: Rng, ind: IndustrySpec, street: string, road: string): string {
  if (ind.code === 'F5265') {
    return `${rng.pick(['中国石化销售股份有限公司陕西西安石油分公司', '中国石油天然气股份有限公司陕西西安销售分公司', '陕西延长石油（集团）有限责任公司西安分公司'])}${road}加油站`;
  }
  const parent = companyName(rng, ind).replace(/^西安市碑林区/, '西安');
  const r = rng.next();
  if (r < 0.45) return `${parent}碑林分公司`;
  if (r < 0.75) return `${parent}${road}店`;
  if (r < 0.9) return `${parent}${street.replace('街道', '')}分店`;
  return `${parent}第${rng.pick(['一', '二', '三', '五', '八', '十二'])}分公司`;
}

/** Up to the demo year (2023): the register as of DEMO_TODAY. */
const YEARS = Array.from({ length: 2023 - 1995 + 1 }, (_, i) => 1995 + i);
/** Years weighted towards the 2014 registration reform and after. */
const YEAR_TABLE = new WeightedTable(
  YEARS,
  YEARS.map((y) => (y < 2005 ? 1 : y < 2014 ? 2.5 : y < 2020 ? 6 : y < 2023 ? 7 : 5)),
);

function establishedOn(rng: Rng): string {
  const year = YEAR_TABLE.pick(rng);
  const month = year === 2023 ? rng.int(1, 9) : rng.int(1, 12);
  const day = rng.int(1, 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const NICE_CAPITAL = [1, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 800, 1000, 2000, 3000, 5000, 10000, 20000];

function capital(rng: Rng, type: EntityType, ind: IndustrySpec): string | null {
  if (type === '分支机构') return null;
  if (type === '个体工商户') return String(rng.pick([0.5, 1, 2, 3, 5, 5, 10, 10, 20, 30, 50]));
  const [lo, hi] = ind.capital;
  const nice = NICE_CAPITAL.filter((c) => c >= lo && c <= hi);
  if (rng.chance(0.08)) return (lo + rng.int(0, Math.round(hi - lo)) + rng.pick([0, 0.5, 0.8])).toString();
  // lower amounts are more common
  const weights = nice.map((_, i) => nice.length - i);
  return String(rng.weighted(nice, weights));
}

function risk(rng: Rng, active: boolean): RiskClass {
  return active
    ? rng.weighted<RiskClass>(['A', 'B', 'C', 'D'], [31.9, 56.1, 10.3, 1.7])
    : rng.weighted<RiskClass>(['A', 'B', 'C', 'D'], [5, 40, 35, 20]);
}

function supervisors(
  type: EntityType,
  ind: IndustrySpec,
  licences: string[],
  tags: string[],
  cap: string | null,
): string[] {
  const s = new Set<string>(['SCJG', ...ind.depts]);
  if (type !== '个体工商户') s.add('SWJ');
  if ((type === '企业' && cap !== null && Number(cap) >= 100) || tags.includes('统计调查单位')) s.add('RSJ');
  if (tags.includes('统计调查单位') || tags.includes('规上企业')) s.add('TJJ');
  if (tags.includes('人员密集场所')) s.add('XFJY');
  if (tags.includes('户外招牌') || tags.includes('餐饮油烟')) s.add('CGJ');
  if (tags.includes('排污登记')) s.add('STHJ');
  if (tags.includes('预付卡经营')) s.add('JMJ');
  if (tags.includes('粮食经营')) s.add('FGW');
  if (licences.includes('食品经营许可证') || licences.includes('公共场所卫生许可证')) s.add('WJJ');
  if (licences.includes('危险化学品经营许可证')) s.add('YJJ');
  return [...s].sort((a, b) => (DEPT_ORDER.get(a) ?? 99) - (DEPT_ORDER.get(b) ?? 99));
}

type Defect = 'none' | 'reg_no_only' | 'missing' | 'check_failed' | 'scientific' | 'malformed';

function defect(rng: Rng): Defect {
  const r = rng.next();
  if (r < 0.03) return 'reg_no_only';
  if (r < 0.04) return 'missing';
  if (r < 0.045) return 'check_failed';
  if (r < 0.048) return 'scientific';
  if (r < 0.049) return 'malformed';
  return 'none';
}

export function generateEntities(rng: Rng, count = ENTITY_COUNT): DemoEntity[] {
  const names = new Set<string>();
  const out: DemoEntity[] = [];
  const industryTable = new WeightedTable(
    INDUSTRIES,
    INDUSTRIES.map((i) => i.weight),
  );
  const coopEvery = Math.max(1, Math.floor(count / COOP_COUNT));
  let coops = 0;
  for (let n = 0; n < count; n++) {
    const isCoop = n % coopEvery === 7 % coopEvery && coops < COOP_COUNT;
    if (isCoop) coops++;
    const ind = isCoop ? COOP_INDUSTRY : industryTable.pick(rng);
    let type: EntityType = isCoop
      ? '农民专业合作社'
      : rng.weighted<EntityType>(
          ['企业', '个体工商户', '分支机构'],
          [ind.typeMix[0], ind.typeMix[1], ind.typeMix[2]],
        );
    if (type === '个体工商户' && ind.shopWords.length === 0) type = '企业';
    const street = rng.pick(STREETS);
    const addr = address(rng, street);
    const road = street.roads.find((r) => addr.includes(r)) ?? street.roads[0] ?? '';

    let name = '';
    for (let attempt = 0; attempt < 30; attempt++) {
      name =
        type === '个体工商户'
          ? shopName(rng, ind)
          : type === '分支机构'
            ? branchName(rng, ind, street.name, road)
            : companyName(rng, ind);
      if (!names.has(name)) break;
    }
    if (names.has(name))
      name = name.replace(
        /(有限公司|有限责任公司|店|馆|部|社|站)$/,
        `（${street.name.replace('街道', '')}）$1`,
      );
    names.add(name);

    let established = establishedOn(rng);
    if (isCoop && established < '2008') established = `${rng.int(2008, 2022)}${established.slice(4)}`;
    const d = defect(rng);
    if (d === 'reg_no_only' && Number(established.slice(0, 4)) >= USCC_ERA) {
      established = `${rng.int(1996, 2015)}${established.slice(4)}`;
    }
    const year = Number(established.slice(0, 4));

    // status: older entities are likelier to be revoked or deregistered
    const sr = rng.next() * (year < 2012 ? 0.6 : 1.15);
    const activeStatus = type === '个体工商户' ? '在营' : '存续';
    const status =
      sr < 0.03 ? '吊销' : sr < 0.055 ? '注销' : sr < 0.065 ? '迁出' : sr < 0.07 ? '停业' : activeStatus;
    const active = status === activeStatus;

    const licences = ind.licences.filter(([, p]) => rng.chance(p)).map(([l]) => l);
    const tags = ind.tags.filter(([, p]) => rng.chance(p)).map(([t]) => t);
    if (licences.includes('特种设备使用登记证') && !tags.includes('特种设备使用单位'))
      tags.push('特种设备使用单位');
    if (type === '企业' && !tags.includes('统计调查单位') && rng.chance(0.04)) tags.push('统计调查单位');

    const cap = capital(rng, type, ind);
    const kind = type === '个体工商户' ? '2' : type === '农民专业合作社' ? '3' : '1';
    const region = type === '企业' && rng.chance(0.12) ? CITY_REGION_CODE : REGION_CODE;
    const newStyle = year >= USCC_ERA || type !== '企业';
    let uscc: string | null = makeUscc(rng, kind, region, newStyle, d === 'scientific');
    let regNo: string | null = null;
    let rawCode: string | null = null;
    if (year < USCC_ERA && rng.chance(0.5)) regNo = makeRegNo(rng, REGION_CODE, type === '个体工商户');
    switch (d) {
      case 'reg_no_only':
        regNo = regNo ?? makeRegNo(rng, REGION_CODE, type === '个体工商户');
        uscc = null;
        break;
      case 'missing':
        uscc = null;
        regNo = null;
        break;
      case 'check_failed':
        uscc = breakCheckChar(rng, uscc);
        rawCode = uscc;
        break;
      case 'scientific':
        rawCode = scientific(rng, uscc);
        uscc = null;
        break;
      case 'malformed': {
        const i = rng.int(8, 16);
        rawCode = uscc.slice(0, i) + rng.pick(['O', 'I', 'Z', 'S']) + uscc.slice(i + 1);
        uscc = null;
        break;
      }
      case 'none':
        break;
    }
    const codeStatus = codeStatusOf(rawCode ?? uscc ?? regNo, REGION_CODE);
    // a genuine all-digit code ending in 000 reads as Excel damage (core/uscc.ts looksFloatRounded):
    // the importer keeps it as raw text, and so does the demo
    if (codeStatus === 'unrecoverable' && rawCode === null && uscc !== null) {
      rawCode = uscc;
      uscc = null;
    }

    const phone = rng.chance(0.95)
      ? type === '个体工商户' || rng.chance(0.6)
        ? mobile(rng)
        : landline(rng)
      : null;
    out.push({
      uscc,
      regNo,
      rawCode,
      codeStatus,
      name,
      entityType: type === '企业' ? (name.endsWith('股份有限公司') ? '股份有限公司' : '有限责任公司') : type,
      industryCode: ind.code,
      industryName: ind.name,
      regionCode: REGION_CODE,
      street: street.name,
      address: addr,
      legalRep: rng.chance(0.99) ? personName(rng) : null,
      registeredCapital: cap,
      establishedOn: established,
      status,
      phone,
      licences,
      tags,
      supervisingDeptCodes: supervisors(type, ind, licences, tags, cap),
      riskClass: risk(rng, active),
    });
  }
  addDuplicateCodes(rng, out);
  return out;
}

/**
 * ~0.2% of entities share a code with another entity of the same kind (重错码): a branch given its
 * parent's code, a typo at registration.
 */
function addDuplicateCodes(rng: Rng, entities: DemoEntity[]): void {
  const pairs = Math.round(entities.length * 0.001);
  const withCode = rng.shuffle(
    entities.map((e, i) => (e.codeStatus === 'valid' ? i : -1)).filter((i) => i >= 0),
  );
  const waiting = new Map<string, DemoEntity>();
  let made = 0;
  for (const i of withCode) {
    if (made >= pairs) break;
    const e = entities[i] as DemoEntity;
    const kind = (e.uscc ?? '').slice(0, 2);
    const a = waiting.get(kind);
    if (a) {
      e.uscc = a.uscc;
      waiting.delete(kind);
      made++;
    } else {
      waiting.set(kind, e);
    }
  }
}
