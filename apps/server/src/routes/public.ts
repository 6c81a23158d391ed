import { IdParam, PublicDraw, PublicDrawList, PublicResultList, PublicResultQuery } from '@choucha/api';
import { drawBundle, publicDraw, publicDraws, publicResults } from '@choucha/services';
import { AuditCheckpointList, Page } from '@choucha/api';
import { publicCheckpoints } from '@choucha/services';
import type { AppOptions } from '../app.ts';
import type { Api } from './index.ts';

/** The anonymous public portal. Response schemas strip any field not listed (no risk class). */
export async function publicRoutes(api: Api, { services }: AppOptions) {
  const tags = ['public'];
  api.get(
    '/public/results',
    { schema: { tags, querystring: PublicResultQuery, response: { 200: PublicResultList } } },
    async (req) => publicResults(services, req.query),
  );
  api.get('/public/draws', { schema: { tags, response: { 200: PublicDrawList } } }, async () => ({
    items: await publicDraws(services),
  }));
  api.get(
    '/public/draws/:id',
    { schema: { tags, params: IdParam, response: { 200: PublicDraw } } },
    async (req) => publicDraw(services, req.params.id),
  );
  // the published heads of the audit chain (anchors): anyone may copy SEQ:HASH and check it later
  api.get(
    '/public/audit/checkpoints',
    { schema: { tags, querystring: Page, response: { 200: AuditCheckpointList } } },
    async (req) => publicCheckpoints(services, req.query),
  );
  api.get('/public/draws/:id/bundle', { schema: { tags, params: IdParam } }, async (req, reply) => {
    const bundle = await drawBundle(services, req.params.id, { publicView: true });
    reply.header('content-disposition', `attachment; filename="draw-${req.params.id}.json"`);
    return bundle;
  });
}
