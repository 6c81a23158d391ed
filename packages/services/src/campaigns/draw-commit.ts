/**
 * The commitment of a draw (draw-protocol-v2 §5) and its preview: the draw lifecycle in the product is
 * committed (public) → matched or infeasible (public), on the engine of docs/specs/draw-protocol-v2.md.
 * Every new draw is v2; draws stored before keep their v1 rows and bundles. Everything needed to
 * verify is stored: the commitment's canonical JSON, the public roster, the openings and the private
 * matching record (secret: only the full bundle carries them), the seed inputs, the outcome (every
 * ticket of the selection and every team), the algorithm version. The public bundle is stored from
 * the commitment on (stage 'committed').
 */
import { asc, eq, sql } from 'drizzle-orm';
import {
  AppError,
  ALGORITHM_V2,
  buildCommitmentV2,
  classBounds,
  committedBundleV2,
  drawRulesOf,
  DRAW_EXCLUSION_REASONS,
  type DrawExclusionReason,
  type MaxMode,
  type StratumRule,
} from '@choucha/core';
import { copyRows, draws, tasks, type Tx } from '@choucha/db';
import { assertDepartment, authorize } from '../access.ts';
import { readDistrictRules } from '../admin/settings.ts';
import { inTransaction, lockedChainHead } from '../audit.ts';
import { recordCheckpoint } from '../checkpoints.ts';
import type { Actor, Services } from '../context.ts';
import { assertPartnersBound, loadTask, taskDepartments, type SamplingInput } from '../tasks.ts';
import { buildRoster, rosterScopeReport } from './roster.ts';
import { drawItemRows, ratioString, unwrap } from './draw-common.ts';
import { matchingInput } from './draw-matching-input.ts';
import { getDraw } from './draw-reveal.ts';
import { forgetBundle } from '../public.ts';
import { fullBundleV2, isV2, seedSourceV2, storePublicBundleV2, type SeedSourceInput } from './draw-v2.ts';

export interface CommitDrawInput {
  /**
   * Mandatory (DRAW_INPUT_INVALID without any): dice (true = 20 digits, or { digits: 20…100 }) and/or
   * a drand round at least a minute in the future.
   */
  seedSource: SeedSourceInput;
  redrawReason?: string | undefined;
  /** At most this many teams of this draw per inspector; default: the task's sampling.maxLoad. */
  maxLoad?: number | null | undefined;
}

/** One risk class of a roster as the commitment will fix it (draw-protocol §4, §4.1). */
export interface ClassPlan {
  riskClass: string;
  population: number;
  ratio: number | null;
  /** The committed stratum rule's min and max (the task's max read as its maxMode). */
  min: number;
  max: number | null;
  size: number | null;
}

/**
 * Per risk class: the ratio, the committed (min, max) for the task's maxMode and the sample size.
 * A class without a ratio has size null (commitDraw refuses it: 不免抽); a maximum below the number
 * of classes is `problem` (SAMPLING_MAX_BELOW_CLASSES). Classes in sorted order (ties of §4.1).
 */
export function classPlan(
  populations: ReadonlyMap<string, number>,
  sampling: SamplingInput,
): { plan: ClassPlan[]; maxMode: MaxMode; problem: AppError | null } {
  const maxMode: MaxMode = sampling.maxMode ?? 'perClass';
  const min = sampling.min ?? 0;
  const rows = [...populations]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([riskClass, population]) => ({
      riskClass,
      population,
      ratio:
        (riskClass === 'ALL' ? sampling.ratio : (sampling.classes?.[riskClass] ?? sampling.ratio)) ?? null,
    }));
  const withRatio = rows.filter((r) => r.ratio !== null);
  const bounds = classBounds(
    withRatio.map((r) => ({ key: r.riskClass, ratio: ratioString(r.ratio!), population: r.population })),
    min,
    sampling.max ?? null,
    maxMode,
  );
  const byClass = new Map(bounds.ok ? bounds.value.map((b) => [b.key, b]) : []);
  return {
    maxMode,
    problem: bounds.ok ? null : new AppError(bounds.error.code, bounds.error.message, bounds.error.details),
    plan: rows.map((r) => {
      const b = byClass.get(r.riskClass);
      return {
        riskClass: r.riskClass,
        population: r.population,
        ratio: r.ratio,
        min: b?.min ?? min,
        max: b ? b.max : (sampling.max ?? null),
        size: b?.size ?? null,
      };
    }),
  };
}

export async function commitDraw(svc: Services, actor: Actor, taskId: number, input: CommitDrawInput) {
  authorize(actor, 'draw.write');
  const { drawId, superseded } = await inTransaction(svc, actor, async (tx, audit) => {
    await tx.execute(sql`select id from ${tasks} where id = ${taskId} for update`);
    const task = await loadTask(tx, taskId);
    assertDepartment(actor, [task.departmentId], 'write');
    // only bound departments are drawn for: every cooperating department has answered (issue 7 §2)
    await assertPartnersBound(tx, task);
    const previous = await tx
      .select()
      .from(draws)
      .where(eq(draws.taskId, taskId))
      .orderBy(asc(draws.attempt));
    const live = previous.filter((d) => d.status !== 'superseded');
    if (live.length > 0 && !input.redrawReason?.trim()) {
      throw new AppError(
        'DRAW_REDRAW_REASON_REQUIRED',
        'This task already has a draw; a redraw needs a new commitment with a written reason',
        {
          drawId: live[0]?.id,
        },
      );
    }
    // The live draw is superseded FIRST: its teams must not count in the redraw's carried loads
    // (matchingInput counts 'matched' draws only); supersededBy is set once the new row exists.
    for (const d of live) await tx.update(draws).set({ status: 'superseded' }).where(eq(draws.id, d.id));
    const now = svc.clock();
    // The seed source is fixed now, and must not be knowable yet; one is mandatory (v2 §6).
    const seedSource = seedSourceV2(input.seedSource, now);
    // the audit chain's head when committing (v2 §5), before this transaction writes draw.commit
    const auditHead = await lockedChainHead(tx);
    // the district rules in effect now; recorded with the draw (a later change never alters it)
    const districtRules = drawRulesOf(await readDistrictRules(tx));
    const { roster, exclusions } = await buildRoster(tx, task, districtRules);
    if (roster.length === 0)
      throw new AppError('DRAW_ROSTER_EMPTY', 'No entity in the task scope is eligible to be drawn', {
        excluded: exclusions.length,
      });
    // Opaque stratum labels: the public commitment never names a risk class.
    const populations = new Map<string, number>();
    for (const r of roster) populations.set(r.riskClass, (populations.get(r.riskClass) ?? 0) + 1);
    const sampling = task.sampling as SamplingInput;
    const { plan, maxMode, problem } = classPlan(populations, sampling);
    const labelOf = new Map<string, string>();
    for (const c of plan) {
      if (c.ratio === null)
        throw new AppError(
          'DRAW_RATIO_INVALID',
          `Risk class ${c.riskClass} has entities in scope but no sampling ratio: no class may be exempt (不免抽)`,
          { riskClass: c.riskClass },
        );
      labelOf.set(c.riskClass, c.riskClass === 'ALL' ? 'ALL' : `S${svc.randomBytes(4).toString('hex')}`);
    }
    if (problem) throw problem;
    // the task's maximum read as its maxMode, as per-stratum (min, max): a plain v1 record (§4.1)
    const rules: StratumRule[] = plan.map((c) => ({
      label: labelOf.get(c.riskClass) as string,
      ratio: ratioString(c.ratio!),
      min: c.min,
      max: c.max,
    }));
    const maxPerDraw = input.maxLoad === undefined ? (sampling.maxLoad ?? null) : input.maxLoad;
    if (maxPerDraw !== null && !(Number.isInteger(maxPerDraw) && maxPerDraw >= 1 && maxPerDraw <= 10000))
      throw new AppError('DRAW_MAX_LOAD_INVALID', `The per-inspector cap ${maxPerDraw} is not 1…10000`, {
        field: 'maxLoad',
      });
    const itemRows = await drawItemRows(tx, taskId);
    const itemDepts = [...new Set(itemRows.map((i) => i.departmentId))];
    const matching = await matchingInput(
      tx,
      task,
      itemDepts,
      roster,
      districtRules,
      now.toISOString().slice(0, 10),
    );
    if (maxPerDraw !== null) matching.rules = { ...matching.rules, maxPerDraw };
    const attempt = previous.length + 1;
    const latest = previous[previous.length - 1];
    const commitment = unwrap(
      buildCommitmentV2(
        {
          task: { id: String(task.id), name: task.name },
          attempt,
          predecessor: latest?.commitmentHash ?? null,
          audit: { seq: auditHead.seq, hash: auditHead.hash },
          items: itemRows.map((i) => ({
            id: String(i.id),
            department: String(i.departmentId),
            field: i.field,
          })),
          roster: roster.map((r) => ({ key: r.key, stratum: labelOf.get(r.riskClass) as string })),
          strata: rules,
          matching,
          seedSource,
        },
        (n) => new Uint8Array(svc.randomBytes(n)),
      ),
    );
    const entityOfKey = new Map(roster.map((r) => [r.key, r.entityId]));
    // the public roster's keys, in its (key) order
    const rosterKeys = commitment.publicRoster
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => l.slice(0, l.indexOf('\t')));
    const [draw] = await tx
      .insert(draws)
      .values({
        taskId,
        attempt,
        status: 'committed',
        algorithmVersion: ALGORITHM_V2,
        commitment: commitment.json,
        commitmentHash: commitment.hash,
        committedAt: now,
        rosterRoot: commitment.record.roster.root,
        rosterSize: commitment.record.roster.size,
        rosterText: commitment.publicRoster,
        rosterEntityIds: rosterKeys.map((k) => entityOfKey.get(k) as number),
        openingsText: commitment.openings,
        privateMatching: commitment.privateMatching,
        stratumClasses: Object.fromEntries([...labelOf].map(([c, l]) => [l, c])),
        seedSource,
        redrawReason: input.redrawReason ?? null,
        createdBy: actor.kind === 'user' ? actor.id : null,
        rules: districtRules,
      })
      .returning({ id: draws.id });
    if (!draw) throw new Error('Invariant: insert returned nothing');
    for (const d of live) await tx.update(draws).set({ supersededBy: draw.id }).where(eq(draws.id, d.id));
    // the public bundle from the commitment on (stage 'committed'); a superseded v2 draw's is stored
    // again with supersededBy = this commitment (a v1 bundle has no such field and stays as it is)
    await storePublicBundleV2(tx, draw.id, committedBundleV2(commitment), now);
    for (const d of live) {
      if (!isV2(d)) continue;
      const [row] = await tx.select().from(draws).where(eq(draws.id, d.id));
      if (row) await storePublicBundleV2(tx, d.id, await fullBundleV2(tx, row), now);
    }
    await copyRows(
      svc.database,
      tx,
      'draw_exclusions',
      ['draw_id', 'entity_id', 'reason', 'reason_code', 'reason_params'],
      exclusions.map((e) => [draw.id, e.entityId, e.reason, e.code, JSON.stringify(e.params)]),
    );
    await tx.update(tasks).set({ status: 'committed' }).where(eq(tasks.id, taskId));
    await audit({
      action: attempt > 1 ? 'draw.recommit' : 'draw.commit',
      subjectType: 'draw',
      subjectId: draw.id,
      departmentId: task.departmentId,
      after: {
        taskId,
        attempt,
        commitmentHash: commitment.hash,
        algorithm: ALGORITHM_V2,
        predecessor: commitment.record.predecessor,
        auditHead: commitment.record.audit,
        seedSource,
        rosterRoot: commitment.record.roster.root,
        rosterSize: commitment.record.roster.size,
        excluded: exclusions.length,
        strata: commitment.record.strata.map((s) => ({
          label: s.label,
          population: s.population,
          size: s.size,
        })),
        redrawReason: input.redrawReason ?? null,
        maxMode,
        max: sampling.max ?? null,
        maxPerDraw,
      },
    });
    // publish the chain head with the commitment, in the same transaction (issue 7 §1: anchors)
    await recordCheckpoint(tx, svc, 'draw_commitment', String(draw.id));
    return { drawId: draw.id, superseded: live.map((d) => d.id) };
  });
  forgetBundle(svc, drawId);
  for (const id of superseded) forgetBundle(svc, id);
  return getDraw(svc, actor, drawId);
}

/**
 * What a commitment would contain, before it is published: the roster size, the exclusions by
 * reason, and per risk class the population, ratio and sample size. Staff only (it names classes).
 */
export async function previewDraw(svc: Services, actor: Actor, taskId: number) {
  authorize(actor, 'draw.write');
  return inTransaction(svc, actor, async (tx) => {
    const task = await loadTask(tx, taskId);
    assertDepartment(actor, taskDepartments(task), 'read');
    return previewTask(tx, task);
  });
}

/** previewDraw's answer for a task row, in the caller's transaction (also the form's preview). */
export async function previewTask(tx: Tx, task: typeof tasks.$inferSelect) {
  {
    const { roster, exclusions } = await buildRoster(tx, task, drawRulesOf(await readDistrictRules(tx)));
    const sampling = task.sampling as SamplingInput;
    const byClass = new Map<string, number>();
    for (const r of roster) byClass.set(r.riskClass, (byClass.get(r.riskClass) ?? 0) + 1);
    // the task's maximum read as its maxMode (§4.1): the sizes the commitment will fix
    const { plan: strata, maxMode, problem } = classPlan(byClass, sampling);
    // by code; `reason` is the code's short English label (kept for older readers)
    const reasons = new Map<string, { code: DrawExclusionReason['code']; count: number }>();
    for (const e of exclusions) {
      const kind = DRAW_EXCLUSION_REASONS[e.code].label.en;
      reasons.set(kind, { code: e.code, count: (reasons.get(kind)?.count ?? 0) + 1 });
    }
    // ROSTER (issue 9 §2): what each scope rule kept and removed, with samples, before the commitment
    const scope = await rosterScopeReport(tx, task);
    return {
      rosterSize: roster.length,
      scopeRules: scope.rules,
      unscopedItems: scope.unscopedItems,
      excluded: exclusions.length,
      exclusionsByReason: [...reasons].map(([reason, r]) => ({ code: r.code, reason, count: r.count })),
      strata,
      maxMode,
      max: sampling.max ?? null,
      maxLoad: sampling.maxLoad ?? null,
      targets: strata.reduce((n, s) => n + (s.size ?? 0), 0),
      problems: [
        ...strata
          .filter((s) => s.size === null && s.ratio === null)
          .map((s) => `Risk class ${s.riskClass} has no ratio: no class may be exempt (不免抽)`),
        ...(problem ? [problem.message] : []),
      ],
      problemCodes: problem ? [problem.code] : [],
    };
  }
}
