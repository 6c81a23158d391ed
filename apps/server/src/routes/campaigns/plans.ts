/** Annual plans, the joint plan and their batches (services/campaigns/plans*.ts). */
import { z } from 'zod';
import {
  CreatePlanBody,
  IdParam,
  OpenDueBody,
  OpenDueResult,
  PlanAsOfQuery,
  PlanBatchBody,
  PlanDetail,
  PlanListQuery,
  PlanNoteBody,
  PlanReasonBody,
  PlanRow,
  PlanYearView,
  UpdatePlanBody,
  YearText,
} from '@choucha/api';
import {
  addPlanBatch,
  amendPlan,
  approvePlan,
  authorize,
  chinaDate,
  closePlan,
  createPlan,
  deletePlanBatch,
  filePlan,
  getPlan,
  listPlans,
  openDueBatches,
  openPlanBatch,
  planBatchPlanId,
  planYearOverview,
  returnPlan,
  updatePlan,
  updatePlanBatch,
} from '@choucha/services';
import type { AppOptions } from '../../app.ts';
import type { Api } from '../index.ts';

export async function planRoutes(api: Api, { services }: AppOptions) {
  const tags = ['annual plans'];
  const detail = { 200: PlanDetail };
  api.get(
    '/plans',
    {
      schema: { tags, querystring: PlanListQuery, response: { 200: z.object({ items: z.array(PlanRow) }) } },
    },
    async (req) => ({ items: await listPlans(services, req.actor, req.query) }),
  );
  api.get(
    '/plans/year/:year',
    {
      schema: {
        tags,
        params: z.object({ year: YearText }),
        querystring: PlanAsOfQuery,
        response: { 200: PlanYearView },
      },
    },
    async (req) => planYearOverview(services, req.actor, req.params.year, req.query.asOf),
  );
  api.post('/plans', { schema: { tags, body: CreatePlanBody, response: detail } }, async (req) => {
    const id = await createPlan(services, req.actor, req.body);
    return getPlan(services, req.actor, id);
  });
  api.get(
    '/plans/:id',
    { schema: { tags, params: IdParam, querystring: PlanAsOfQuery, response: detail } },
    async (req) => getPlan(services, req.actor, req.params.id, req.query),
  );
  api.put(
    '/plans/:id',
    { schema: { tags, params: IdParam, body: UpdatePlanBody, response: detail } },
    async (req) => {
      await updatePlan(services, req.actor, req.params.id, req.body);
      return getPlan(services, req.actor, req.params.id);
    },
  );
  api.post('/plans/:id/file', { schema: { tags, params: IdParam, response: detail } }, async (req) => {
    await filePlan(services, req.actor, req.params.id);
    return getPlan(services, req.actor, req.params.id);
  });
  api.post(
    '/plans/:id/approve',
    { schema: { tags, params: IdParam, body: PlanNoteBody, response: detail } },
    async (req) => {
      await approvePlan(services, req.actor, req.params.id, req.body.note);
      return getPlan(services, req.actor, req.params.id);
    },
  );
  api.post(
    '/plans/:id/return',
    { schema: { tags, params: IdParam, body: PlanReasonBody, response: detail } },
    async (req) => {
      await returnPlan(services, req.actor, req.params.id, req.body.reason);
      return getPlan(services, req.actor, req.params.id);
    },
  );
  api.post(
    '/plans/:id/amend',
    { schema: { tags, params: IdParam, body: PlanReasonBody, response: detail } },
    async (req) => {
      const id = await amendPlan(services, req.actor, req.params.id, req.body.reason);
      return getPlan(services, req.actor, id);
    },
  );
  api.post('/plans/:id/close', { schema: { tags, params: IdParam, response: detail } }, async (req) => {
    await closePlan(services, req.actor, req.params.id);
    return getPlan(services, req.actor, req.params.id);
  });
  api.post(
    '/plans/:id/batches',
    { schema: { tags, params: IdParam, body: PlanBatchBody, response: detail } },
    async (req) => {
      await addPlanBatch(services, req.actor, req.params.id, req.body);
      return getPlan(services, req.actor, req.params.id);
    },
  );
  api.put(
    '/plan-batches/:id',
    { schema: { tags, params: IdParam, body: PlanBatchBody, response: detail } },
    async (req) => {
      await updatePlanBatch(services, req.actor, req.params.id, req.body);
      return getPlan(services, req.actor, await planBatchPlanId(services, req.params.id));
    },
  );
  api.delete('/plan-batches/:id', { schema: { tags, params: IdParam, response: detail } }, async (req) => {
    const planId = await planBatchPlanId(services, req.params.id);
    await deletePlanBatch(services, req.actor, req.params.id);
    return getPlan(services, req.actor, planId);
  });
  api.post(
    '/plan-batches/:id/open',
    { schema: { tags, params: IdParam, response: { 200: z.object({ taskId: z.number() }) } } },
    async (req) => ({ taskId: await openPlanBatch(services, req.actor, req.params.id) }),
  );
  // the scheduled opening, run now by the joint office (the server also runs it daily)
  api.post(
    '/plans/open-due',
    { schema: { tags, body: OpenDueBody, response: { 200: OpenDueResult } } },
    async (req) => {
      authorize(req.actor, 'plan.approve');
      return openDueBatches(services, req.body.today ?? chinaDate(services.clock()), req.actor);
    },
  );
}
