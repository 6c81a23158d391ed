import { z } from 'zod';
import { AuditList, AuditQuery, AuditVerify, AuditVerifyQuery, Dashboard, YearText } from '@choucha/api';
import { parseAnchor, type AuditAnchor } from '@choucha/core';
import { dashboard, listAudit, verifyAudit } from '@choucha/services';
import type { AppOptions } from '../app.ts';
import type { Api } from './index.ts';

export async function adminRoutes(api: Api, { services }: AppOptions) {
  api.get('/health', { schema: { tags: ['ops'] } }, async () => {
    await services.database.query('select 1');
    return { status: 'ok', db: services.database.kind };
  });
  api.get(
    '/dashboard',
    {
      schema: {
        tags: ['indicators'],
        querystring: z.object({ year: YearText.optional() }),
        response: { 200: Dashboard },
      },
    },
    // without a year: the latest year that has tasks (services/dashboard.ts)
    async (req) => dashboard(services, req.actor, req.query.year),
  );
  api.get(
    '/audit',
    { schema: { tags: ['audit'], querystring: AuditQuery, response: { 200: AuditList } } },
    async (req) => listAudit(services, req.actor, req.query),
  );
  api.get(
    '/audit/verify',
    { schema: { tags: ['audit'], querystring: AuditVerifyQuery, response: { 200: AuditVerify } } },
    async (req) => {
      const given = req.query.anchor;
      const anchors = (given === undefined ? [] : Array.isArray(given) ? given : [given])
        .map(parseAnchor)
        .filter((a): a is AuditAnchor => a !== undefined);
      return verifyAudit(services, req.actor, { anchors });
    },
  );
}
