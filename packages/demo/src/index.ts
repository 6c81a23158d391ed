/**
 * @choucha/demo: a deterministic, pure generator of a realistic demo district (碑林区, 西安市,
 * 610103). No database, no clock, no ambient randomness: the same seed gives the same district.
 */
import { generateDepartments } from './departments.ts';
import { generateEntities } from './entities.ts';
import { DEMO_TODAY, generateBatches, generatePlans } from './history.ts';
import { generateInspectors, generateRecusals } from './inspectors.ts';
import { JOINT_ITEMS, generateItemLists } from './items.ts';
import { rngFor } from './prng.ts';
import type { DemoDistrict } from './types.ts';

export type * from './types.ts';
export { ENTERPRISE_TYPES, RISK_CLASSES } from './types.ts';
export { DEPARTMENT_SPECS, CITY_LEAD, REGION_CODE, CITY_REGION_CODE } from './departments.ts';
export { INDUSTRIES } from './industries.ts';
export { STREETS } from './names.ts';
export { ITEM_EDITION, JOINT_ITEMS } from './items.ts';
export {
  DEMO_TODAY,
  DEMO_YEAR,
  H1_END,
  PLAN_DATES,
  SEED_H1,
  SEED_JOINT_BATCHES,
  addDays,
  resultFor,
} from './history.ts';
export { ENTITY_CSV_HEADERS, writeEntitiesCsv, type CsvOptions } from './csv.ts';
export { DEMO_USERS } from './users.ts';
export { codeStatusOf } from './codes.ts';
export { ACTIVE_STATUSES, eligible, isActive, matchesScope } from './scope.ts';
export { Rng, rngFor } from './prng.ts';
export {
  DEMO_DRAND_CHAINS,
  RECORDED_BEACONS,
  roundTime,
  type DemoDrandChain,
  type RecordedBeacon,
} from './beacons.ts';

export const DEFAULT_SEED = 'beilin-2026';

export function generateDistrict(seed: string = DEFAULT_SEED): DemoDistrict {
  const departments = generateDepartments(rngFor(seed, 'departments'));
  const entities = generateEntities(rngFor(seed, 'entities'));
  const inspectors = generateInspectors(rngFor(seed, 'inspectors'));
  const recusals = generateRecusals(rngFor(seed, 'recusals'), inspectors, entities);
  const itemLists = generateItemLists();
  const batches = generateBatches(seed, entities, itemLists);
  return {
    seed,
    regionCode: '610103',
    today: DEMO_TODAY,
    departments,
    entities,
    inspectors,
    recusals,
    itemLists,
    jointItems: JOINT_ITEMS.map((j) => ({
      ...j,
      cooperatingDepartmentCodes: [...j.cooperatingDepartmentCodes],
      items: j.items.map((r) => ({ ...r })),
    })),
    batches,
    plans: generatePlans(batches),
  };
}
