/** The roster follows the items (issue 9 §2): an item's machine-readable scope (services/items.ts setItemScope). */
import { IdParam, ItemScopeAnswer, ItemScopeBody } from '@choucha/api';
import { setItemScope } from '@choucha/services';
import type { AppOptions } from '../../app.ts';
import type { Api } from '../index.ts';

export async function rosterRoutes(api: Api, { services }: AppOptions) {
  api.put(
    '/items/:id/scope',
    {
      schema: {
        tags: ['directories'],
        params: IdParam,
        body: ItemScopeBody,
        response: { 200: ItemScopeAnswer },
      },
    },
    async (req) => setItemScope(services, req.actor, req.params.id, req.body.scope),
  );
}
