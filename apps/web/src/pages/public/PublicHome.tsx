import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Input, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { InfoCircleOutlined } from '@ant-design/icons';
import type { PublicResult } from '@choucha/api';
import { useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDate, fmtDateTime, StatusTag } from '../../components/common.tsx';
import { PublicLayout } from './PublicLayout.tsx';
import { PublicTaskStateTag } from './PublicTaskState.tsx';
import type { PublicTaskState } from '@choucha/api';

interface PublicDrawRow {
  id: number;
  taskName: string;
  departmentName: string;
  attempt: number;
  status: string;
  algorithmVersion: string;
  commitmentHash: string;
  committedAt: string;
  seed: string | null;
  redrawReason: string | null;
  taskState?: PublicTaskState | undefined;
  /** v2: the redraw that superseded this draw */
  supersededBy?: { drawId: number } | null | undefined;
}

export default function PublicHome() {
  const { t, tv } = useI18n();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, loading } = useFetch<{ items: PublicResult[]; total: number }>('/api/public/results', {
    q,
    page,
    pageSize,
  });
  const draws = useFetch<{ items: PublicDrawRow[] }>('/api/public/draws');
  return (
    <PublicLayout>
      <Card title={t('public.results')} style={{ marginBottom: 24 }}>
        <Input.Search
          enterButton={t('common.search')}
          allowClear
          size="large"
          placeholder={t('public.searchPlaceholder')}
          onSearch={(v) => {
            setQ(v.trim());
            setPage(1);
          }}
          style={{ maxWidth: 560, marginBottom: 16 }}
          data-testid="public-search"
        />
        <Table<PublicResult>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={data?.items ?? []}
          data-testid="public-results"
          scroll={{ x: 1100 }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (n) => t('common.total', { n }),
            onChange: (p, ps) => {
              setPage(p);
              setPageSize(ps);
            },
          }}
          columns={[
            { title: t('public.entityName'), dataIndex: 'entityName', width: 220 },
            {
              title: t('public.code'),
              dataIndex: 'code',
              width: 190,
              render: (v: string) => (
                <span style={{ fontFamily: 'ui-monospace, Menlo, monospace' }}>{v}</span>
              ),
            },
            {
              title: t('public.task'),
              dataIndex: 'taskName',
              width: 200,
              render: (v: string, r) => (
                <>
                  {v}
                  <div>
                    <Link to={`/public/draws/${r.drawId}`} style={{ fontSize: 12 }}>
                      {t('public.viewDraw')}
                    </Link>
                  </div>
                </>
              ),
            },
            { title: t('common.department'), dataIndex: 'departmentName', width: 150 },
            {
              title: t('public.items'),
              dataIndex: 'items',
              width: 220,
              // a joint target: each department's items under its name
              render: (v: string[], r) =>
                r.byDepartment.length > 1
                  ? r.byDepartment.map((d) => (
                      <div key={d.departmentName}>
                        <Typography.Text type="secondary">{d.departmentName}：</Typography.Text>
                        {d.items.join('；') || '—'}
                      </div>
                    ))
                  : v.join('；'),
            },
            {
              // one row per target, every department's published result on it
              title: (
                <Tooltip title={t('public.byDepartment')}>
                  {t('public.resultCodes')} <InfoCircleOutlined style={{ color: '#999' }} />
                </Tooltip>
              ),
              key: 'codes',
              width: 260,
              render: (_v, r) =>
                r.byDepartment.map((d) => (
                  <div
                    key={d.departmentName}
                    data-testid="public-department-result"
                    style={{ marginBottom: 4 }}
                  >
                    {r.byDepartment.length > 1 ? (
                      <Typography.Text type="secondary">{d.departmentName}：</Typography.Text>
                    ) : null}
                    {d.codes.map((c) => (
                      <Tag
                        key={c}
                        color={c === '未发现问题' ? 'green' : 'volcano'}
                        style={{ marginBottom: 2 }}
                      >
                        {tv(c)}
                      </Tag>
                    ))}
                    {/* 更正 stays public: each correction with its date and reason */}
                    {d.corrections.map((c) => (
                      <div key={c.version} style={{ fontSize: 12 }} data-testid="public-correction">
                        <Tag color="purple">{t('public.corrected')}</Tag>
                        {t('public.correctedOn', { date: fmtDate(c.correctedAt), reason: c.reason })}
                      </div>
                    ))}
                  </div>
                )),
            },
            {
              title: t('public.inspectedOn'),
              dataIndex: 'inspectedOn',
              width: 110,
              render: (v: string) => fmtDate(v),
            },
            {
              title: t('public.publishedAt'),
              dataIndex: 'publishedAt',
              width: 110,
              render: (v: string) => fmtDate(v),
            },
          ]}
        />
      </Card>
      <Card title={<span id="draws">{t('public.draws')}</span>}>
        <Typography.Paragraph type="secondary">{t('public.drawsExplain')}</Typography.Paragraph>
        <Table<PublicDrawRow>
          rowKey="id"
          size="small"
          loading={draws.loading}
          dataSource={draws.data?.items ?? []}
          data-testid="public-draws"
          pagination={{ pageSize: 10 }}
          columns={[
            {
              title: t('public.task'),
              dataIndex: 'taskName',
              render: (v: string, r) => (
                <Link to={`/public/draws/${r.id}`} data-testid={`public-draw-link-${r.id}`}>
                  {v}
                </Link>
              ),
            },
            { title: t('common.department'), dataIndex: 'departmentName', width: 160 },
            {
              title: t('draws.attempt'),
              dataIndex: 'attempt',
              width: 110,
              render: (v: number, r) => (
                <Space orientation="vertical" size={0}>
                  <span>#{v}</span>
                  {r.supersededBy ? (
                    <Tag color="orange" data-testid={`public-draw-superseded-${r.id}`}>
                      {t('public.supersededByN', { n: v + 1 })}
                    </Tag>
                  ) : null}
                </Space>
              ),
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              width: 170,
              // the task's real state (results entered, published, corrected), else the draw's status
              render: (v: string, r) =>
                r.taskState ? <PublicTaskStateTag state={r.taskState} /> : <StatusTag status={v} />,
            },
            {
              title: t('draws.committedAt'),
              dataIndex: 'committedAt',
              width: 170,
              render: (v: string) => fmtDateTime(v),
            },
            {
              title: t('draws.commitmentHash'),
              dataIndex: 'commitmentHash',
              width: 200,
              render: (v: string) => (
                <span style={{ fontFamily: 'ui-monospace, Menlo, monospace', fontSize: 12 }} title={v}>
                  {v.slice(0, 20)}…
                </span>
              ),
            },
          ]}
        />
      </Card>
    </PublicLayout>
  );
}
