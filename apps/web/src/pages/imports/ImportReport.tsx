/** The dry-run (or committed) report of one import: counts and row verdicts with reasons. */
import { useMemo, useState } from 'react';
import { Card, Col, Row, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ImportDetail, ImportRowReport } from '@choucha/api';
import { useI18n } from '../../i18n/index.tsx';

const VERDICT_COLORS: Record<string, string> = {
  accepted: 'green',
  warning: 'orange',
  rejected: 'red',
  merged: 'blue',
};
type VerdictFilter = 'all' | ImportRowReport['verdict'];

export function ImportCountsView({ detail }: { detail: ImportDetail }) {
  const { t } = useI18n();
  const c = detail.counts;
  const cells: { key: string; label: string; value: number; color?: string }[] = [
    { key: 'rows', label: t('imports.rows'), value: c.rows },
    { key: 'accepted', label: t('imports.accepted'), value: c.accepted, color: '#389e0d' },
    { key: 'warned', label: t('imports.warned'), value: c.warned, color: '#d46b08' },
    { key: 'rejected', label: t('imports.rejected'), value: c.rejected, color: '#cf1322' },
  ];
  if (c.merged !== undefined)
    cells.push({ key: 'merged', label: t('imports.merged'), value: c.merged, color: '#1456b8' });
  if (c.created !== undefined)
    cells.push({ key: 'created', label: t('imports.created'), value: c.created, color: '#389e0d' });
  if (c.updated !== undefined)
    cells.push({ key: 'updated', label: t('imports.updated'), value: c.updated, color: '#1456b8' });
  return (
    <Row gutter={[16, 16]}>
      {cells.map((x) => (
        <Col key={x.key} xs={12} sm={8} md={6} lg={4}>
          <Card size="small" data-testid={`import-count-${x.key}`} data-value={x.value}>
            <Statistic
              title={x.label}
              value={x.value}
              styles={x.color ? { content: { color: x.color } } : {}}
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

export function ImportRowsTable({ rows }: { rows: ImportRowReport[] }) {
  const { t, tk } = useI18n();
  const [filter, setFilter] = useState<VerdictFilter>(() =>
    rows.some((r) => r.verdict === 'rejected' || r.verdict === 'warning') ? 'all' : 'all',
  );
  const shown = useMemo(
    () => (filter === 'all' ? rows : rows.filter((r) => r.verdict === filter)),
    [rows, filter],
  );
  const count = (v: VerdictFilter) =>
    v === 'all' ? rows.length : rows.filter((r) => r.verdict === v).length;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Segmented<VerdictFilter>
        value={filter}
        onChange={setFilter}
        data-testid="import-verdict-filter"
        options={(['all', 'accepted', 'warning', 'rejected', 'merged'] as const).map((v) => ({
          value: v,
          label: `${tk('verdict', v)} (${count(v)})`,
        }))}
      />
      <Table<ImportRowReport>
        rowKey="rowNumber"
        size="small"
        dataSource={shown}
        data-testid="import-rows"
        pagination={{
          defaultPageSize: 20,
          showSizeChanger: true,
          showTotal: (n) => t('common.total', { n }),
        }}
        columns={[
          { title: t('imports.rowNumber'), dataIndex: 'rowNumber', width: 80 },
          {
            title: t('imports.verdict'),
            dataIndex: 'verdict',
            width: 100,
            render: (v: string) => <Tag color={VERDICT_COLORS[v] ?? 'default'}>{tk('verdict', v)}</Tag>,
          },
          { title: t('imports.name'), dataIndex: 'name', width: 260, render: (v: string | null) => v ?? '—' },
          {
            title: t('imports.key'),
            dataIndex: 'key',
            width: 200,
            render: (v: string | null) => (
              <span style={{ fontFamily: 'ui-monospace, Menlo, monospace' }}>{v ?? '—'}</span>
            ),
          },
          {
            title: t('imports.reasons'),
            dataIndex: 'reasons',
            render: (v: ImportRowReport['reasons']) =>
              v.length === 0 ? (
                '—'
              ) : (
                <ul style={{ margin: 0, paddingInlineStart: 16 }}>
                  {v.map((r, i) => (
                    <li key={i}>
                      {r.field ? <Typography.Text strong>{r.field}：</Typography.Text> : null}
                      {r.message}{' '}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        ({r.code})
                      </Typography.Text>
                    </li>
                  ))}
                </ul>
              ),
          },
        ]}
      />
    </Space>
  );
}
