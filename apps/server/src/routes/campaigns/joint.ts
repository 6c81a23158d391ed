/**
 * Joint inspections and 相同对象、相近时间 (services/campaigns/joint*.ts): the detector's proposals and
 * the joint office's decisions, joint visits, the burden metric, N (the close-time days), and a
 * department's items for a joint task.
 */
import { z } from 'zod';
import {
  AcceptMergeBody,
  Burden,
  BurdenQuery,
  DeclineMergeBody,
  DetectMergesBody,
  DetectMergesResult,
  IdParam,
  IdText,
  ItemContributionBody,
  ItemContributionResult,
  JointRules,
  JointRulesBody,
  JointVisit,
  MergeProposal,
  MergeProposalQuery,
  YearText,
} from '@choucha/api';
import {
  contributeTaskItems,
  decideMergeProposal,
  detectMergeProposals,
  getJointRules,
  jointBurden,
  listJointVisits,
  listMergeProposals,
  updateJointRules,
} from '@choucha/services';
import type { AppOptions } from '../../app.ts';
import type { Api } from '../index.ts';

export async function jointRoutes(api: Api, { services }: AppOptions) {
  const tags = ['joint inspections'];
  api.get(
    '/joint/proposals',
    {
      schema: {
        tags,
        querystring: MergeProposalQuery,
        response: { 200: z.object({ items: z.array(MergeProposal) }) },
      },
    },
    async (req) => ({ items: await listMergeProposals(services, req.actor, req.query) }),
  );
  api.post(
    '/joint/proposals/detect',
    { schema: { tags, body: DetectMergesBody, response: { 200: DetectMergesResult } } },
    async (req) => detectMergeProposals(services, req.actor, req.body.year),
  );
  api.post(
    '/joint/proposals/:id/accept',
    { schema: { tags, params: IdParam, body: AcceptMergeBody.nullish(), response: { 200: MergeProposal } } },
    async (req) =>
      decideMergeProposal(services, req.actor, req.params.id, { decision: 'accept', ...(req.body ?? {}) }),
  );
  api.post(
    '/joint/proposals/:id/decline',
    { schema: { tags, params: IdParam, body: DeclineMergeBody.nullish(), response: { 200: MergeProposal } } },
    async (req) =>
      decideMergeProposal(services, req.actor, req.params.id, { decision: 'decline', ...(req.body ?? {}) }),
  );
  api.get(
    '/joint/visits',
    {
      schema: {
        tags,
        querystring: z.object({ year: YearText }),
        response: { 200: z.object({ items: z.array(JointVisit) }) },
      },
    },
    async (req) => ({ items: await listJointVisits(services, req.actor, req.query.year) }),
  );
  api.get(
    '/joint/burden',
    { schema: { tags, querystring: BurdenQuery, response: { 200: Burden } } },
    async (req) =>
      jointBurden(services, req.actor, req.query.year, {
        limit: req.query.limit,
        entityId: req.query.entityId,
      }),
  );
  api.get('/joint/rules', { schema: { tags, response: { 200: JointRules } } }, async (req) =>
    getJointRules(services, req.actor),
  );
  api.put(
    '/joint/rules',
    { schema: { tags, body: JointRulesBody, response: { 200: JointRules } } },
    async (req) => updateJointRules(services, req.actor, req.body),
  );
  api.post(
    '/tasks/:id/partners/:departmentId/items',
    {
      schema: {
        tags,
        params: z.object({ id: IdText, departmentId: IdText }),
        body: ItemContributionBody,
        response: { 200: ItemContributionResult },
      },
    },
    async (req) => contributeTaskItems(services, req.actor, req.params.id, req.params.departmentId, req.body),
  );
}
