/**
 * The import wizard's two mapping editors (issue 8 §2):
 * - columns: a select per field (which column of the file it reads, or none), then the dry run
 *   runs again with that mapping;
 * - departments: every department name of the file the directory does not know, with its row
 *   count, mapped to one local department, several (co-leads), or "skip these rows". The commit
 *   takes the mapping and keeps each single-department choice as an alias for the next file.
 */
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import type { Department, DepartmentMap, ImportColumns, DepartmentNamesView } from '@choucha/api';
import { useI18n } from '../../i18n/index.tsx';
import { columnLetter } from './ImportReport.tsx';

export type ColumnChoice = Record<string, number | null>;

interface FieldRow {
  key: string;
  label: string;
  required: boolean;
  column: number | null;
}

/** A select per field: the column it reads (A「编制单位名称」…) or none. */
export function ColumnMappingEditor({
  headers,
  fields,
  unused,
  busy,
  onApply,
}: {
  headers: readonly string[];
  fields: readonly FieldRow[];
  unused?: readonly { column: number; header: string }[] | undefined;
  busy?: boolean;
  onApply: (mapping: ColumnChoice) => void;
}) {
  const { t, tk } = useI18n();
  const initial = useMemo(() => Object.fromEntries(fields.map((f) => [f.key, f.column])), [fields]);
  const [choice, setChoice] = useState<ColumnChoice>(initial);
  useEffect(() => setChoice(initial), [initial]);
  const changed = fields.some((f) => (choice[f.key] ?? null) !== f.column);
  const missing = fields.filter((f) => f.required && (choice[f.key] ?? null) === null);
  const options = [
    { value: -1, label: t('imports.mapNoColumn') },
    ...headers.map((h, i) => ({ value: i, label: `${columnLetter(i)}「${h || '—'}」` })),
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="import-column-editor">
      <Table<FieldRow>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={[...fields]}
        columns={[
          {
            title: t('imports.field'),
            key: 'field',
            width: 200,
            render: (_v, f) => (
              <span>
                {tk('importField', f.key) !== f.key ? tk('importField', f.key) : f.label}
                {f.required ? (
                  <Tag color="red" style={{ marginInlineStart: 6 }}>
                    {t('imports.required')}
                  </Tag>
                ) : null}
              </span>
            ),
          },
          {
            title: t('imports.column'),
            key: 'col',
            render: (_v, f) => (
              <Select<number>
                size="small"
                style={{ width: '100%', maxWidth: 360 }}
                value={choice[f.key] ?? -1}
                options={options}
                onChange={(v) => setChoice((c) => ({ ...c, [f.key]: v < 0 ? null : v }))}
                data-testid={`import-map-field-${f.key}`}
              />
            ),
          },
        ]}
      />
      {unused?.length ? (
        <Typography.Text type="secondary" data-testid="import-unused-columns">
          {t('imports.unmapped')}：
          {unused.map((u) => `${columnLetter(u.column)}「${u.header || '—'}」`).join('、')}
        </Typography.Text>
      ) : null}
      {missing.length ? (
        <Alert
          type="warning"
          showIcon
          title={t('imports.mapMissing', {
            fields: missing
              .map((f) => (tk('importField', f.key) !== f.key ? tk('importField', f.key) : f.label))
              .join('、'),
          })}
        />
      ) : null}
      <Button
        type="primary"
        disabled={!changed || missing.length > 0}
        loading={busy === true}
        onClick={() => onApply(choice)}
        data-testid="import-map-apply"
      >
        {t('imports.mapApply')}
      </Button>
    </Space>
  );
}

type Choice = number[] | 'skip' | undefined;

/** The department names of the file the directory does not know: one row each, a select per name. */
export function DepartmentMappingEditor({
  names,
  departments,
  value,
  onChange,
  busy,
  onApply,
}: {
  names: DepartmentNamesView;
  departments: Department[];
  value: DepartmentMap;
  onChange: (m: DepartmentMap) => void;
  busy?: boolean;
  onApply: () => void;
}) {
  const { t } = useI18n();
  // the names still unresolved, and the ones the user mapped already (so the choice can be changed)
  const rows = useMemo(() => {
    const out = names.unresolved.map((u) => ({
      name: u.name,
      rows: u.rows,
      sampleRows: u.sampleRows,
      multiple: u.multiple,
      candidates: u.candidates,
    }));
    for (const m of names.mapped)
      if (!out.some((o) => o.name === m.name))
        out.push({ name: m.name, rows: m.rows, sampleRows: [], multiple: true, candidates: [] });
    return out;
  }, [names]);
  if (rows.length === 0) return null;
  const active = departments.filter((d) => d.active !== false);
  const set = (name: string, v: Choice) => {
    const next: Record<string, number[] | 'skip'> = { ...value };
    if (v === undefined || (Array.isArray(v) && v.length === 0)) delete next[name];
    else next[name] = v;
    onChange(next);
  };
  const pending = names.unresolved.filter((u) => value[u.name] === undefined);
  return (
    <Card
      size="small"
      title={t('imports.deptMapTitle')}
      data-testid="import-department-map"
      extra={
        <Link to="/departments" target="_blank" data-testid="import-dept-create">
          {t('imports.deptCreate')}
        </Link>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('imports.deptMapHint')}</Typography.Text>
        <Table
          size="small"
          rowKey="name"
          pagination={false}
          dataSource={rows}
          data-testid="import-department-map-table"
          columns={[
            {
              title: t('imports.deptNameInFile'),
              dataIndex: 'name',
              width: 240,
              render: (v: string) => <span data-testid="import-dept-name">{v}</span>,
            },
            {
              title: t('imports.deptRows'),
              dataIndex: 'rows',
              width: 120,
              render: (n: number, r) => (
                <span
                  title={
                    r.sampleRows.length ? t('imports.deptSampleRows', { rows: r.sampleRows.join('、') }) : ''
                  }
                >
                  {n}
                </span>
              ),
            },
            {
              title: t('imports.deptMapTo'),
              key: 'to',
              render: (_v, r) => {
                const cur = value[r.name];
                const selected: (number | 'skip')[] = cur === 'skip' ? ['skip'] : (cur ?? []);
                return (
                  <Select<(number | 'skip')[]>
                    mode="multiple"
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    style={{ width: '100%', minWidth: 280 }}
                    placeholder={t('imports.deptChoose')}
                    value={selected}
                    {...(r.multiple ? {} : { maxCount: 1 })}
                    data-testid={`import-dept-select-${r.name}`}
                    onChange={(v) => {
                      // "skip" excludes departments and the other way round (the last choice wins)
                      const last = v[v.length - 1];
                      if (last === 'skip') set(r.name, 'skip');
                      else
                        set(
                          r.name,
                          v.filter((x): x is number => x !== 'skip'),
                        );
                    }}
                    options={[
                      { value: 'skip', label: t('imports.deptSkip') },
                      ...(r.candidates.length
                        ? r.candidates.map((c) => ({ value: c.id, label: c.name }))
                        : []),
                      ...active
                        .filter((d) => !r.candidates.some((c) => c.id === d.id))
                        .map((d) => ({ value: d.id, label: d.name })),
                    ]}
                  />
                );
              },
            },
          ]}
        />
        <Space wrap>
          <Button loading={busy === true} onClick={onApply} data-testid="import-dept-apply">
            {t('imports.deptApply')}
          </Button>
          {pending.length ? (
            <Typography.Text type="warning" data-testid="import-dept-pending">
              {t('imports.deptPending', { n: pending.length })}
            </Typography.Text>
          ) : null}
        </Space>
      </Space>
    </Card>
  );
}

/** The detail's columns view as editor input. */
export function columnFields(c: ImportColumns | undefined): FieldRow[] {
  return (c?.fields ?? []).map((f) => ({
    key: f.key,
    label: f.label,
    required: f.required,
    column: f.column,
  }));
}
