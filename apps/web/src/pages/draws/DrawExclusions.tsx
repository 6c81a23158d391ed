/** Entities left out of a draw's roster, each with its reason (temporary exclusions, status, scope). */
import { Card, Table } from 'antd';
import { Link } from 'react-router-dom';
import { useFetch } from '../../api/client.ts';
import type { DrawExclusionView } from '../../api/types.ts';
import { useI18n, type Lang } from '../../i18n/index.tsx';
import {
  drawExclusionText,
  isDrawExclusionCode,
} from '../../../../../packages/core/src/draw-exclusion-reasons.ts';

/** Draws committed before reasons had codes stored only the English sentence: the known ones in Chinese. */
const ZH_REASONS: [RegExp, string][] = [
  [/^temporarily excluded: (.*)$/s, '暂时排除出抽取：$1'],
  [
    /^no usable code \(USCC or registration number\); see the 重错码 queue$/,
    '无可用代码（统一社会信用代码或注册号），见重错码纠错',
  ],
  [
    /^duplicate code (\S+) \(also entity (\d+)\); pending 重错码 correction$/,
    '代码 $1 重复（另见主体 #$2），待重错码纠错',
  ],
  [
    /^cool-down: inspected for the same item in "(.*)" \((\d{4}-\d\d-\d\d)\), within (\d+) months$/s,
    '冷却期：$3 个月内已因相同事项在“$1”（$2）中被抽取',
  ],
  [
    /^yearly cap: already drawn (\d+) times in (\d{4}) \(cap (\d+) across all departments\)$/,
    '年度上限：$2 年已被抽取 $1 次（各部门合计上限 $3 次）',
  ],
];

/** The text of an exclusion in the language: from its code, or (older draws) from the sentence. */
export function localizeReason(
  e: Pick<DrawExclusionView, 'reason' | 'reasonCode' | 'reasonParams'>,
  lang: Lang,
): string {
  if (isDrawExclusionCode(e.reasonCode)) return drawExclusionText(e.reasonCode, e.reasonParams, lang);
  if (lang !== 'zh') return e.reason;
  for (const [re, zh] of ZH_REASONS) if (re.test(e.reason)) return e.reason.replace(re, zh);
  return e.reason;
}

export function DrawExclusions({ drawId }: { drawId: number }) {
  const { t, lang } = useI18n();
  const { data, loading } = useFetch<{ items: DrawExclusionView[] }>(
    `/api/draws/${drawId}/exclusions`,
    undefined,
    {
      silent: true,
    },
  );
  const items = data?.items ?? [];
  return (
    <Card
      size="small"
      style={{ marginTop: 16 }}
      title={t('drawExclusions.title', { n: items.length })}
      data-testid="draw-exclusions"
      data-count={items.length}
    >
      <Table<DrawExclusionView>
        rowKey="entityId"
        size="small"
        loading={loading}
        dataSource={items}
        locale={{ emptyText: t('drawExclusions.none') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
        columns={[
          {
            title: t('draws.entity'),
            dataIndex: 'name',
            render: (v: string, r) => <Link to={`/entities/${r.entityId}`}>{v}</Link>,
          },
          {
            title: t('exclusions.reason'),
            dataIndex: 'reason',
            render: (_: string, r) => (
              <span title={r.reasonCode ?? undefined} data-code={r.reasonCode ?? ''}>
                {localizeReason(r, lang)}
              </span>
            ),
          },
        ]}
      />
    </Card>
  );
}
