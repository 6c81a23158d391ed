/** The dry-run (or committed) report of one import: counts, column mapping and row verdicts with reasons. */
import { useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  Collapse,
  Descriptions,
  Input,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { FileExcelOutlined } from '@ant-design/icons';
import type { ImportDetailFull, ImportRowView, StoredMapping } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';

const VERDICT_COLORS: Record<string, string> = {
  accepted: 'green',
  warning: 'orange',
  rejected: 'red',
  merged: 'blue',
};
type VerdictFilter = 'all' | ImportRowView['verdict'];

/** Column index → spreadsheet letter (0 → A, 26 → AA). */
export function columnLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function ImportCountsView({ detail }: { detail: Pick<ImportDetailFull, 'counts' | 'committedAt'> }) {
  const { t } = useI18n();
  const c = detail.counts;
  const cells: { key: string; label: string; value: number; color?: string }[] = [
    { key: 'rows', label: t('imports.rows'), value: c.rows },
    { key: 'accepted', label: t('imports.accepted'), value: c.accepted, color: '#389e0d' },
    { key: 'warned', label: t('imports.warned'), value: c.warned, color: '#d46b08' },
    { key: 'rejected', label: t('imports.rejected'), value: c.rejected, color: '#cf1322' },
    { key: 'merged', label: t('imports.merged'), value: c.merged ?? 0, color: '#1456b8' },
  ];
  const committed = !!detail.committedAt;
  if (committed || c.created !== undefined)
    cells.push({ key: 'created', label: t('imports.created'), value: c.created ?? 0, color: '#389e0d' });
  if (committed || c.updated !== undefined)
    cells.push({ key: 'updated', label: t('imports.updated'), value: c.updated ?? 0, color: '#1456b8' });
  if (c.editions !== undefined)
    cells.push({ key: 'editions', label: t('imports.editions'), value: c.editions });
  if (c.unchanged !== undefined)
    cells.push({ key: 'unchanged', label: t('imports.unchanged'), value: c.unchanged });
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

/** The download link of the report workbook. */
export function ImportReportLink({ id }: { id: number }) {
  const { t } = useI18n();
  return (
    <Button
      icon={<FileExcelOutlined />}
      href={`/api/imports/${id}/report.xlsx`}
      download
      data-testid="import-report-xlsx"
    >
      {t('imports.downloadReport')}
    </Button>
  );
}

/**
 * The detected column mapping: which column each field was read from, and the columns left
 * unread. `editor` (the wizard's dry run): the column mapping editor, in a panel below.
 */
export function ImportMappingView({ detail, editor }: { detail: ImportDetailFull; editor?: ReactNode }) {
  const { t, tk } = useI18n();
  const m = (detail.mapping ?? {}) as StoredMapping;
  const fields = Object.entries(m.fields ?? {}).sort((a, b) => a[1].column - b[1].column);
  return (
    <Card title={t('imports.mapping')} size="small" data-testid="import-mapping">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Descriptions size="small" column={{ xs: 1, md: 4 }}>
          {detail.sheet ? (
            <Descriptions.Item label={t('imports.sheet')}>
              <span data-testid="import-sheet-used">{detail.sheet}</span>
            </Descriptions.Item>
          ) : null}
          {m.fileType ? (
            <Descriptions.Item label={t('imports.fileType')}>{m.fileType}</Descriptions.Item>
          ) : null}
          {m.encoding ? (
            <Descriptions.Item label={t('imports.encoding')}>{m.encoding}</Descriptions.Item>
          ) : null}
          {m.headerRowNumbers?.length ? (
            <Descriptions.Item label={t('imports.headerRows')}>
              {m.headerRowNumbers.join('、')}
            </Descriptions.Item>
          ) : null}
        </Descriptions>
        {m.notices?.length ? (
          <Alert type="info" showIcon title={m.notices.join('；')} data-testid="import-notices" />
        ) : null}
        <Table
          size="small"
          rowKey={(r) => r[0]}
          pagination={false}
          dataSource={fields}
          data-testid="import-mapping-table"
          columns={[
            {
              title: t('imports.field'),
              key: 'field',
              width: 200,
              render: (_v, r) => tk('importField', r[0]),
            },
            {
              title: t('imports.column'),
              key: 'col',
              width: 90,
              render: (_v, r) => <Tag>{columnLetter(r[1].column)}</Tag>,
            },
            { title: t('imports.headerAsRead'), key: 'header', render: (_v, r) => r[1].header },
          ]}
        />
        {m.unmapped?.length ? (
          <Typography.Text type="secondary" data-testid="import-unmapped">
            {t('imports.unmapped')}：
            {m.unmapped.map((u) => `${columnLetter(u.column)}「${u.header || '—'}」`).join('、')}
          </Typography.Text>
        ) : null}
        {editor ? (
          <>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('imports.mappingHint')}
            </Typography.Text>
            <Collapse
              size="small"
              data-testid="import-mapping-edit"
              items={[{ key: 'edit', label: t('imports.mapEdit'), children: editor }]}
            />
          </>
        ) : null}
      </Space>
    </Card>
  );
}

export function ImportRowsTable({ rows, note }: { rows: ImportRowView[]; note?: string | null | undefined }) {
  const { t, tk } = useI18n();
  const [filter, setFilter] = useState<VerdictFilter>(() =>
    rows.some((r) => r.verdict === 'rejected' || r.verdict === 'warning') ? 'all' : 'all',
  );
  const [text, setText] = useState('');
  const shown = useMemo(() => {
    const q = text.trim();
    return rows.filter(
      (r) =>
        (filter === 'all' || r.verdict === filter) &&
        (!q ||
          (r.name ?? '').includes(q) ||
          (r.key ?? '').includes(q) ||
          String(r.rowNumber) === q ||
          r.reasons.some(
            (x) => x.message.includes(q) || (x.field ?? '').includes(q) || (x.header ?? '').includes(q),
          )),
    );
  }, [rows, filter, text]);
  const count = (v: VerdictFilter) =>
    v === 'all' ? rows.length : rows.filter((r) => r.verdict === v).length;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {note ? <Alert type="warning" showIcon title={note} /> : null}
      <Space wrap>
        <Segmented<VerdictFilter>
          value={filter}
          onChange={setFilter}
          data-testid="import-verdict-filter"
          options={(['all', 'accepted', 'warning', 'rejected', 'merged'] as const).map((v) => ({
            value: v,
            label: <span data-testid={`import-verdict-${v}`}>{`${tk('verdict', v)} (${count(v)})`}</span>,
          }))}
        />
        <Input.Search
          allowClear
          placeholder={t('imports.rowSearch')}
          style={{ width: 260 }}
          onSearch={setText}
          onChange={(e) => {
            if (!e.target.value) setText('');
          }}
          data-testid="import-row-search"
        />
      </Space>
      <Table<ImportRowView>
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
          { title: t('imports.name'), dataIndex: 'name', width: 240, render: (v: string | null) => v ?? '—' },
          {
            title: t('imports.key'),
            dataIndex: 'key',
            width: 190,
            render: (v: string | null) => (
              <span style={{ fontFamily: 'ui-monospace, Menlo, monospace' }}>{v ?? '—'}</span>
            ),
          },
          {
            title: t('imports.reasons'),
            dataIndex: 'reasons',
            render: (v: ImportRowView['reasons'], r) =>
              v.length === 0 ? (
                r.mergedInto !== undefined ? (
                  t('imports.mergedInto', { row: r.mergedInto })
                ) : (
                  '—'
                )
              ) : (
                <ul style={{ margin: 0, paddingInlineStart: 16 }}>
                  {v.map((x, i) => (
                    <li key={i}>
                      {x.field || x.header ? (
                        <Typography.Text strong>
                          {x.field ? tk('importField', x.field) : x.header}：
                        </Typography.Text>
                      ) : null}
                      {x.message}
                      {x.value ? (
                        <Typography.Text code style={{ marginInlineStart: 4 }}>
                          {x.value}
                        </Typography.Text>
                      ) : null}{' '}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        ({x.code})
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
