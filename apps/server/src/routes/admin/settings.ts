/** The district rules (本地区抽查规则): read by staff, changed by the joint office, with history. */
import { RulesHistory, RulesView, UpdateRulesBody } from '@choucha/api';
import { DISTRICT_RULES_KEY } from '@choucha/core';
import { getRules, listSettingHistory, updateRules } from '@choucha/services';
import type { AppOptions } from '../../app.ts';
import type { Api } from '../index.ts';

export async function settingsRoutes(api: Api, { services }: AppOptions) {
  const tags = ['settings'];
  api.get('/settings/rules', { schema: { tags, response: { 200: RulesView } } }, async (req) =>
    getRules(services, req.actor),
  );
  api.put(
    '/settings/rules',
    { schema: { tags, body: UpdateRulesBody, response: { 200: RulesView } } },
    async (req) =>
      updateRules(services, req.actor, req.body.rules, { note: req.body.note, version: req.body.version }),
  );
  api.get('/settings/rules/history', { schema: { tags, response: { 200: RulesHistory } } }, async (req) => ({
    items: await listSettingHistory(services, req.actor, DISTRICT_RULES_KEY),
  }));
}
