/**
 * Import wizard: choose the kind, upload a file (dry run), read the report (counts, column mapping,
 * row verdicts), commit. A workbook with several sheets asks which one to read and uploads again;
 * a file without a recognisable header shows its first rows.
 */
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Input,
  Radio,
  Result,
  Space,
  Steps,
  Table,
  Typography,
  Upload,
} from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { api, ApiError, errorDetail } from '../../api/client.ts';
import { useDepartments } from '../../api/hooks.ts';
import type { ImportDetailFull } from '../../api/types.ts';
import type { DepartmentMap } from '@choucha/api';
import { useI18n } from '../../i18n/index.tsx';
import { useMe } from '../../auth/AuthContext.tsx';
import { PageFrame } from '../../components/common.tsx';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';
import {
  columnLetter,
  ImportCountsView,
  ImportMappingView,
  ImportReportLink,
  ImportRowsTable,
} from './ImportReport.tsx';
import {
  ColumnMappingEditor,
  columnFields,
  DepartmentMappingEditor,
  type ColumnChoice,
} from './ImportMapping.tsx';

const KINDS = ['entities', 'inspectors', 'items', 'joint_items'] as const;
type Kind = (typeof KINDS)[number];

interface UploadFailure {
  code: string;
  message: string;
  detail?: string | undefined;
  sheets?: string[];
  preview?: { rowNumber: number; cells: string[] }[];
  expected?: string[];
  /** IMPORT_MAPPING_INVALID: the file's headers and the kind's fields, for the column mapping editor */
  headers?: string[];
  fields?: { key: string; label: string; required: boolean; column: number | null }[];
}

function failureOf(e: ApiError): UploadFailure {
  const d = e.details ?? {};
  const f: UploadFailure = { code: e.code, message: e.message, detail: errorDetail(e) };
  if (Array.isArray(d['sheets'])) f.sheets = (d['sheets'] as unknown[]).map(String);
  if (Array.isArray(d['preview']))
    f.preview = (d['preview'] as { rowNumber: number; cells: unknown[] }[]).map((r) => ({
      rowNumber: Number(r.rowNumber),
      cells: (r.cells ?? []).map((c) => String(c ?? '')),
    }));
  if (Array.isArray(d['expected'])) f.expected = (d['expected'] as unknown[]).map(String);
  if (Array.isArray(d['headers']) && Array.isArray(d['fields'])) {
    f.headers = (d['headers'] as unknown[]).map((h) => String(h ?? ''));
    const detected = ((d['mapping'] as { fields?: Record<string, { column: number }> } | undefined)?.fields ??
      {}) as Record<string, { column: number } | undefined>;
    f.fields = (d['fields'] as { key: string; label: string; required: boolean }[]).map((x) => ({
      key: String(x.key),
      label: String(x.label),
      required: x.required === true,
      column: detected[String(x.key)]?.column ?? null,
    }));
  }
  return f;
}

/** The first rows of a file whose header was not recognised. */
function HeaderPreview({ rows }: { rows: NonNullable<UploadFailure['preview']> }) {
  const { t } = useI18n();
  const width = Math.min(30, Math.max(1, ...rows.map((r) => r.cells.length)));
  return (
    <Table
      size="small"
      rowKey="rowNumber"
      pagination={false}
      scroll={{ x: true }}
      dataSource={rows}
      data-testid="import-no-header-preview"
      columns={[
        { title: t('imports.rowNumber'), dataIndex: 'rowNumber', width: 70, fixed: 'left' as const },
        ...Array.from({ length: width }, (_, i) => ({
          title: columnLetter(i),
          key: String(i),
          render: (_v: unknown, r: { cells: string[] }) => r.cells[i] ?? '',
        })),
      ]}
    />
  );
}

export default function ImportNew() {
  const { t, tk } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const { departments } = useDepartments();
  const [params] = useSearchParams();
  const initialKind = (KINDS as readonly string[]).includes(params.get('kind') ?? '')
    ? (params.get('kind') as Kind)
    : 'entities';
  const [kind, setKind] = useState<Kind>(initialKind);
  const [departmentId, setDepartmentId] = useState<number | undefined>(undefined);
  const [edition, setEdition] = useState('');
  const [uploading, setUploading] = useState(false);
  const [committing, setCommitting] = useState(false);
  const [detail, setDetail] = useState<ImportDetailFull | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [failure, setFailure] = useState<UploadFailure | null>(null);
  const [rerunning, setRerunning] = useState(false);
  const [deptMap, setDeptMap] = useState<DepartmentMap>({});
  // the department mapping starts from the one the dry run used
  useEffect(() => {
    setDeptMap((detail?.departmentMap ?? {}) as DepartmentMap);
  }, [detail?.id, detail?.departmentMap]);

  const committed = !!detail?.committedAt || detail?.status === 'committed';
  const step = !detail ? (uploading ? 1 : 0) : committed ? 3 : 2;
  const isItems = kind === 'items' || kind === 'joint_items';

  const upload = async (f: File, sheet?: string, mapping?: ColumnChoice) => {
    setFile(f);
    setUploading(true);
    setFailure(null);
    try {
      const form = new FormData();
      form.append('file', f, f.name);
      const d = await api.upload<ImportDetailFull>('/api/imports', form, {
        silent: true,
        query: {
          kind,
          sheet,
          departmentId: me.role === 'joint_admin' ? departmentId : undefined,
          edition: isItems && edition.trim() ? edition.trim() : undefined,
          mapping: mapping ? JSON.stringify(mapping) : undefined,
        },
      });
      setDetail(d);
    } catch (e) {
      if (e instanceof ApiError) setFailure(failureOf(e));
    } finally {
      setUploading(false);
    }
  };

  /** the dry run again on the stored file, with a column mapping and/or the department mapping */
  const rerun = async (body: { mapping?: ColumnChoice; departmentMap?: DepartmentMap }) => {
    if (!detail) return;
    setRerunning(true);
    try {
      setDetail(await api.post<ImportDetailFull>(`/api/imports/${detail.id}/dry-run`, body));
    } catch {
      // reported by the client
    } finally {
      setRerunning(false);
    }
  };

  const commit = async () => {
    if (!detail) return;
    setCommitting(true);
    try {
      const d = await api.post<ImportDetailFull>(
        `/api/imports/${detail.id}/commit`,
        Object.keys(deptMap).length ? { departmentMap: deptMap } : undefined,
      );
      setDetail(d);
      message.success(t('imports.committedOk'));
    } catch {
      // reported by the client
    } finally {
      setCommitting(false);
    }
  };

  const restart = () => {
    setDetail(null);
    setFailure(null);
  };

  const acceptable = detail ? detail.counts.accepted + detail.counts.warned : 0;
  const mappedChosen = Object.keys(deptMap).length > 0;
  const names = detail?.departmentNames ?? null;
  const gotoAfter = kind === 'entities' ? '/entities' : kind === 'inspectors' ? '/inspectors' : '/items';

  return (
    <PageFrame
      title={t('imports.newTitle')}
      subtitle={t('imports.newSubtitle')}
      extra={
        <Link to="/imports">
          <Button>{t('imports.history')}</Button>
        </Link>
      }
    >
      <Card style={{ marginBottom: 16 }}>
        <Steps
          current={step}
          items={[
            { title: t('imports.stepKind') },
            { title: t('imports.stepUpload') },
            { title: t('imports.stepReview') },
            { title: t('imports.stepCommit') },
          ]}
        />
      </Card>
      {!detail ? (
        <Card>
          <Space orientation="vertical" size="large" style={{ width: '100%' }}>
            <div>
              <Typography.Title level={5}>{t('imports.chooseKind')}</Typography.Title>
              <Radio.Group
                value={kind}
                onChange={(e) => {
                  setKind(e.target.value as Kind);
                  setFailure(null);
                }}
                optionType="button"
                buttonStyle="solid"
                data-testid="import-kind"
                options={KINDS.map((k) => ({
                  value: k,
                  label: <span data-testid={`import-kind-${k}`}>{tk('importKind', k)}</span>,
                }))}
              />
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                {tk('importKindHint', kind)}
              </Typography.Paragraph>
              <Space wrap>
                {me.role === 'joint_admin' && kind !== 'joint_items' ? (
                  <DepartmentSelect
                    departments={departments}
                    value={departmentId}
                    onChange={(v) => setDepartmentId(typeof v === 'number' ? v : undefined)}
                    placeholder={t('imports.departmentDefault')}
                    width={300}
                    testId="import-department"
                  />
                ) : null}
                {isItems ? (
                  <Input
                    allowClear
                    value={edition}
                    onChange={(e) => setEdition(e.target.value)}
                    placeholder={t('imports.editionName')}
                    style={{ width: 240 }}
                    data-testid="import-edition"
                  />
                ) : null}
              </Space>
            </div>
            <Upload.Dragger
              accept=".csv,.xlsx,.xls"
              multiple={false}
              showUploadList={false}
              disabled={uploading}
              data-testid="import-file-input"
              beforeUpload={(f) => {
                void upload(f);
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{uploading ? t('imports.uploading') : t('imports.dropHere')}</p>
              <p className="ant-upload-hint">{t('imports.fileHint')}</p>
            </Upload.Dragger>
            {failure ? (
              <Alert
                type={failure.code === 'IMPORT_SHEET_CHOICE' ? 'warning' : 'error'}
                showIcon
                data-testid="import-error"
                data-code={failure.code}
                title={
                  failure.code === 'IMPORT_SHEET_CHOICE'
                    ? t('imports.sheetChoice', { file: file?.name ?? '' })
                    : failure.message
                }
                description={
                  <Space orientation="vertical" style={{ width: '100%' }}>
                    {failure.detail && failure.code !== 'IMPORT_SHEET_CHOICE' ? (
                      <span>{failure.detail}</span>
                    ) : null}
                    {tk('importErrorHint', failure.code) !== failure.code ? (
                      <Typography.Text type="secondary">
                        {tk('importErrorHint', failure.code)}
                      </Typography.Text>
                    ) : null}
                    {failure.sheets && file ? (
                      <Space wrap data-testid="import-sheet-choice">
                        {failure.sheets.map((s, i) => (
                          <Button
                            key={s}
                            loading={uploading}
                            onClick={() => void upload(file, s)}
                            data-testid={`import-sheet-${i}`}
                            data-sheet={s}
                          >
                            {s}
                          </Button>
                        ))}
                      </Space>
                    ) : null}
                    {failure.expected ? (
                      <Typography.Text>
                        {t('imports.expectedColumns')}：{failure.expected.join('、')}
                      </Typography.Text>
                    ) : null}
                    {failure.preview?.length ? <HeaderPreview rows={failure.preview} /> : null}
                    {failure.code === 'IMPORT_MAPPING_INVALID' &&
                    failure.headers &&
                    failure.fields &&
                    file ? (
                      <ColumnMappingEditor
                        headers={failure.headers}
                        fields={failure.fields}
                        busy={uploading}
                        onApply={(m) => void upload(file, undefined, m)}
                      />
                    ) : null}
                  </Space>
                }
              />
            ) : null}
          </Space>
        </Card>
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {committed ? (
            <Card>
              <Result
                status="success"
                title={t('imports.committedOk')}
                subTitle={t('imports.committedSummary', {
                  created: detail.counts.created ?? 0,
                  updated: detail.counts.updated ?? 0,
                })}
                extra={[
                  <Link key="e" to={gotoAfter}>
                    <Button type="primary" data-testid="import-goto-entities">
                      {t(
                        kind === 'entities'
                          ? 'nav.entities'
                          : kind === 'inspectors'
                            ? 'nav.inspectors'
                            : 'nav.items',
                      )}
                    </Button>
                  </Link>,
                  <ImportReportLink key="r" id={detail.id} />,
                  <Button key="again" onClick={restart} data-testid="import-again">
                    {t('imports.again')}
                  </Button>,
                ]}
                data-testid="import-done"
              />
            </Card>
          ) : (
            <Alert
              type={detail.counts.rejected > 0 ? 'warning' : 'info'}
              showIcon
              title={t('imports.dryRunNotice', { file: detail.fileName })}
              description={t('imports.dryRunExplain')}
              action={
                <Space>
                  <ImportReportLink id={detail.id} />
                  <Button onClick={restart} data-testid="import-reupload">
                    {t('imports.reupload')}
                  </Button>
                  <Button
                    type="primary"
                    loading={committing}
                    disabled={acceptable === 0 && !mappedChosen}
                    onClick={() => void commit()}
                    data-testid="import-commit"
                  >
                    {mappedChosen && JSON.stringify(deptMap) !== JSON.stringify(detail.departmentMap ?? {})
                      ? t('imports.commitMapped')
                      : t('imports.commit', { n: acceptable })}
                  </Button>
                </Space>
              }
            />
          )}
          <ImportCountsView detail={detail} />
          {!committed && names && (names.unresolved.length > 0 || names.mapped.length > 0) ? (
            <DepartmentMappingEditor
              names={names}
              departments={departments}
              value={deptMap}
              onChange={setDeptMap}
              busy={rerunning}
              onApply={() => void rerun({ departmentMap: deptMap })}
            />
          ) : null}
          <ImportMappingView
            detail={detail}
            editor={
              !committed && detail.columns ? (
                <ColumnMappingEditor
                  headers={detail.columns.headers}
                  fields={columnFields(detail.columns)}
                  unused={detail.columns.unused}
                  busy={rerunning}
                  onApply={(m) => void rerun({ mapping: m, departmentMap: deptMap })}
                />
              ) : undefined
            }
          />
          <Card title={t('imports.rowVerdicts')}>
            <ImportRowsTable rows={detail.rows} note={detail.reportNote} />
          </Card>
        </Space>
      )}
    </PageFrame>
  );
}
