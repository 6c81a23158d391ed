import { Link, useParams } from 'react-router-dom';
import { Button, Card, Descriptions, Empty, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { EntityRow } from '@choucha/api';
import { useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { PageFrame } from '../../components/common.tsx';
import { PageSpinner } from '../../layout/AppLayout.tsx';
import { RISK_COLORS } from './EntityList.tsx';

const KNOWN = new Set([
  'id',
  'name',
  'uscc',
  'regNo',
  'codeStatus',
  'entityType',
  'industryName',
  'street',
  'address',
  'status',
  'riskClass',
]);

/** Renders extra detail fields the server adds (history, inspections…) without knowing their shape. */
function Extra({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <>—</>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
    if (value.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
      const cols = Array.from(new Set(value.flatMap((x) => Object.keys(x as object))));
      return (
        <Table
          size="small"
          pagination={false}
          rowKey={(_r, i) => String(i)}
          dataSource={value as Record<string, unknown>[]}
          columns={cols.map((c) => ({
            title: c,
            dataIndex: c,
            render: (v: unknown) =>
              typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '—'),
          }))}
        />
      );
    }
    return <>{value.map(String).join('、')}</>;
  }
  if (typeof value === 'object') return <Typography.Text code>{JSON.stringify(value)}</Typography.Text>;
  return <>{String(value)}</>;
}

export default function EntityDetail() {
  const { id } = useParams();
  const { t, tk } = useI18n();
  const { data, loading } = useFetch<EntityRow & Record<string, unknown>>(`/api/entities/${id ?? ''}`);
  if (loading && !data) return <PageSpinner />;
  if (!data) return <Empty />;
  const extras = Object.entries(data).filter(([k]) => !KNOWN.has(k));
  return (
    <PageFrame
      title={data.name}
      extra={
        <Link to="/entities">
          <Button icon={<ArrowLeftOutlined />}>{t('common.back')}</Button>
        </Link>
      }
    >
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card title={t('entities.basic')}>
          <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
            <Descriptions.Item label={t('entities.name')}>{data.name}</Descriptions.Item>
            <Descriptions.Item label={t('entities.uscc')}>
              <span style={{ fontFamily: 'ui-monospace, Menlo, monospace' }}>{data.uscc ?? '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('entities.regNo')}>
              <span style={{ fontFamily: 'ui-monospace, Menlo, monospace' }}>{data.regNo ?? '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('entities.codeStatus')}>
              {tk('codeStatus', data.codeStatus)}
            </Descriptions.Item>
            <Descriptions.Item label={t('entities.entityType')}>{data.entityType ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('entities.industry')}>{data.industryName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('entities.street')}>{data.street ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('entities.status')}>{data.status}</Descriptions.Item>
            <Descriptions.Item label={t('entities.address')} span={2}>
              {data.address ?? '—'}
            </Descriptions.Item>
            {data.riskClass !== undefined ? (
              <Descriptions.Item label={t('entities.riskClass')}>
                {data.riskClass ? (
                  <Tag color={RISK_COLORS[data.riskClass] ?? 'default'}>{data.riskClass}</Tag>
                ) : (
                  '—'
                )}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('entities.riskInternal')}
                </Typography.Text>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
        </Card>
        {extras.map(([k, v]) => (
          <Card key={k} title={tk('entityDetail', k)} size="small">
            <Extra value={v} />
          </Card>
        ))}
      </Space>
    </PageFrame>
  );
}
