import { z } from 'zod';
import {
  ClassPlanView,
  MaxModeEnum,
  CommitDrawBody,
  DateText,
  IdText,
  YearText,
  CreateTaskBody,
  DrawView,
  IdParam,
  PartnerAnswer,
  PartnerAnswerBody,
  RevealDrawBody,
  ScopeRuleReport,
  TaskDetail,
  TaskRow,
  UnscopedItem,
} from '@choucha/api';
import {
  answerTaskInvitation,
  authorize,
  commitDraw,
  createTask,
  drawBundleFile,
  excludeEntity,
  getDraw,
  getTask,
  listDrawExclusions,
  listExclusions,
  previewDraw,
  listTasks,
  revealDraw,
} from '@choucha/services';
import type { AppOptions } from '../app.ts';
import { sendBundle } from './bundles.ts';
import type { Api } from './index.ts';

const Exclusion = z.object({
  id: z.number(),
  entityId: z.number(),
  entityName: z.string(),
  departmentId: z.number().nullable(),
  reason: z.string(),
  fromDate: z.string(),
  toDate: z.string().nullable(),
});
const ExclusionBody = z.object({
  reason: z.string().min(2).max(500),
  fromDate: DateText,
  toDate: DateText.nullable().optional(),
});

export async function campaignRoutes(api: Api, { services }: AppOptions) {
  const tags = ['tasks and draws'];
  api.get(
    '/tasks',
    {
      schema: {
        tags,
        querystring: z.object({ year: YearText.optional() }),
        response: { 200: z.object({ items: z.array(TaskRow) }) },
      },
    },
    async (req) => ({ items: await listTasks(services, req.actor, { year: req.query.year }) }),
  );
  api.post(
    '/tasks',
    { schema: { tags, body: CreateTaskBody, response: { 200: TaskDetail } } },
    async (req) => {
      const id = await createTask(services, req.actor, req.body);
      return getTask(services, req.actor, id);
    },
  );
  api.get('/tasks/:id', { schema: { tags, params: IdParam, response: { 200: TaskDetail } } }, async (req) =>
    getTask(services, req.actor, req.params.id),
  );
  // a cooperating department answers a joint task's invitation (its department admin, or the joint admin)
  for (const [action, decision] of [
    ['accept', 'accepted'],
    ['decline', 'declined'],
  ] as const)
    api.post(
      `/tasks/:id/partners/:departmentId/${action}`,
      {
        schema: {
          tags,
          params: z.object({ id: IdText, departmentId: IdText }),
          // the note is optional, and so is the body (an empty POST has body null)
          body: PartnerAnswerBody.nullish(),
          response: { 200: PartnerAnswer },
        },
      },
      async (req) =>
        answerTaskInvitation(
          services,
          req.actor,
          req.params.id,
          req.params.departmentId,
          decision,
          req.body?.note,
          decision === 'accepted' && (req.body?.itemIds || req.body?.jointItemIds)
            ? { itemIds: req.body.itemIds, jointItemIds: req.body.jointItemIds }
            : undefined,
        ),
    );
  api.get(
    '/tasks/:id/draw-preview',
    {
      schema: {
        tags,
        params: IdParam,
        response: {
          200: z.object({
            rosterSize: z.number(),
            /** the roster's rules in order, with kept/removed and a sample (campaigns/roster.ts) */
            scopeRules: z.array(ScopeRuleReport),
            unscopedItems: z.array(UnscopedItem),
            excluded: z.number(),
            exclusionsByReason: z.array(
              z.object({ code: z.string(), reason: z.string(), count: z.number() }),
            ),
            strata: z.array(ClassPlanView),
            /** what the task's max means and the per-draw cap (draw-protocol §4.1, §9) */
            maxMode: MaxModeEnum,
            max: z.number().nullable(),
            maxLoad: z.number().nullable(),
            targets: z.number(),
            problems: z.array(z.string()),
            problemCodes: z.array(z.string()),
          }),
        },
      },
    },
    async (req) => previewDraw(services, req.actor, req.params.id),
  );
  api.post(
    '/tasks/:id/draws',
    { schema: { tags, params: IdParam, body: CommitDrawBody, response: { 200: DrawView } } },
    async (req) => commitDraw(services, req.actor, req.params.id, req.body),
  );
  api.post(
    '/draws/:id/reveal',
    { schema: { tags, params: IdParam, body: RevealDrawBody, response: { 200: DrawView } } },
    async (req) => revealDraw(services, req.actor, req.params.id, req.body),
  );
  api.get('/draws/:id', { schema: { tags, params: IdParam, response: { 200: DrawView } } }, async (req) =>
    getDraw(services, req.actor, req.params.id),
  );
  api.get(
    '/draws/:id/exclusions',
    {
      schema: {
        tags,
        params: IdParam,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                entityId: z.number(),
                name: z.string(),
                /** The English sentence (kept for older readers); the UI renders reasonCode. */
                reason: z.string(),
                /** DRAW_EXCLUDED_* (null for draws committed before reasons had codes). */
                reasonCode: z.string().nullable(),
                reasonParams: z.record(z.string(), z.union([z.string(), z.number()])).nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({
      items: (await listDrawExclusions(services, req.actor, req.params.id)).map((e) => ({
        ...e,
        reasonParams: (e.reasonParams ?? null) as Record<string, string | number> | null,
      })),
    }),
  );
  api.get(
    '/exclusions',
    {
      schema: {
        tags,
        querystring: z.object({ entityId: IdText.optional() }),
        response: { 200: z.object({ items: z.array(Exclusion) }) },
      },
    },
    async (req) => ({ items: await listExclusions(services, req.actor, req.query.entityId) }),
  );
  api.post(
    '/entities/:id/exclusions',
    { schema: { tags, params: IdParam, body: ExclusionBody, response: { 200: Exclusion } } },
    async (req) => excludeEntity(services, req.actor, req.params.id, req.body),
  );
  api.get('/draws/:id/bundle', { schema: { tags, params: IdParam } }, async (req, reply) => {
    await getDraw(services, req.actor, req.params.id); // access check
    const bundle = await drawBundleFile(services, req.params.id, { publicView: false });
    return sendBundle(req, reply, req.params.id, bundle, 'private');
  });

  // entry, review, publication, corrections, attachments, follow-ups: routes/campaigns/results.ts
  const rtags = ['results'];
  api.get('/meta/result-codes', { schema: { tags: rtags } }, async (req) => {
    void req;
    const { RESULT_CODES, FOLLOW_UPS } = await import('@choucha/api');
    return { codes: RESULT_CODES, followUps: FOLLOW_UPS };
  });
  void authorize;
}
