/** One inspector: certificate, fields, status periods (leave, secondment) and recusals (回避). */
import { Link, useParams } from 'react-router-dom';
import { Alert, Button, Card, Descriptions, Empty, Space, Table, Tag } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useFetch } from '../api/client.ts';
import { useDepartments } from '../api/hooks.ts';
import type { InspectorDetailView } from '../api/types.ts';
import { useI18n } from '../i18n/index.tsx';
import { fmtDate, fmtDateTime, PageFrame } from '../components/common.tsx';
import { PageSpinner } from '../layout/AppLayout.tsx';
import { useMe } from '../auth/AuthContext.tsx';
import { RecusalDecision, RecusalStatusTag } from './people/RecusalParts.tsx';

type Period = InspectorDetailView['statusPeriods'][number];
type Recusal = InspectorDetailView['recusals'][number];

export default function InspectorDetail() {
  const { id } = useParams();
  const { t, tv } = useI18n();
  const me = useMe();
  const { departments } = useDepartments();
  const { data, loading, reload } = useFetch<InspectorDetailView>(`/api/inspectors/${id ?? ''}`);
  if (loading && !data) return <PageSpinner />;
  if (!data) return <Empty />;
  const dept = departments.find((d) => d.id === data.departmentId)?.name ?? data.departmentId;
  return (
    <PageFrame
      title={
        <Space>
          <span data-testid="inspector-name">{data.name}</span>
          <Tag
            color={
              data.active && data.status === '在岗' ? 'green' : data.status === '证件过期' ? 'red' : 'default'
            }
            data-testid="inspector-status"
          >
            {tv(data.status)}
          </Tag>
          {data.certStatus === 'expiring' ? (
            <Tag color="orange" data-testid="inspector-cert-expiring">
              {t('inspectors.certExpiring', { n: data.certDaysLeft ?? 0 })}
            </Tag>
          ) : null}
        </Space>
      }
      extra={
        <Link to="/inspectors">
          <Button icon={<ArrowLeftOutlined />}>{t('common.back')}</Button>
        </Link>
      }
    >
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {data.certStatus === 'expired' ? (
          <Alert
            type="error"
            showIcon
            data-testid="inspector-cert-expired"
            title={t('inspectors.certExpiredOn', { date: fmtDate(data.certValidTo) })}
          />
        ) : null}
        <Card title={t('entities.basic')}>
          <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
            <Descriptions.Item label={t('inspectors.name')}>{data.name}</Descriptions.Item>
            <Descriptions.Item label={t('common.department')}>{dept}</Descriptions.Item>
            <Descriptions.Item label={t('inspectors.certNo')}>
              <span style={{ fontFamily: 'ui-monospace, Menlo, monospace' }}>{data.certNo ?? '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('inspectors.certValidity')}>
              {fmtDate(data.certValidFrom)} ~ {fmtDate(data.certValidTo)}
            </Descriptions.Item>
            <Descriptions.Item label={t('inspectors.fields')}>
              {data.fields.length ? data.fields.map((f) => <Tag key={f}>{f}</Tag>) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('inspectors.region')}>
              {data.regionName ?? data.regionCode ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('entityDetail.phone')}>{data.phone ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('entityDetail.source')}>
              {data.importId ? (
                <Link to={`/imports/${data.importId}`}>
                  {t('entityDetail.importNo', { id: data.importId })}
                </Link>
              ) : (
                '—'
              )}
              <span style={{ color: '#888', fontSize: 12, marginInlineStart: 8 }}>
                {fmtDateTime(data.createdAt)}
              </span>
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <Card title={t('inspectors.statusPeriods')} size="small">
          <Table<Period>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={data.statusPeriods}
            data-testid="inspector-status-periods"
            locale={{ emptyText: t('inspectors.noPeriods') }}
            columns={[
              {
                title: t('common.status'),
                dataIndex: 'status',
                width: 120,
                render: (v: string) => <Tag>{tv(v)}</Tag>,
              },
              {
                title: t('exclusions.period'),
                key: 'p',
                width: 240,
                render: (_v, r) =>
                  `${fmtDate(r.fromDate)} ~ ${r.toDate ? fmtDate(r.toDate) : t('exclusions.openEnded')}`,
              },
              { title: t('codeIssues.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
            ]}
          />
        </Card>
        <Card title={t('inspectors.recusals')} size="small">
          <Table<Recusal>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={data.recusals}
            data-testid="inspector-recusals"
            locale={{ emptyText: t('inspectors.noRecusals') }}
            columns={[
              {
                title: t('public.entityName'),
                dataIndex: 'entityName',
                render: (v: string, r) => <Link to={`/entities/${r.entityId}`}>{v}</Link>,
              },
              {
                title: t('inspectors.relation'),
                dataIndex: 'relation',
                width: 140,
                render: (v: string) => tv(v),
              },
              {
                title: t('inspectors.declaredOn'),
                dataIndex: 'declaredOn',
                width: 120,
                render: (v: string) => fmtDate(v),
              },
              { title: t('codeIssues.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
              {
                title: t('recusal.status'),
                dataIndex: 'status',
                width: 200,
                render: (_v: string, r) => <RecusalStatusTag row={r} />,
              },
              ...(me.role === 'joint_admin' ||
              (me.role === 'dept_admin' && me.departmentId === data.departmentId)
                ? [
                    {
                      title: t('common.actions'),
                      key: 'act',
                      width: 150,
                      render: (_v: unknown, r: Recusal) =>
                        r.status === 'declared' ? <RecusalDecision row={r} onDone={reload} /> : null,
                    },
                  ]
                : []),
            ]}
          />
        </Card>
      </Space>
    </PageFrame>
  );
}
