/** Import wizard: choose the kind, upload a file (dry run), read the report, commit. */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Radio, Result, Space, Steps, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import type { ImportDetail } from '@choucha/api';
import { api, ApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { PageFrame } from '../../components/common.tsx';
import { ImportCountsView, ImportRowsTable } from './ImportReport.tsx';

const KINDS = ['entities', 'inspectors', 'items', 'joint_items'] as const;
type Kind = (typeof KINDS)[number];

export default function ImportNew() {
  const { t, tk } = useI18n();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const initialKind = (KINDS as readonly string[]).includes(params.get('kind') ?? '')
    ? (params.get('kind') as Kind)
    : 'entities';
  const [kind, setKind] = useState<Kind>(initialKind);
  const [uploading, setUploading] = useState(false);
  const [committing, setCommitting] = useState(false);
  const [detail, setDetail] = useState<ImportDetail | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);

  const committed = !!detail?.committedAt || detail?.status === 'committed';
  const step = !detail ? (uploading ? 1 : 0) : committed ? 3 : 2;

  const upload = async (file: File) => {
    setUploading(true);
    setUploadError(null);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const d = await api.upload<ImportDetail>(`/api/imports?kind=${kind}`, form);
      setDetail(d);
    } catch (e) {
      if (e instanceof ApiError) setUploadError(e.message);
    } finally {
      setUploading(false);
    }
  };

  const commit = async () => {
    if (!detail) return;
    setCommitting(true);
    try {
      const d = await api.post<ImportDetail>(`/api/imports/${detail.id}/commit`);
      setDetail(d);
      message.success(t('imports.committedOk'));
    } catch {
      // reported by the client
    } finally {
      setCommitting(false);
    }
  };

  const acceptable = detail ? detail.counts.accepted + detail.counts.warned + (detail.counts.merged ?? 0) : 0;

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
                onChange={(e) => setKind(e.target.value as Kind)}
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
            </div>
            <Upload.Dragger
              accept=".csv,.xlsx,.xls"
              multiple={false}
              showUploadList={false}
              disabled={uploading}
              data-testid="import-file-input"
              beforeUpload={(file) => {
                void upload(file);
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{uploading ? t('imports.uploading') : t('imports.dropHere')}</p>
              <p className="ant-upload-hint">{t('imports.fileHint')}</p>
            </Upload.Dragger>
            {uploadError ? (
              <Alert type="error" showIcon title={uploadError} data-testid="import-error" />
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
                  <Link key="e" to="/entities">
                    <Button type="primary" data-testid="import-goto-entities">
                      {t('nav.entities')}
                    </Button>
                  </Link>,
                  <Button key="again" onClick={() => setDetail(null)} data-testid="import-again">
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
                  <Button onClick={() => setDetail(null)}>{t('imports.reupload')}</Button>
                  <Button
                    type="primary"
                    loading={committing}
                    disabled={acceptable === 0}
                    onClick={() => void commit()}
                    data-testid="import-commit"
                  >
                    {t('imports.commit', { n: acceptable })}
                  </Button>
                </Space>
              }
            />
          )}
          <ImportCountsView detail={detail} />
          <Card title={t('imports.rowVerdicts')}>
            <ImportRowsTable rows={detail.rows} />
          </Card>
        </Space>
      )}
    </PageFrame>
  );
}
