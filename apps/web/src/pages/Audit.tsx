/** Append-only, hash-chained audit log: filter, page, and verify the chain. */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Table, Typography } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import type { AuditEvent } from '@choucha/api';
import { api, useFetch } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { fmtDateTime, PageFrame } from '../components/common.tsx';

interface Filters {
  action?: string;
  subjectType?: string;
  actor?: string;
}
interface Verify {
  ok: boolean;
  checked: number;
  firstBad: { seq: number; problem: string } | null;
}

function Json({ v }: { v: unknown }) {
  if (v === null || v === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
      {JSON.stringify(v, null, 2)}
    </pre>
  );
}

export default function Audit() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, loading } = useFetch<{ items: AuditEvent[]; total: number }>('/api/audit', {
    ...filters,
    page,
    pageSize,
  });
  const [verify, setVerify] = useState<Verify | null>(null);
  const [verifying, setVerifying] = useState(false);

  const runVerify = async () => {
    setVerifying(true);
    try {
      setVerify(await api.get<Verify>('/api/audit/verify'));
    } catch {
      // reported
    } finally {
      setVerifying(false);
    }
  };

  return (
    <PageFrame
      title={t('audit.title')}
      subtitle={t('audit.subtitle')}
      extra={
        <Button
          icon={<SafetyOutlined />}
          loading={verifying}
          onClick={() => void runVerify()}
          data-testid="audit-verify"
        >
          {t('audit.verify')}
        </Button>
      }
    >
      {verify ? (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          closable={{ onClose: () => setVerify(null) }}
          type={verify.ok ? 'success' : 'error'}
          data-testid="audit-verify-result"
          data-ok={verify.ok}
          title={
            verify.ok
              ? t('audit.verifyOk', { n: verify.checked })
              : t('audit.verifyBad', { n: verify.checked })
          }
          description={
            verify.firstBad
              ? t('audit.firstBad', { seq: verify.firstBad.seq, problem: verify.firstBad.problem })
              : undefined
          }
        />
      ) : null}
      <Card style={{ marginBottom: 16 }}>
        <Form<Filters>
          layout="inline"
          onFinish={(v) => {
            const f: Filters = {};
            if (v.action?.trim()) f.action = v.action.trim();
            if (v.subjectType?.trim()) f.subjectType = v.subjectType.trim();
            if (v.actor?.trim()) f.actor = v.actor.trim();
            setFilters(f);
            setPage(1);
          }}
          style={{ rowGap: 12 }}
        >
          <Form.Item name="action">
            <Input allowClear placeholder={t('audit.action')} data-testid="audit-filter-action" />
          </Form.Item>
          <Form.Item name="subjectType">
            <Input allowClear placeholder={t('audit.subjectType')} data-testid="audit-filter-subject" />
          </Form.Item>
          <Form.Item name="actor">
            <Input allowClear placeholder={t('audit.actor')} data-testid="audit-filter-actor" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" data-testid="audit-search">
              {t('common.search')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <Card>
        <Table<AuditEvent>
          rowKey="seq"
          size="small"
          loading={loading}
          dataSource={data?.items ?? []}
          data-testid="audit-table"
          expandable={{
            expandedRowRender: (r) => (
              <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 16 }}>
                <div>
                  <Typography.Text strong>{t('audit.before')}</Typography.Text>
                  <Json v={r.before} />
                </div>
                <div>
                  <Typography.Text strong>{t('audit.after')}</Typography.Text>
                  <Json v={r.after} />
                </div>
              </div>
            ),
          }}
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
            { title: '#', dataIndex: 'seq', width: 80 },
            { title: t('audit.at'), dataIndex: 'at', width: 180, render: (v: string) => fmtDateTime(v) },
            { title: t('audit.actor'), dataIndex: 'actorName', width: 140 },
            {
              title: t('audit.action'),
              dataIndex: 'action',
              width: 200,
              render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
            },
            {
              title: t('audit.subject'),
              key: 'subject',
              render: (_v, r) => `${r.subjectType}${r.subjectId ? ` #${r.subjectId}` : ''}`,
            },
            {
              title: t('audit.hash'),
              dataIndex: 'hash',
              width: 160,
              render: (v: string) => (
                <Typography.Text
                  style={{ fontFamily: 'ui-monospace, Menlo, monospace', fontSize: 12 }}
                  title={v}
                >
                  {v.slice(0, 16)}…
                </Typography.Text>
              ),
            },
          ]}
        />
      </Card>
    </PageFrame>
  );
}
