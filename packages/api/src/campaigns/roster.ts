/**
 * The roster follows the items (issue 9 §2): an item's machine-readable scope (检查对象范围) and the
 * per-rule report of the draw preview. Rules in packages/core/src/scope.
 */
import { z } from 'zod';
import { Id } from '../bounds.ts';

const Values = z.array(z.string().max(100)).max(200);

/** A scope as stored and answered (lenient: the server normalises it). */
export const EntityScopeView = z.object({
  entityTypes: z.array(z.string()).optional(),
  industryPrefixes: z.array(z.string()).optional(),
  licences: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
  streets: z.array(z.string()).optional(),
  supervisingDepartments: z.array(z.number()).optional(),
});
export type EntityScopeView = z.infer<typeof EntityScopeView>;

/** PUT /api/items/:id/scope: null = not set; {} = all market entities (各类市场主体); else conditions. */
export const ItemScopeBody = z.object({
  scope: z
    .object({
      entityTypes: Values.optional(),
      industryPrefixes: Values.optional(),
      licences: Values.optional(),
      tags: Values.optional(),
      streets: Values.optional(),
      supervisingDepartments: z.array(Id).max(200).optional(),
    })
    .strict()
    .nullable(),
});
export type ItemScopeBody = z.infer<typeof ItemScopeBody>;
export const ItemScopeAnswer = z.object({ id: z.number(), scope: EntityScopeView.nullable() });
export type ItemScopeAnswer = z.infer<typeof ItemScopeAnswer>;

/** One rule of the roster in the draw preview, counted on what the rules before it kept. */
export const ScopeRuleReport = z.object({
  kind: z.enum(['active', 'directory', 'task', 'items']),
  departmentId: z.number().nullable(),
  items: z.array(z.object({ id: z.number(), name: z.string() })),
  scopes: z.array(EntityScopeView),
  all: z.boolean(),
  kept: z.number(),
  removed: z.number(),
  sample: z.array(z.object({ id: z.number(), name: z.string() })),
});
export type ScopeRuleReport = z.infer<typeof ScopeRuleReport>;
export const UnscopedItem = z.object({ id: z.number(), name: z.string(), departmentId: z.number() });
export type UnscopedItem = z.infer<typeof UnscopedItem>;
