/** Entities left out of a draw's roster, each with its reason (temporary exclusions, status, scope). */
import { Card, Table } from 'antd';
import { Link } from 'react-router-dom';
import { useFetch } from '../../api/client.ts';
import type { DrawExclusionView } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';

/** The server states reasons in English; the known ones are shown in Chinese too. */
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
];

export function localizeReason(reason: string, lang: string): string {
  if (lang !== 'zh') return reason;
  for (const [re, zh] of ZH_REASONS) if (re.test(reason)) return reason.replace(re, zh);
  return reason;
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
            render: (v: string) => localizeReason(v, lang),
          },
        ]}
      />
    </Card>
  );
}
