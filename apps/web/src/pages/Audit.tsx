/** Append-only, hash-chained audit log: filter, page, and verify the chain (with anchors). */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Select, Space, Table, Typography } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import type { AuditAnchorResult, AuditEvent, AuditProblem, AuditVerify } from '@choucha/api';
import { api, useFetch } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { AUDIT_ACTIONS, AUDIT_SUBJECTS, auditActionLabel, auditSubjectLabel } from '../i18n/audit-actions.ts';
import { fmtDateTime, PageFrame } from '../components/common.tsx';

interface Filters {
  action?: string;
  subjectType?: string;
  actor?: string;
}

const ANCHOR = /^[1-9][0-9]{0,14}:[0-9a-fA-F]{64}$/;
const mono = { fontFamily: 'ui-monospace, Menlo, monospace', fontSize: 12 } as const;

/** The verification's problems and failed anchors, each with its code and text in the UI language. */
function VerifyResult({ verify, onClose }: { verify: AuditVerify; onClose: () => void }) {
  const { t, tk, lang } = useI18n();
  const anchors: AuditAnchorResult[] = [...verify.anchors, ...verify.checkpoints.failed];
  return (
    <Alert
      style={{ marginBottom: 16 }}
      showIcon
      closable={{ onClose }}
      type={verify.ok ? 'success' : 'error'}
      data-testid="audit-verify-result"
      data-ok={verify.ok}
      title={
        verify.ok ? t('audit.verifyOk', { n: verify.checked }) : t('audit.verifyBad', { n: verify.checked })
      }
      description={
        <Space orientation="vertical" style={{ width: '100%' }}>
          {verify.head ? (
            <span>
              {t('audit.head')}：
              <Typography.Text copyable style={mono} data-testid="audit-head">
                {`${verify.head.seq}:${verify.head.hash}`}
              </Typography.Text>
            </span>
          ) : null}
          <span data-testid="audit-checkpoints">
            {t('audit.checkpoints', {
              n: verify.checkpoints.checked,
              failed: verify.checkpoints.failed.length,
            })}{' '}
            · <Link to="/public/audit">{t('audit.publicAnchors')}</Link>
          </span>
          {anchors.length > 0 ? (
            <Table<AuditAnchorResult>
              size="small"
              pagination={false}
              rowKey={(a) => `${a.source}-${a.seq}-${a.hash}-${a.createdAt ?? ''}`}
              dataSource={anchors}
              data-testid="audit-anchors"
              columns={[
                {
                  title: t('audit.anchor'),
                  key: 'source',
                  width: 120,
                  render: (_v, a) => tk('audit.anchorSource', a.source),
                },
                {
                  title: t('audit.anchorValue'),
                  key: 'anchor',
                  render: (_v, a) => <span style={mono}>{`${a.seq}:${a.hash.slice(0, 16)}…`}</span>,
                },
                {
                  title: t('audit.reason'),
                  dataIndex: 'status',
                  render: (v: string) => <span data-status={v}>{tk('audit.anchorStatus', v)}</span>,
                },
              ]}
            />
          ) : null}
          {verify.problems.length > 0 ? (
            <>
              <Typography.Text strong>{t('audit.problems', { n: verify.problemCount })}</Typography.Text>
              <Table<AuditProblem>
                size="small"
                rowKey={(p) => `${p.code}-${p.seq}-${p.lastSeq ?? ''}`}
                dataSource={verify.problems}
                data-testid="audit-problems"
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                columns={[
                  {
                    title: t('audit.seq'),
                    key: 'seq',
                    width: 110,
                    render: (_v, p) =>
                      p.lastSeq !== null && p.lastSeq !== p.seq ? `#${p.seq}–${p.lastSeq}` : `#${p.seq}`,
                  },
                  {
                    title: t('audit.code'),
                    dataIndex: 'code',
                    width: 230,
                    render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
                  },
                  { title: t('audit.reason'), key: 'text', render: (_v, p) => (lang === 'zh' ? p.zh : p.en) },
                ]}
              />
              {verify.problemCount > verify.problems.length ? (
                <Typography.Text type="secondary">
                  {t('audit.problemsMore', { shown: verify.problems.length })}
                </Typography.Text>
              ) : null}
            </>
          ) : null}
        </Space>
      }
    />
  );
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
  const { t, lang } = useI18n();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, loading } = useFetch<{ items: AuditEvent[]; total: number }>('/api/audit', {
    ...filters,
    page,
    pageSize,
  });
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [anchorText, setAnchorText] = useState('');
  const anchors = anchorText.split(/[\s,，]+/).filter(Boolean);
  const anchorsBad = anchors.some((a) => !ANCHOR.test(a));

  const runVerify = async () => {
    if (anchorsBad) return;
    setVerifying(true);
    try {
      setVerify(await api.get<AuditVerify>('/api/audit/verify', { query: { anchor: anchors } }));
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
        <Space wrap>
          <Input
            allowClear
            style={{ width: 360 }}
            value={anchorText}
            status={anchorsBad ? 'error' : ''}
            title={anchorsBad ? t('audit.anchorInvalid') : undefined}
            placeholder={t('audit.anchorInput')}
            onChange={(e) => setAnchorText(e.target.value)}
            onPressEnter={() => void runVerify()}
            data-testid="audit-anchor-input"
          />
          <Button
            icon={<SafetyOutlined />}
            loading={verifying}
            disabled={anchorsBad}
            onClick={() => void runVerify()}
            data-testid="audit-verify"
          >
            {t('audit.verify')}
          </Button>
        </Space>
      }
    >
      {anchorsBad ? (
        <Alert style={{ marginBottom: 16 }} type="warning" showIcon title={t('audit.anchorInvalid')} />
      ) : null}
      {verify ? <VerifyResult verify={verify} onClose={() => setVerify(null)} /> : null}
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
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('audit.action')}
              style={{ width: 220 }}
              data-testid="audit-filter-action"
              options={Object.keys(AUDIT_ACTIONS).map((k) => ({
                value: k,
                label: `${auditActionLabel(k, lang)} ${k}`,
              }))}
            />
          </Form.Item>
          <Form.Item name="subjectType">
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('audit.subjectType')}
              style={{ width: 160 }}
              data-testid="audit-filter-subject"
              options={Object.keys(AUDIT_SUBJECTS).map((k) => ({
                value: k,
                label: `${auditSubjectLabel(k, lang)} ${k}`,
              }))}
            />
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
            {
              title: t('audit.actor'),
              dataIndex: 'actorName',
              width: 140,
              // the services' own actors (SYSTEM, an anonymous caller) by their Chinese names
              render: (v: string) =>
                v === 'system' ? t('audit.actorSystem') : v === 'anonymous' ? t('audit.actorAnonymous') : v,
            },
            {
              title: t('audit.action'),
              dataIndex: 'action',
              width: 220,
              render: (v: string) => (
                <span title={v} data-action={v}>
                  {auditActionLabel(v, lang)}{' '}
                  <Typography.Text type="secondary" style={{ ...mono, fontSize: 11 }}>
                    {v}
                  </Typography.Text>
                </span>
              ),
            },
            {
              title: t('audit.subject'),
              key: 'subject',
              render: (_v, r) => (
                <span title={r.subjectType}>
                  {`${auditSubjectLabel(r.subjectType, lang)}${r.subjectId ? ` #${r.subjectId}` : ''}`}
                </span>
              ),
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
