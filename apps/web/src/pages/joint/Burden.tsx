/**
 * 企业负担: visits per entity per year, district-wide and per entity, and the visits joint work
 * saved (a joint task's target: one visit for several departments; a joint visit: several
 * targets visited together).
 */
import { Card, Col, Row, Statistic, Table } from 'antd';
import type { Burden } from '@choucha/api';
import { useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';

type EntityRow = Burden['perEntity'][number];

export function BurdenFigures({ year, compact = false }: { year: number; compact?: boolean }) {
  const { t } = useI18n();
  const { data, loading } = useFetch<Burden>('/api/joint/burden', { year, limit: 20 });
  const stat = (key: string, title: string, value: number | string) => (
    <Col xs={12} md={8} xl={4}>
      <Card size="small" data-testid={`burden-${key}`} data-value={value} loading={loading && !data}>
        <Statistic title={title} value={value} />
      </Card>
    </Col>
  );
  return (
    <>
      <Row gutter={[12, 12]}>
        {stat('entities', t('burden.entities'), data?.entities ?? 0)}
        {stat('visits', t('burden.visits'), data?.visits ?? 0)}
        {stat('per-entity', t('burden.visitsPerEntity'), data ? data.visitsPerEntity.toFixed(2) : '0.00')}
        {stat('department-visits', t('burden.departmentVisits'), data?.departmentVisits ?? 0)}
        {stat('saved', t('burden.saved'), data?.saved ?? 0)}
        {stat('max', t('burden.maxVisits'), data?.maxVisits ?? 0)}
      </Row>
      {compact ? null : (
        <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
          <Col xs={24} lg={8}>
            <Card size="small" title={t('burden.distribution')}>
              <Table
                rowKey="visits"
                size="small"
                pagination={false}
                dataSource={data?.distribution ?? []}
                data-testid="burden-distribution"
                columns={[
                  {
                    title: t('burden.visitsCol'),
                    dataIndex: 'visits',
                    render: (v: number) => t('burden.nVisits', { n: v }),
                  },
                  { title: t('burden.entitiesCol'), dataIndex: 'entities' },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={16}>
            <Card size="small" title={t('burden.mostVisited')}>
              <Table<EntityRow>
                rowKey="entityId"
                size="small"
                pagination={false}
                dataSource={data?.perEntity ?? []}
                data-testid="burden-per-entity"
                columns={[
                  { title: t('joint.entity'), dataIndex: 'entityName' },
                  { title: t('burden.visitsCol'), dataIndex: 'visits', width: 100 },
                  { title: t('burden.departmentVisits'), dataIndex: 'departmentVisits', width: 140 },
                  { title: t('burden.saved'), dataIndex: 'saved', width: 100 },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
    </>
  );
}
