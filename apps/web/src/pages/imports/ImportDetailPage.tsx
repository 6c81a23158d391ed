import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { App, Button, Card, Descriptions, Space } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { ImportDetailFull as ImportDetail } from '../../api/types.ts';
import { api, useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDateTime, PageFrame, StatusTag } from '../../components/common.tsx';
import { PageSpinner } from '../../layout/AppLayout.tsx';
import { ImportCountsView, ImportMappingView, ImportReportLink, ImportRowsTable } from './ImportReport.tsx';

export default function ImportDetailPage() {
  const { id } = useParams();
  const { t, tk } = useI18n();
  const { message } = App.useApp();
  const { data, loading, setData } = useFetch<ImportDetail>(`/api/imports/${id ?? ''}`);
  const [busy, setBusy] = useState(false);
  if (loading && !data) return <PageSpinner />;
  if (!data) return null;
  const committed = !!data.committedAt;
  return (
    <PageFrame
      title={`${t('imports.detailTitle')} #${data.id}`}
      extra={
        <>
          <Link to="/imports">
            <Button icon={<ArrowLeftOutlined />}>{t('common.back')}</Button>
          </Link>
          <ImportReportLink id={data.id} />
          {!committed ? (
            <Button
              type="primary"
              loading={busy}
              data-testid="import-commit"
              onClick={() => {
                setBusy(true);
                api
                  .post<ImportDetail>(`/api/imports/${data.id}/commit`)
                  .then((d) => {
                    setData(d);
                    message.success(t('imports.committedOk'));
                  })
                  .catch(() => undefined)
                  .finally(() => setBusy(false));
              }}
            >
              {t('imports.commit', { n: data.counts.accepted + data.counts.warned })}
            </Button>
          ) : null}
        </>
      }
    >
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card>
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('imports.kind')}>{tk('importKind', data.kind)}</Descriptions.Item>
            <Descriptions.Item label={t('imports.file')}>{data.fileName}</Descriptions.Item>
            <Descriptions.Item label={t('common.status')}>
              <StatusTag status={data.status} prefix="importStatus" />
            </Descriptions.Item>
            <Descriptions.Item label={t('common.createdAt')}>{fmtDateTime(data.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('imports.committedAt')}>
              {fmtDateTime(data.committedAt)}
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <ImportCountsView detail={data} />
        <ImportMappingView detail={data} />
        <Card title={t('imports.rowVerdicts')}>
          <ImportRowsTable rows={data.rows} note={data.reportNote} />
        </Card>
      </Space>
    </PageFrame>
  );
}
