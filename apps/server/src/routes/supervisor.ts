/**
 * The supervisor's routes (监督, draw-protocol-v2 §1): the list of draws he may verify, and a
 * draw's FULL bundle (`view: "full"`: the public bundle plus the openings and the private matching
 * record). `draw.verify`: the supervisor and the joint office every draw, a department admin his
 * department's; anonymous 401, every other role 403.
 */
import { IdParam, SupervisorDrawList } from '@choucha/api';
import { authorize, fullDrawBundle, supervisorDraws } from '@choucha/services';
import type { AppOptions } from '../app.ts';
import { sendFullBundle } from './bundles.ts';
import type { Api } from './index.ts';

export async function supervisorRoutes(api: Api, { services }: AppOptions) {
  const tags = ['supervision'];
  api.get('/supervisor/draws', { schema: { tags, response: { 200: SupervisorDrawList } } }, async (req) => ({
    items: await supervisorDraws(services, req.actor),
  }));
  api.get(
    '/draws/:id/bundle/full',
    {
      schema: {
        tags,
        params: IdParam,
        description:
          'The full verification bundle (view "full"): for the supervisor, the joint office and the department. Sent gzip when accepted; Cache-Control: private, no-store.',
      },
    },
    async (req, reply) => {
      authorize(req.actor, 'draw.verify');
      const bundle = await fullDrawBundle(services, req.actor, req.params.id);
      return sendFullBundle(req, reply, req.params.id, bundle);
    },
  );
}
