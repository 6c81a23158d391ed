import type { DemoEntity, DemoScope } from './types.ts';

export const ACTIVE_STATUSES: readonly string[] = ['存续', '在营'];

export function isActive(e: DemoEntity): boolean {
  return ACTIVE_STATUSES.includes(e.status);
}

/** Every present list must match (AND); inside a list, any value (OR). Tags and licences share one list each. */
export function matchesScope(e: DemoEntity, s: DemoScope): boolean {
  if (s.entityTypes && !s.entityTypes.includes(e.entityType)) return false;
  if (s.industryPrefixes && !s.industryPrefixes.some((p) => e.industryCode.startsWith(p))) return false;
  if (s.tags && !s.tags.some((t) => e.tags.includes(t))) return false;
  if (s.licences && !s.licences.some((l) => e.licences.includes(l))) return false;
  if (s.streets && !s.streets.includes(e.street)) return false;
  if (s.riskClasses && !s.riskClasses.includes(e.riskClass)) return false;
  return true;
}

/** The entities a department may draw from for a scope: active, supervised by it, in scope. */
export function eligible(
  entities: readonly DemoEntity[],
  departmentCode: string,
  scope: DemoScope,
): DemoEntity[] {
  return entities.filter(
    (e) => isActive(e) && e.supervisingDeptCodes.includes(departmentCode) && matchesScope(e, scope),
  );
}
