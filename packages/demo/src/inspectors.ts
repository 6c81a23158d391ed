import { DEPARTMENT_SPECS, REGION_CODE } from './departments.ts';
import { mobile, personName } from './names.ts';
import type { Rng } from './prng.ts';
import type { DemoEntity, DemoInspector, DemoRecusal, DemoStatusPeriod } from './types.ts';

function date(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** ~200 inspectors: 60 in market supervision, 5–15 in each other department. */
export function generateInspectors(rng: Rng): DemoInspector[] {
  const out: DemoInspector[] = [];
  const names = new Set<string>();
  DEPARTMENT_SPECS.forEach((dept, deptNo) => {
    for (let i = 0; i < dept.inspectors; i++) {
      let name = personName(rng);
      while (names.has(name)) name = personName(rng);
      names.add(name);
      // the register's current certificates, issued 2019–2022 and valid eight years (through the demo
      // year 2023 and the years after it, so that a task of today draws them too); a few lapsed in 2023
      const fromYear = rng.weighted([2019, 2020, 2021, 2022], [3, 4, 4, 3]);
      const from = date(fromYear, rng.int(1, 12), rng.int(1, 28));
      const first = out.length === 0; // inspector 0 backs the demo login 'inspector1': always available
      const expired = !first && rng.chance(0.04);
      const to = expired
        ? date(2023, rng.int(1, 9), rng.int(1, 28))
        : date(fromYear + 8, Number(from.slice(5, 7)), Number(from.slice(8, 10)));
      // fields: one to three of the department's fields (market supervision inspectors are broader)
      const k = dept.code === 'SCJG' ? rng.int(2, 4) : rng.int(1, Math.min(2, dept.fields.length));
      const fields = rng
        .sample(dept.fields, k)
        .sort((a, b) => dept.fields.indexOf(a) - dept.fields.indexOf(b));
      const statusPeriods: DemoStatusPeriod[] = [];
      const r = first ? 1 : rng.next();
      if (r < 0.06) {
        const m = rng.int(1, 11);
        const d = rng.int(1, 20);
        statusPeriods.push({
          status: '休假',
          fromDate: date(2023, m, d),
          toDate: date(2023, m, Math.min(28, d + rng.int(5, 14))),
          note: rng.pick(['年休假', '产假', '病假', '探亲假']),
        });
      } else if (r < 0.085) {
        const m = rng.int(2, 9);
        statusPeriods.push({
          status: '借调',
          fromDate: date(2023, m, 1),
          toDate: date(2023, m + rng.int(1, 3), 28),
          note: rng.pick(['借调区委巡察办', '借调市局专项整治工作组', '借调区营商办']),
        });
      }
      const active = first || !rng.chance(0.01);
      if (!active)
        statusPeriods.push({
          status: '停用',
          fromDate: date(2023, rng.int(1, 10), 1),
          toDate: null,
          note: '调离执法岗位',
        });
      out.push({
        name,
        departmentCode: dept.code,
        certNo: `${REGION_CODE}${String(deptNo + 1).padStart(2, '0')}${rng.digits(6)}`,
        certValidFrom: from,
        certValidTo: to,
        fields,
        regionCode: REGION_CODE,
        phone: mobile(rng),
        active,
        statusPeriods,
      });
    }
  });
  ensureCoverage(out);
  return out;
}

/** Matching needs at least 2 inspectors per target: every field of a department is held by ≥ 4 of its inspectors. */
function ensureCoverage(inspectors: DemoInspector[]): void {
  for (const dept of DEPARTMENT_SPECS) {
    const own = inspectors.filter((i) => i.departmentCode === dept.code);
    for (const field of dept.fields) {
      let holders = own.filter((i) => i.fields.includes(field)).length;
      for (const i of own) {
        if (holders >= Math.min(4, own.length)) break;
        if (!i.fields.includes(field)) {
          i.fields.push(field);
          i.fields.sort((a, b) => dept.fields.indexOf(a) - dept.fields.indexOf(b));
          holders++;
        }
      }
    }
  }
}

const NOTES: Record<DemoRecusal['relation'], readonly string[]> = {
  亲属: ['配偶系该主体法定代表人', '其兄为该主体股东', '其子在该主体任职'],
  利害关系: ['本人曾为该主体提供咨询服务', '本人持有该主体股份', '近亲属与该主体存在经济纠纷'],
  其他: ['与该主体负责人系同学关系', '曾在该主体工作', '与该主体负责人系邻居'],
};

/** A few recusal declarations (行政处罚法 第四十三条). */
export function generateRecusals(
  rng: Rng,
  inspectors: DemoInspector[],
  entities: DemoEntity[],
): DemoRecusal[] {
  const out: DemoRecusal[] = [];
  const n = 14;
  for (let i = 0; i < n; i++) {
    const inspectorIndex = rng.int(0, inspectors.length - 1);
    const inspector = inspectors[inspectorIndex] as DemoInspector;
    // an entity this inspector's department supervises, so the recusal matters in a draw
    let entityIndex = rng.int(0, entities.length - 1);
    for (let t = 0; t < 200; t++) {
      const e = entities[entityIndex] as DemoEntity;
      if (e.supervisingDeptCodes.includes(inspector.departmentCode)) break;
      entityIndex = rng.int(0, entities.length - 1);
    }
    const relation = rng.weighted<DemoRecusal['relation']>(['亲属', '利害关系', '其他'], [5, 3, 2]);
    out.push({
      inspectorIndex,
      entityIndex,
      relation,
      note: rng.pick(NOTES[relation]),
      declaredOn: date(2022, rng.int(1, 12), rng.int(1, 28)),
    });
  }
  return out;
}
