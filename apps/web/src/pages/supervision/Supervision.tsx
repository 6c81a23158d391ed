/**
 * 监督 (the supervisor, the joint office, a department admin for his department's draws): every
 * draw with its place in the chain of attempts; per draw the FULL bundle (draw-protocol-v2 §11:
 * each entity's stratum, the real inspector pool) to download, or to verify here in the browser
 * (`verifyBundleBytes` in a Web Worker): the verdict, the stage, the view, the BLS check, each
 * stratum (population → drawn) with its risk class, the number of targets and teams; on failure
 * the code, its text, the path and the two values.
 */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Card, Empty, Modal, Space, Spin, Table, Tag, Typography } from 'antd';
import { CloudDownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { DrawView, SupervisorDraw } from '@choucha/api';
import { api, useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDateTime, PageFrame } from '../../components/common.tsx';
import { OutcomeView, StageLabel } from '../../verify/OutcomeView.tsx';
import { verifyBytes, type VerifyRun } from '../../verify/run.ts';
import { useNarrow } from '../../layout/useNarrow.ts';

export const fullBundleUrl = (id: number) => `/api/draws/${id}/bundle/full`;

type Check =
  | { drawId: number; kind: 'running' }
  | { drawId: number; kind: 'done'; result: VerifyRun; classes: Record<string, string> | null }
  | { drawId: number; kind: 'error'; status: number | null };

export default function Supervision() {
  const { t } = useI18n();
  const { data, loading } = useFetch<{ items: SupervisorDraw[] }>('/api/supervisor/draws');
  const [check, setCheck] = useState<Check | null>(null);
  const narrow = useNarrow();
  const byId = new Map((data?.items ?? []).map((d) => [d.id, d]));
  const byHash = new Map((data?.items ?? []).map((d) => [d.commitmentHash, d]));

  const verify = async (d: SupervisorDraw) => {
    setCheck({ drawId: d.id, kind: 'running' });
    try {
      const res = await fetch(fullBundleUrl(d.id), {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
      if (!res.ok) {
        setCheck({ drawId: d.id, kind: 'error', status: res.status });
        return;
      }
      const bytes = new Uint8Array(await res.arrayBuffer());
      // the label → risk-class map of the draw (staff view), beside the bundle's strata
      const view = await api.get<DrawView>(`/api/draws/${d.id}`, { silent: true }).catch(() => null);
      const result = await verifyBytes(bytes);
      setCheck({ drawId: d.id, kind: 'done', result, classes: view?.stratumClasses ?? null });
    } catch {
      setCheck({ drawId: d.id, kind: 'error', status: null });
    }
  };

  const checked = check ? byId.get(check.drawId) : undefined;

  const attemptOf = (r: SupervisorDraw) => {
    const prev = r.predecessor ? byHash.get(r.predecessor) : undefined;
    return (
      <Space orientation="vertical" size={0}>
        <span>{t('verifyOut.attemptN', { n: r.attempt })}</span>
        {r.predecessor ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('supervision.predecessor')}：
            {prev ? (
              <Link to={`/draws/${prev.id}`}>#{prev.id}</Link>
            ) : (
              <Typography.Text code>{r.predecessor.slice(0, 12)}…</Typography.Text>
            )}
          </Typography.Text>
        ) : null}
        {r.supersededBy !== null ? (
          <Tag color="orange" data-testid={`supervision-superseded-${r.id}`}>
            {t('public.supersededByN', { n: r.attempt + 1 })}
          </Tag>
        ) : null}
      </Space>
    );
  };
  const stageOf = (r: SupervisorDraw) => (
    <span data-testid={`supervision-stage-${r.id}`} data-value={r.stage}>
      <StageLabel stage={r.stage} />
    </span>
  );
  const actionsOf = (r: SupervisorDraw) => (
    <Space wrap>
      <Button
        size="small"
        icon={<CloudDownloadOutlined />}
        href={fullBundleUrl(r.id)}
        download={`draw-${r.id}-full.json`}
        data-testid={`supervision-download-${r.id}`}
      >
        {t('supervision.download')}
      </Button>
      <Button
        size="small"
        type="primary"
        icon={<SafetyCertificateOutlined />}
        loading={check?.drawId === r.id && check.kind === 'running'}
        onClick={() => void verify(r)}
        data-testid={`supervision-verify-${r.id}`}
      >
        {t('supervision.verify')}
      </Button>
    </Space>
  );
  const hashOf = (v: string) => (
    <Typography.Text code copyable={{ text: v }} style={{ fontSize: 12 }}>
      {v.slice(0, 16)}…
    </Typography.Text>
  );

  return (
    <PageFrame title={t('supervision.title')} subtitle={t('supervision.subtitle')}>
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Alert type="info" showIcon title={t('supervision.explain')} />
        {narrow ? (
          // a phone: one card per draw, every action in reach
          <Space orientation="vertical" style={{ width: '100%' }} data-testid="supervision-draws">
            {loading && !data ? <Spin /> : null}
            {(data?.items ?? []).map((r) => (
              <Card
                key={r.id}
                size="small"
                data-testid={`supervision-row-${r.id}`}
                title={<Link to={`/draws/${r.id}`}>{r.taskName}</Link>}
              >
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  <Typography.Text type="secondary">{r.departmentName}</Typography.Text>
                  {attemptOf(r)}
                  {stageOf(r)}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('draws.committedAt')}：{fmtDateTime(r.committedAt)}
                  </Typography.Text>
                  {hashOf(r.commitmentHash)}
                  {actionsOf(r)}
                </Space>
              </Card>
            ))}
            {data && data.items.length === 0 ? <Empty /> : null}
          </Space>
        ) : (
          <Card data-testid="supervision-draws" styles={{ body: { padding: 0 } }}>
            <div style={{ overflowX: 'auto' }}>
              <Table<SupervisorDraw>
                rowKey="id"
                size="small"
                loading={loading && !data}
                dataSource={data?.items ?? []}
                pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
                scroll={{ x: 'max-content' }}
                onRow={(r) => ({ 'data-testid': `supervision-row-${r.id}` }) as object}
                columns={[
                  {
                    title: t('supervision.task'),
                    key: 'task',
                    render: (_v, r) => (
                      <Space orientation="vertical" size={0}>
                        <Link to={`/draws/${r.id}`}>{r.taskName}</Link>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {r.departmentName}
                        </Typography.Text>
                      </Space>
                    ),
                  },
                  { title: t('draws.attempt'), key: 'attempt', render: (_v, r) => attemptOf(r) },
                  { title: t('verifyOut.stage'), key: 'stage', render: (_v, r) => stageOf(r) },
                  {
                    title: t('draws.committedAt'),
                    dataIndex: 'committedAt',
                    render: (v: string) => fmtDateTime(v),
                  },
                  {
                    title: t('draws.commitmentHash'),
                    dataIndex: 'commitmentHash',
                    render: (v: string) => hashOf(v),
                  },
                  { title: t('common.actions'), key: 'actions', render: (_v, r) => actionsOf(r) },
                ]}
              />
            </div>
          </Card>
        )}
      </Space>
      <Modal
        open={check !== null}
        onCancel={() => setCheck(null)}
        footer={null}
        width={760}
        title={checked ? t('supervision.verifyTitle', { id: checked.id, task: checked.taskName }) : ''}
        destroyOnHidden
      >
        <div data-testid="supervision-result" data-draw-id={check?.drawId} data-state={check?.kind}>
          {check?.kind === 'running' ? (
            <Space>
              <Spin />
              <span>{t('verify.running')}</span>
            </Space>
          ) : check?.kind === 'error' ? (
            <Alert
              type="error"
              showIcon
              title={t('verify.failed')}
              description={check.status ? t('supervision.httpError', { status: check.status }) : null}
            />
          ) : check?.kind === 'done' ? (
            <OutcomeView outcome={check.result.outcome} ms={check.result.ms} stratumClasses={check.classes} />
          ) : null}
        </div>
      </Modal>
    </PageFrame>
  );
}
