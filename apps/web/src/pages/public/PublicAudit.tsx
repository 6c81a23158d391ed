/**
 * The published anchors of the audit log (审计锚点): its head (seq and hash) at every draw
 * commitment, at start and daily, kept forever. Anyone may copy SEQ:HASH and later have it checked
 * with `choucha audit verify --anchor SEQ:HASH`.
 */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Table, Typography } from 'antd';
import type { AuditCheckpoint, AuditCheckpointList } from '@choucha/api';
import { useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDateTime } from '../../components/common.tsx';
import { PublicLayout } from './PublicLayout.tsx';

const mono = { fontFamily: 'ui-monospace, Menlo, monospace', fontSize: 12 } as const;

export default function PublicAudit() {
  const { t, tk } = useI18n();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, loading } = useFetch<AuditCheckpointList>('/api/public/audit/checkpoints', {
    page,
    pageSize,
  });
  const first = data?.items[0];
  const example = first ? `${first.seq}:${first.hash.slice(0, 8)}…` : '1234:9f86d081…';
  return (
    <PublicLayout>
      <Card title={<span data-testid="public-audit-title">{t('publicAudit.title')}</span>}>
        <Typography.Paragraph>{t('publicAudit.explain')}</Typography.Paragraph>
        <Typography.Title level={5}>{t('publicAudit.howTitle')}</Typography.Title>
        <ol style={{ paddingLeft: 20, marginBottom: 24 }} data-testid="public-audit-how">
          <li>{t('publicAudit.how1', { example })}</li>
          <li>
            {t('publicAudit.how2')}
            <br />
            <Typography.Text code copyable>
              {`choucha audit verify --anchor ${first ? `${first.seq}:${first.hash}` : 'SEQ:HASH'}`}
            </Typography.Text>
          </li>
          <li>{t('publicAudit.how3')}</li>
        </ol>
        <Table<AuditCheckpoint>
          rowKey={(c) => `${c.seq}-${c.createdAt}-${c.reason}`}
          size="middle"
          loading={loading}
          dataSource={data?.items ?? []}
          data-testid="public-audit-checkpoints"
          scroll={{ x: 900 }}
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
            { title: t('publicAudit.seq'), dataIndex: 'seq', width: 90 },
            {
              title: t('publicAudit.anchor'),
              key: 'anchor',
              render: (_v, c) => (
                <Typography.Text
                  style={mono}
                  copyable={{ text: `${c.seq}:${c.hash}` }}
                  title={c.hash}
                  data-testid="public-audit-anchor"
                >
                  {`${c.seq}:${c.hash.slice(0, 24)}…`}
                </Typography.Text>
              ),
            },
            {
              title: t('publicAudit.time'),
              dataIndex: 'createdAt',
              width: 180,
              render: (v: string) => fmtDateTime(v),
            },
            {
              title: t('publicAudit.reason'),
              key: 'reason',
              width: 200,
              render: (_v, c) => (
                <>
                  {tk('publicAudit.reason', c.reason)}
                  {c.reason === 'draw_commitment' && c.reference ? (
                    <>
                      {' · '}
                      <Link to={`/public/draws/${c.reference}`}>
                        {t('publicAudit.viewDraw', { id: c.reference })}
                      </Link>
                    </>
                  ) : null}
                </>
              ),
            },
          ]}
        />
      </Card>
    </PublicLayout>
  );
}
