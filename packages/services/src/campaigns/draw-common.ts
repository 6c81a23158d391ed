/**
 * Shared pieces of the draw lifecycle (draw-protocol v1): error unwrapping, ratio strings, drand timing,
 * the default district rules.
 */
import {
  AppError,
  DEFAULT_DISTRICT_RULES,
  DRAND_MAINNET,
  DRAND_QUICKNET,
  type DrawError,
  type Result,
  type TargetTeam,
} from '@choucha/core';
import { asc, eq } from 'drizzle-orm';
import { copyRows, items, taskItems, type Db, type Tx } from '@choucha/db';
import type { Services } from '../context.ts';

/**
 * The defaults of the district rules (@choucha/core district-rules.ts). A draw uses the rules in
 * effect at its commitment (settings, services/admin/settings.ts) and records them in draws.rules.
 */
export const DEFAULT_CLASS = DEFAULT_DISTRICT_RULES.unclassifiedClass;
export const DRAW_RULES = {
  teamSize: DEFAULT_DISTRICT_RULES.teamSize,
  coolDownMonths: DEFAULT_DISTRICT_RULES.coolDownMonths,
  yearlyCap: DEFAULT_DISTRICT_RULES.yearlyCap,
};

export function unwrap<T>(r: Result<T, DrawError>): T {
  if (r.ok) return r.value;
  throw new AppError(r.error.code, r.error.message, r.error.details);
}

/** A number like 0.05 as the protocol's decimal string ("0.05"), at most 6 decimals. */
export function ratioString(r: number): string {
  if (!(r > 0 && r <= 1))
    throw new AppError('DRAW_RATIO_INVALID', `Ratio ${r} is outside (0, 1]: no class may be exempt (不免抽)`);
  const s = r.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  if (s === '0') throw new AppError('DRAW_RATIO_INVALID', `Ratio ${r} is below 0.000001`);
  return s;
}

const DRAND_TIMING: Record<string, { genesis: number; period: number }> = {
  [DRAND_QUICKNET.chainHash]: { genesis: 1692803367, period: 3 },
  [DRAND_MAINNET.chainHash]: { genesis: 1595431050, period: 30 },
};

export function drandRoundTime(chainHash: string, round: number): Date {
  const t = DRAND_TIMING[chainHash];
  if (!t) throw new AppError('DRAW_INPUT_INVALID', `Unknown drand chain ${chainHash}`);
  return new Date((t.genesis + (round - 1) * t.period) * 1000);
}

/**
 * Stores the teams of the targets in `targetOfKey` (key → target id), each member with its
 * department and its position in the department's team (the reveal and an escalation round).
 */
export async function insertTeamMembers(
  svc: Services,
  tx: Tx,
  teams: readonly TargetTeam[],
  targetOfKey: ReadonlyMap<string, number>,
): Promise<void> {
  const members = teams
    .filter((t) => targetOfKey.has(t.key))
    .flatMap((t) =>
      t.teams.flatMap((dt) =>
        dt.inspectorIds.map(
          (iid, pos) =>
            [targetOfKey.get(t.key) as number, Number(iid), Number(dt.department), pos + 1] as const,
        ),
      ),
    );
  await copyRows(
    svc.database,
    tx,
    'target_inspectors',
    ['target_id', 'inspector_id', 'department_id', 'position'],
    members,
  );
}

/** A task's items as a draw commits them (id, owning department, field), in id order. */
export function drawItemRows(tx: Tx | Db, taskId: number) {
  return tx
    .select({ id: items.id, departmentId: items.departmentId, field: items.field })
    .from(taskItems)
    .innerJoin(items, eq(items.id, taskItems.itemId))
    .where(eq(taskItems.taskId, taskId))
    .orderBy(asc(items.id));
}
