/** Entities left out of a draw's roster, each with its reason (temporary exclusions, status, scope). */
import { Card, Table } from 'antd';
import { Link } from 'react-router-dom';
import { useFetch } from '../../api/client.ts';
import type { DrawExclusionView } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';

export function DrawExclusions({ drawId }: { drawId: number }) {
  const { t } = useI18n();
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
          { title: t('exclusions.reason'), dataIndex: 'reason' },
        ]}
      />
    </Card>
  );
}
