/**
 * The district rules (本地区抽查规则) in the settings: read, change (joint office), history.
 * Ranges are checked by the service (@choucha/core district-rules.ts), which answers
 * SETTINGS_INVALID with details.issues: [{ field, code, params, zh, en }].
 */
import { z } from 'zod';

const Num = z.number().min(-1e9).max(1e9);

export const DistrictRules = z.object({
  teamSize: z.number(),
  coolDownMonths: z.number(),
  yearlyCap: z.number(),
  riskClasses: z.array(z.string()),
  unclassifiedClass: z.string(),
  maxLoadPerInspector: z.number().nullable(),
  jointSharePercent: z.number(),
  jointObjectsTarget: z.number(),
  uploadLimitMb: z.number(),
});
export type DistrictRules = z.infer<typeof DistrictRules>;

/** The rules a draw used, recorded at its commitment (draws.rules). */
export const DrawRulesUsed = z.object({
  teamSize: z.number(),
  coolDownMonths: z.number(),
  yearlyCap: z.number(),
  riskClasses: z.array(z.string()),
  unclassifiedClass: z.string(),
  maxLoadPerInspector: z.number().nullable(),
});
export type DrawRulesUsed = z.infer<typeof DrawRulesUsed>;

/** Only the fields to change; the rest keep their value. */
export const DistrictRulesPatch = z
  .object({
    teamSize: Num,
    coolDownMonths: Num,
    yearlyCap: Num,
    riskClasses: z.array(z.string().max(20)).max(20),
    unclassifiedClass: z.string().max(20),
    maxLoadPerInspector: Num.nullable(),
    jointSharePercent: Num,
    jointObjectsTarget: Num,
    uploadLimitMb: Num,
  })
  .partial()
  .strict();
export type DistrictRulesPatch = z.infer<typeof DistrictRulesPatch>;

export const UpdateRulesBody = z
  .object({
    rules: DistrictRulesPatch,
    note: z.string().max(500).optional(),
    /** The version the change is based on (from GET); a newer stored one answers SETTINGS_STALE. */
    version: z.number().int().min(0).max(1e9).optional(),
  })
  .strict();
export type UpdateRulesBody = z.infer<typeof UpdateRulesBody>;

export const RulesView = z.object({
  rules: DistrictRules,
  defaults: DistrictRules,
  version: z.number(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type RulesView = z.infer<typeof RulesView>;

export const SettingHistoryEntry = z.object({
  id: z.number(),
  changedAt: z.string(),
  changedBy: z.string().nullable(),
  note: z.string().nullable(),
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
});
export type SettingHistoryEntry = z.infer<typeof SettingHistoryEntry>;

export const RulesHistory = z.object({ items: z.array(SettingHistoryEntry) });
export type RulesHistory = z.infer<typeof RulesHistory>;

/** One issue of SETTINGS_INVALID's details.issues. */
export const RuleIssue = z.object({
  field: z.string(),
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  zh: z.string(),
  en: z.string(),
});
export type RuleIssue = z.infer<typeof RuleIssue>;
