import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_DISTRICT_RULES,
  RULE_BOUNDS,
  RULE_FIELDS,
  RULE_ISSUE_CODES,
  RULE_ISSUE_TEXT,
  diffDistrictRules,
  drawRulesOf,
  mergeDistrictRules,
  ruleIssueText,
  validateDistrictRules,
  type DistrictRules,
} from './district-rules.ts';

const classLabel = fc.stringMatching(/^[A-Z0-9]{1,4}$/);
const validRules: fc.Arbitrary<DistrictRules> = fc
  .uniqueArray(classLabel, { minLength: 1, maxLength: 10 })
  .chain((classes) =>
    fc.record({
      teamSize: fc.integer({ min: 2, max: 10 }),
      coolDownMonths: fc.integer({ min: 0, max: 36 }),
      yearlyCap: fc.integer({ min: 1, max: 100 }),
      riskClasses: fc.constant(classes),
      unclassifiedClass: fc.constantFrom(...classes),
      maxLoadPerInspector: fc.option(fc.integer({ min: 1, max: 10000 }), { nil: null }),
      jointSharePercent: fc.integer({ min: 0, max: 10000 }).map((n) => n / 100),
      jointObjectsTarget: fc.integer({ min: 0, max: 1000000 }),
      uploadLimitMb: fc.integer({ min: 1, max: 500 }),
    }),
  );

describe('district rules', () => {
  it('defaults are the constants the code used before (team 2, 6 months, cap 3, class B, 8 %, 120, 50 MB)', () => {
    expect(DEFAULT_DISTRICT_RULES).toEqual({
      teamSize: 2,
      coolDownMonths: 6,
      yearlyCap: 3,
      riskClasses: ['A', 'B', 'C', 'D'],
      unclassifiedClass: 'B',
      maxLoadPerInspector: null,
      jointSharePercent: 8,
      jointObjectsTarget: 120,
      uploadLimitMb: 50,
    });
    expect(validateDistrictRules(DEFAULT_DISTRICT_RULES)).toEqual({
      ok: true,
      value: DEFAULT_DISTRICT_RULES,
    });
  });

  it('accepts every value inside the ranges and returns it unchanged', () => {
    fc.assert(
      fc.property(validRules, (r) => {
        expect(validateDistrictRules(r)).toEqual({ ok: true, value: r });
      }),
    );
  });

  it('refuses a number outside its range with RULE_OUT_OF_RANGE and the bounds, naming only that field', () => {
    const numeric = Object.keys(RULE_BOUNDS) as (keyof typeof RULE_BOUNDS)[];
    fc.assert(
      fc.property(
        validRules,
        fc.constantFrom(...numeric),
        fc.boolean(),
        fc.integer({ min: 1, max: 1000 }),
        (r, field, below, by) => {
          const b = RULE_BOUNDS[field];
          const bad = { ...r, [field]: below ? b.min - by : b.max + by };
          expect(validateDistrictRules(bad)).toEqual({
            ok: false,
            error: [{ field, code: 'RULE_OUT_OF_RANGE', params: { min: b.min, max: b.max } }],
          });
        },
      ),
    );
  });

  it('exact boundaries: team size 2–10, cool-down 0–36, upload 1–500, share 0–100', () => {
    const v = (patch: Partial<DistrictRules>) =>
      validateDistrictRules({ ...DEFAULT_DISTRICT_RULES, ...patch }).ok;
    expect([v({ teamSize: 1 }), v({ teamSize: 2 }), v({ teamSize: 10 }), v({ teamSize: 11 })]).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect([
      v({ coolDownMonths: -1 }),
      v({ coolDownMonths: 0 }),
      v({ coolDownMonths: 36 }),
      v({ coolDownMonths: 37 }),
    ]).toEqual([false, true, true, false]);
    expect([
      v({ uploadLimitMb: 0 }),
      v({ uploadLimitMb: 1 }),
      v({ uploadLimitMb: 500 }),
      v({ uploadLimitMb: 501 }),
    ]).toEqual([false, true, true, false]);
    expect([
      v({ jointSharePercent: -0.01 }),
      v({ jointSharePercent: 0 }),
      v({ jointSharePercent: 100 }),
      v({ jointSharePercent: 100.01 }),
    ]).toEqual([false, true, true, false]);
    expect([
      v({ yearlyCap: 0 }),
      v({ yearlyCap: 1 }),
      v({ maxLoadPerInspector: 0 }),
      v({ maxLoadPerInspector: null }),
    ]).toEqual([false, true, false, true]);
  });

  it('codes non-integers, non-numbers, decimals, unknown fields and an unconfigured class', () => {
    const r = validateDistrictRules({
      ...DEFAULT_DISTRICT_RULES,
      teamSize: 2.5,
      coolDownMonths: '6',
      jointSharePercent: 8.125,
      unclassifiedClass: 'E',
      colour: 'red',
    });
    expect(r).toEqual({
      ok: false,
      error: [
        { field: 'colour', code: 'RULE_UNKNOWN_FIELD', params: {} },
        { field: 'teamSize', code: 'RULE_NOT_INTEGER', params: {} },
        { field: 'coolDownMonths', code: 'RULE_NOT_A_NUMBER', params: {} },
        { field: 'unclassifiedClass', code: 'RULE_CLASS_UNKNOWN', params: { classes: 'A、B、C、D' } },
        { field: 'jointSharePercent', code: 'RULE_TOO_MANY_DECIMALS', params: { decimals: 2 } },
      ],
    });
    expect(validateDistrictRules({ ...DEFAULT_DISTRICT_RULES, riskClasses: ['A', 'A'] })).toEqual({
      ok: false,
      error: [{ field: 'riskClasses', code: 'RULE_CLASSES_INVALID', params: { max: 10 } }],
    });
    expect(validateDistrictRules({ ...DEFAULT_DISTRICT_RULES, riskClasses: [] }).ok).toBe(false);
    expect(validateDistrictRules({ ...DEFAULT_DISTRICT_RULES, riskClasses: ['a'] }).ok).toBe(false);
    expect(validateDistrictRules(null).ok).toBe(false);
    expect(validateDistrictRules([]).ok).toBe(false);
  });

  it('never throws on arbitrary input, and every issue has a known code with both texts', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.dictionary(fc.constantFrom(...RULE_FIELDS), fc.anything()),
        (any, patch) => {
          for (const input of [any, { ...DEFAULT_DISTRICT_RULES, ...patch }]) {
            const r = validateDistrictRules(input);
            if (r.ok) continue;
            for (const i of r.error) {
              expect(RULE_ISSUE_CODES).toContain(i.code);
              expect(ruleIssueText(i, 'zh')).not.toMatch(/\{\w+\}/);
              expect(ruleIssueText(i, 'en')).not.toMatch(/\{\w+\}/);
            }
          }
        },
      ),
    );
    for (const c of RULE_ISSUE_CODES) expect(RULE_ISSUE_TEXT[c].zh).toMatch(/[\u4e00-\u9fff]/);
    expect(
      ruleIssueText({ field: 'teamSize', code: 'RULE_OUT_OF_RANGE', params: { min: 2, max: 10 } }, 'zh'),
    ).toBe('取值范围为 2–10');
  });

  it('merge: stored fields over the defaults; missing or invalid fields keep the default; always valid', () => {
    expect(mergeDistrictRules(undefined)).toEqual(DEFAULT_DISTRICT_RULES);
    expect(mergeDistrictRules({ teamSize: 3 })).toEqual({ ...DEFAULT_DISTRICT_RULES, teamSize: 3 });
    expect(mergeDistrictRules({ teamSize: 99, yearlyCap: 5 })).toEqual({
      ...DEFAULT_DISTRICT_RULES,
      yearlyCap: 5,
    });
    fc.assert(
      fc.property(fc.anything(), (stored) => {
        expect(validateDistrictRules(mergeDistrictRules(stored)).ok).toBe(true);
      }),
    );
    fc.assert(
      fc.property(validRules, (r) => {
        expect(mergeDistrictRules(JSON.parse(JSON.stringify(r)))).toEqual(r);
      }),
    );
  });

  it('diff lists exactly the changed fields; drawRulesOf keeps only what shapes a draw', () => {
    fc.assert(
      fc.property(validRules, validRules, (a, b) => {
        const d = diffDistrictRules(a, b);
        const changed = RULE_FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
        expect(d.map((x) => x.field)).toEqual(changed);
        expect(diffDistrictRules(a, a)).toEqual([]);
      }),
    );
    expect(Object.keys(drawRulesOf(DEFAULT_DISTRICT_RULES))).toEqual([
      'teamSize',
      'coolDownMonths',
      'yearlyCap',
      'riskClasses',
      'unclassifiedClass',
      'maxLoadPerInspector',
    ]);
  });
});
