import { IdParam, PublicDraw, PublicDrawList, PublicResultList, PublicResultQuery } from '@choucha/api';
import { drawBundleFile, publicDraw, publicDraws, publicResults } from '@choucha/services';
import { AuditCheckpointList, Page } from '@choucha/api';
import { publicCheckpoints } from '@choucha/services';
import type { AppOptions } from '../app.ts';
import { BUNDLE_RATE, PUBLIC_RATE, sendBundle } from './bundles.ts';
import type { Api } from './index.ts';

/** The anonymous public portal. Response schemas strip any field not listed (no risk class). */
export async function publicRoutes(api: Api, { services }: AppOptions) {
  const tags = ['public'];
  api.get(
    '/public/results',
    {
      schema: { tags, querystring: PublicResultQuery, response: { 200: PublicResultList } },
      config: { rateLimit: PUBLIC_RATE },
    },
    async (req) => publicResults(services, req.query),
  );
  const limited = { config: { rateLimit: PUBLIC_RATE } };
  api.get('/public/draws', { schema: { tags, response: { 200: PublicDrawList } }, ...limited }, async () => ({
    items: await publicDraws(services),
  }));
  api.get(
    '/public/draws/:id',
    { schema: { tags, params: IdParam, response: { 200: PublicDraw } }, ...limited },
    async (req) => publicDraw(services, req.params.id),
  );
  // the published heads of the audit chain (anchors): anyone may copy SEQ:HASH and check it later
  api.get(
    '/public/audit/checkpoints',
    { schema: { tags, querystring: Page, response: { 200: AuditCheckpointList } } },
    async (req) => publicCheckpoints(services, req.query),
  );
  api.get(
    '/public/draws/:id/bundle',
    { schema: { tags, params: IdParam }, config: { rateLimit: BUNDLE_RATE } },
    async (req, reply) => {
      const bundle = await drawBundleFile(services, req.params.id, { publicView: true });
      return sendBundle(req, reply, req.params.id, bundle, 'public');
    },
  );
}
