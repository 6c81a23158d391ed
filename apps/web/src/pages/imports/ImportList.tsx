import { Link } from 'react-router-dom';
import { useState } from 'react';
import { Button, Card, Segmented, Table, Tooltip } from 'antd';
import { FileExcelOutlined, PlusOutlined } from '@ant-design/icons';
import { useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDateTime, PageFrame, StatusTag } from '../../components/common.tsx';

interface Summary {
  id: number;
  kind: string;
  fileName: string;
  status: string;
  counts: {
    rows: number;
    accepted: number;
    warned: number;
    rejected: number;
    merged?: number;
    created?: number;
    updated?: number;
  };
  createdAt: string;
  committedAt: string | null;
}

export default function ImportList() {
  const { t, tk } = useI18n();
  const [kind, setKind] = useState<string>('all');
  const { data, loading } = useFetch<{ items: Summary[] }>('/api/imports', {
    kind: kind === 'all' ? undefined : kind,
  });
  return (
    <PageFrame
      title={t('imports.title')}
      subtitle={t('imports.subtitle')}
      extra={
        <Link to="/imports/new">
          <Button type="primary" icon={<PlusOutlined />} data-testid="import-new">
            {t('imports.new')}
          </Button>
        </Link>
      }
    >
      <Card>
        <Segmented<string>
          value={kind}
          onChange={setKind}
          style={{ marginBottom: 16 }}
          data-testid="import-history-kind"
          options={['all', 'entities', 'inspectors', 'items', 'joint_items'].map((k) => ({
            value: k,
            label: k === 'all' ? t('verdict.all') : tk('importKind', k),
          }))}
        />
        <Table<Summary>
          rowKey="id"
          loading={loading}
          dataSource={data?.items ?? []}
          size="middle"
          data-testid="import-history"
          scroll={{ x: 1440 }}
          pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
          columns={[
            { title: 'ID', dataIndex: 'id', width: 70 },
            {
              title: t('imports.kind'),
              dataIndex: 'kind',
              width: 120,
              render: (v: string) => tk('importKind', v),
            },
            {
              title: t('imports.file'),
              dataIndex: 'fileName',
              width: 280,
              ellipsis: { showTitle: false },
              render: (v: string, r) => (
                <Tooltip title={v} placement="topLeft">
                  <Link to={`/imports/${r.id}`} data-testid="import-file-name">
                    {v}
                  </Link>
                </Tooltip>
              ),
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              width: 110,
              render: (v: string) => <StatusTag status={v} prefix="importStatus" />,
            },
            { title: t('imports.rows'), key: 'rows', width: 80, render: (_v, r) => r.counts.rows },
            { title: t('imports.accepted'), key: 'acc', width: 80, render: (_v, r) => r.counts.accepted },
            { title: t('imports.warned'), key: 'warn', width: 80, render: (_v, r) => r.counts.warned },
            { title: t('imports.rejected'), key: 'rej', width: 80, render: (_v, r) => r.counts.rejected },
            {
              title: t('imports.createdUpdated'),
              key: 'cu',
              width: 120,
              render: (_v, r) =>
                r.committedAt ? `${r.counts.created ?? 0} / ${r.counts.updated ?? 0}` : '—',
            },
            {
              title: t('common.createdAt'),
              dataIndex: 'createdAt',
              width: 170,
              render: (v: string) => fmtDateTime(v),
            },
            {
              title: t('imports.committedAt'),
              dataIndex: 'committedAt',
              width: 170,
              render: (v: string | null) => fmtDateTime(v),
            },
            {
              title: t('imports.report'),
              key: 'report',
              width: 90,
              render: (_v, r) => (
                <a href={`/api/imports/${r.id}/report.xlsx`} download data-testid={`import-report-${r.id}`}>
                  <FileExcelOutlined /> xlsx
                </a>
              ),
            },
          ]}
        />
      </Card>
    </PageFrame>
  );
}
