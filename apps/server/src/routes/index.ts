import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppOptions } from '../app.ts';
import { authRoutes } from './auth.ts';
import { directoryRoutes } from './directories.ts';
import { campaignRoutes } from './campaigns.ts';
import { drawOpsRoutes } from './campaigns/draw-ops.ts';
import { resultRoutes } from './campaigns/results.ts';
import { planRoutes } from './campaigns/plans.ts';
import { rosterRoutes } from './campaigns/roster.ts';
import { jointRoutes } from './campaigns/joint.ts';
import { publicRoutes } from './public.ts';
import { adminRoutes } from './admin.ts';
import { departmentAdminRoutes } from './admin/departments.ts';
import { userRoutes } from './admin/users.ts';
import { recusalRoutes } from './directories/recusals.ts';
import { settingsRoutes } from './admin/settings.ts';
import { importMappingRoutes } from './imports/mapping.ts';
import { calendarRoutes } from './admin/calendar.ts';
import { supervisorRoutes } from './supervisor.ts';

export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export async function registerRoutes(api: Api, opts: AppOptions) {
  await authRoutes(api, opts);
  await directoryRoutes(api, opts);
  await campaignRoutes(api, opts);
  await drawOpsRoutes(api, opts);
  await resultRoutes(api, opts);
  await planRoutes(api, opts);
  await rosterRoutes(api, opts);
  await jointRoutes(api, opts);
  await publicRoutes(api, opts);
  await adminRoutes(api, opts);
  await departmentAdminRoutes(api, opts);
  await userRoutes(api, opts);
  await recusalRoutes(api, opts);
  await settingsRoutes(api, opts);
  await importMappingRoutes(api, opts);
  await calendarRoutes(api, opts);
  await supervisorRoutes(api, opts);
}
