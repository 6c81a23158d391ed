/**
 * 回避审核: the department admin's list of recusal declarations (awaiting ones first), confirmed or
 * rejected here, and the import of a recusal list (dry run → commit).
 */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Segmented, Space, Table, Tag, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import type { RecusalImport, RecusalRow } from '@choucha/api';
import { api, useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDate, PageFrame } from '../../components/common.tsx';
import { RecusalDecision, RecusalStatusTag } from './RecusalParts.tsx';

type Filter = 'declared' | 'confirmed' | 'rejected' | 'all';

export default function Recusals() {
  const { t, tk } = useI18n();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<Filter>('declared');
  const { data, loading, reload } = useFetch<{ items: RecusalRow[] }>('/api/recusals', {
    status: filter === 'all' ? undefined : filter,
  });
  const [dry, setDry] = useState<RecusalImport | null>(null);
  const [busy, setBusy] = useState(false);

  const upload = async (file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    setBusy(true);
    try {
      setDry(await api.upload<RecusalImport>('/api/recusals/imports', form));
    } catch {
      // reported
    } finally {
      setBusy(false);
    }
  };
  const commit = async () => {
    if (!dry) return;
    setBusy(true);
    try {
      const done = await api.post<RecusalImport>(`/api/recusals/imports/${dry.id}/commit`);
      message.success(t('recusal.importDone', { n: done.counts.created ?? 0 }));
      setDry(null);
      reload();
    } catch {
      // reported
    } finally {
      setBusy(false);
    }
  };
  const importable = dry ? dry.counts.accepted + dry.counts.warned : 0;

  return (
    <PageFrame title={t('recusal.pending')} subtitle={t('recusal.pendingSubtitle')}>
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card>
          <Segmented<Filter>
            value={filter}
            onChange={setFilter}
            style={{ marginBottom: 16 }}
            data-testid="recusal-filter"
            options={(['declared', 'confirmed', 'rejected', 'all'] as const).map((f) => ({
              value: f,
              label: f === 'all' ? t('recusal.all') : tk('recusal.status', f),
            }))}
          />
          <Table<RecusalRow>
            rowKey="id"
            size="middle"
            loading={loading}
            dataSource={data?.items ?? []}
            data-testid="recusal-table"
            scroll={{ x: 900 }}
            pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
            columns={[
              {
                title: t('recusal.inspector'),
                dataIndex: 'inspectorName',
                width: 120,
                render: (v: string, r) => <Link to={`/inspectors/${r.inspectorId}`}>{v}</Link>,
              },
              {
                title: t('recusal.entity'),
                dataIndex: 'entityName',
                render: (v: string, r) => (
                  <Link to={`/entities/${r.entityId}`}>
                    {v}
                    {r.entityCode ? <span style={{ color: '#888' }}> · {r.entityCode}</span> : null}
                  </Link>
                ),
              },
              { title: t('recusal.relation'), dataIndex: 'relation', width: 130 },
              {
                title: t('recusal.note'),
                dataIndex: 'note',
                width: 200,
                render: (v: string | null) => v ?? '—',
              },
              {
                title: t('recusal.declaredOn'),
                dataIndex: 'declaredOn',
                width: 110,
                render: (v: string) => fmtDate(v),
              },
              {
                title: t('recusal.status'),
                dataIndex: 'status',
                width: 110,
                render: (_v: string, r) => <RecusalStatusTag row={r} />,
              },
              {
                title: t('common.actions'),
                key: 'act',
                width: 150,
                render: (_v, r) =>
                  r.status === 'declared' ? <RecusalDecision row={r} onDone={reload} /> : null,
              },
            ]}
          />
        </Card>
        <Card title={t('recusal.import')} size="small">
          <Typography.Paragraph type="secondary">{t('recusal.importHint')}</Typography.Paragraph>
          <Space wrap>
            <Upload
              accept=".xlsx,.xls,.csv"
              showUploadList={false}
              beforeUpload={(f) => {
                void upload(f);
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} loading={busy && !dry} data-testid="recusal-import-file">
                {t('recusal.importChoose')}
              </Button>
            </Upload>
            {dry ? (
              <Button
                type="primary"
                disabled={importable === 0}
                loading={busy}
                onClick={() => void commit()}
                data-testid="recusal-import-commit"
              >
                {t('recusal.importCommit', { n: importable })}
              </Button>
            ) : null}
          </Space>
          {dry ? (
            <Space orientation="vertical" style={{ width: '100%', marginTop: 16 }}>
              <Alert
                type={dry.counts.rejected ? 'warning' : 'success'}
                showIcon
                data-testid="recusal-import-counts"
                title={t('recusal.counts', {
                  rows: dry.counts.rows,
                  ok: importable,
                  merged: dry.counts.merged,
                  rejected: dry.counts.rejected,
                })}
                description={
                  dry.unusedColumns.length
                    ? t('recusal.unused', { cols: dry.unusedColumns.join('、') })
                    : undefined
                }
              />
              <Table
                rowKey="rowNumber"
                size="small"
                dataSource={dry.rows.filter((r) => r.verdict !== 'accepted')}
                pagination={{ pageSize: 10 }}
                columns={[
                  { title: t('recusal.row'), dataIndex: 'rowNumber', width: 70 },
                  {
                    title: t('recusal.verdict'),
                    dataIndex: 'verdict',
                    width: 90,
                    render: (v: string) => (
                      <Tag color={v === 'rejected' ? 'red' : v === 'warning' ? 'orange' : 'default'}>
                        {tk('verdict', v)}
                      </Tag>
                    ),
                  },
                  {
                    title: t('recusal.inspector'),
                    dataIndex: 'key',
                    width: 120,
                    render: (v: string | null) => v ?? '—',
                  },
                  { title: t('recusal.entity'), dataIndex: 'name', render: (v: string | null) => v ?? '—' },
                  {
                    title: t('recusal.reasons'),
                    key: 'reasons',
                    render: (_v, r) =>
                      r.reasons.map((x) => x.message + (x.value ? `（${x.value}）` : '')).join('；'),
                  },
                ]}
              />
            </Space>
          ) : null}
        </Card>
      </Space>
    </PageFrame>
  );
}
