/** User management and inspector accounts (issue 8 §4): services/admin/users.ts decides who may. */
import {
  BulkCreateBody,
  BulkCreateResult,
  CreateUserBody,
  DisableUserBody,
  IdParam,
  InspectorCandidateList,
  InspectorCandidateQuery,
  LinkInspectorBody,
  ManagedUser,
  ManagedUserList,
  Me,
  MyInspector,
  MyTargetList,
  ResetPasswordBody,
  UpdateUserBody,
  UserListQuery,
} from '@choucha/api';
import {
  authorize,
  bulkCreateInspectorAccounts,
  createUser,
  getInspector,
  inspectorsWithoutAccount,
  linkedInspectorId,
  linkInspector,
  listMyTargets,
  listUsers,
  resetPassword,
  setUserDisabled,
  updateUser,
} from '@choucha/services';
import type { AppOptions } from '../../app.ts';
import type { Api } from '../index.ts';

const tags = ['users'];

export async function userRoutes(api: Api, { services }: AppOptions) {
  api.get(
    '/users',
    { schema: { tags, querystring: UserListQuery, response: { 200: ManagedUserList } } },
    async (req) => ({ items: await listUsers(services, req.actor, req.query) }),
  );
  api.post('/users', { schema: { tags, body: CreateUserBody, response: { 200: Me } } }, async (req) =>
    createUser(services, req.actor, req.body),
  );
  api.post(
    '/users/:id/reset-password',
    { schema: { tags, params: IdParam, body: ResetPasswordBody } },
    async (req, reply) => {
      await resetPassword(services, req.actor, req.params.id, req.body.password);
      return reply.status(204).send();
    },
  );
  api.post(
    '/users/:id/profile',
    { schema: { tags, params: IdParam, body: UpdateUserBody, response: { 200: ManagedUser } } },
    async (req) => updateUser(services, req.actor, req.params.id, req.body),
  );
  api.post(
    '/users/:id/disabled',
    { schema: { tags, params: IdParam, body: DisableUserBody, response: { 200: ManagedUser } } },
    async (req) => setUserDisabled(services, req.actor, req.params.id, req.body.disabled),
  );
  api.post(
    '/users/:id/inspector',
    { schema: { tags, params: IdParam, body: LinkInspectorBody, response: { 200: ManagedUser } } },
    async (req) => linkInspector(services, req.actor, req.params.id, req.body.inspectorId),
  );
  api.get(
    '/users/inspector-candidates',
    {
      schema: { tags, querystring: InspectorCandidateQuery, response: { 200: InspectorCandidateList } },
    },
    async (req) => ({ items: await inspectorsWithoutAccount(services, req.actor, req.query.departmentId) }),
  );
  api.post(
    '/users/bulk-inspectors',
    {
      schema: {
        tags,
        description:
          'Accounts for inspectors without one. User name: <department code>.<certificate number> (letters and digits, lower case), else <department code>.n<inspector id>; -2, -3 … when taken. The one-time passwords are in this answer only (also as .xlsx, base64); they must be changed at the first login.',
        body: BulkCreateBody,
        response: { 200: BulkCreateResult },
      },
    },
    async (req, reply) => {
      void reply.header('cache-control', 'no-store');
      return bulkCreateInspectorAccounts(services, req.actor, req.body);
    },
  );
  api.get('/me/targets', { schema: { tags, response: { 200: MyTargetList } } }, async (req) => ({
    items: await listMyTargets(services, req.actor),
  }));
  api.get('/me/inspector', { schema: { tags, response: { 200: MyInspector } } }, async (req) => {
    authorize(req.actor, 'directory.read');
    const id = await linkedInspectorId(services.database.db, req.actor);
    if (id === null) return { inspector: null };
    const i = await getInspector(services, req.actor, id);
    return { inspector: { id: i.id, name: i.name, departmentId: i.departmentId, certNo: i.certNo } };
  });
}
