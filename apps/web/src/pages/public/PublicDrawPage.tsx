import { Link, useParams } from 'react-router-dom';
import { Button, Card, Descriptions, Empty, Space, Spin, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, CloudDownloadOutlined } from '@ant-design/icons';
import type { PublicDraw } from '@choucha/api';
import { useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDateTime, Mono, StatusTag } from '../../components/common.tsx';
import { PublicLayout } from './PublicLayout.tsx';
import { VerifyPanel } from './VerifyPanel.tsx';
import { PublicTaskStateTag, PublicTaskStateText } from './PublicTaskState.tsx';
import { StageLabel } from '../../verify/OutcomeView.tsx';
import { CeremonyView } from '../draws/Ceremony.tsx';

type PublicTarget = PublicDraw['targets'][number];

function pretty(v: unknown): string {
  if (typeof v === 'string') {
    try {
      return JSON.stringify(JSON.parse(v), null, 2);
    } catch {
      return v;
    }
  }
  return JSON.stringify(v, null, 2);
}

export default function PublicDrawPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const { data, loading } = useFetch<PublicDraw>(`/api/public/draws/${id ?? ''}`);
  const bundleUrl = `/api/public/draws/${id ?? ''}/bundle`;
  // a v2 draw publishes its bundle from the commitment on; a v1 draw once drawn
  const hasBundle = !!data && (data.algorithmVersion !== 'choucha-draw-v1' || data.seed !== null);
  return (
    <PublicLayout>
      <div style={{ marginBottom: 16 }}>
        <Link to="/public#draws">
          <Button icon={<ArrowLeftOutlined />}>{t('common.back')}</Button>
        </Link>
      </div>
      {loading && !data ? (
        <div style={{ textAlign: 'center', padding: 64 }}>
          <Spin size="large" />
        </div>
      ) : !data ? (
        <Empty />
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card
            title={
              <Space>
                <span data-testid="public-draw-title">{data.taskName}</span>
                {data.taskState ? (
                  <PublicTaskStateTag state={data.taskState} />
                ) : (
                  <StatusTag status={data.status} />
                )}
              </Space>
            }
            extra={
              hasBundle ? (
                <Button
                  icon={<CloudDownloadOutlined />}
                  href={bundleUrl}
                  download={`draw-${data.id}-bundle.json`}
                  data-testid="public-draw-bundle"
                >
                  {t('draws.downloadBundle')}
                </Button>
              ) : null
            }
          >
            <Descriptions column={1} size="small" bordered styles={{ label: { width: 200 } }}>
              <Descriptions.Item label={t('common.department')}>{data.departmentName}</Descriptions.Item>
              {data.taskState ? (
                <Descriptions.Item label={t('public.taskState')}>
                  <PublicTaskStateText state={data.taskState} />
                </Descriptions.Item>
              ) : null}
              <Descriptions.Item label={t('verifyOut.stage')}>
                <span data-testid="public-draw-stage" data-value={data.stage}>
                  <StageLabel stage={data.stage} />
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('draws.attempt')}>
                <Space wrap data-testid="public-draw-attempt" data-value={data.attempt}>
                  <span>{t('verifyOut.attemptN', { n: data.attempt })}</span>
                  {data.predecessor ? (
                    data.predecessor.drawId !== null ? (
                      <Link
                        to={`/public/draws/${data.predecessor.drawId}`}
                        data-testid="public-draw-predecessor"
                      >
                        {t('public.predecessorLink', { n: data.attempt - 1 })}
                      </Link>
                    ) : (
                      <Typography.Text type="secondary">
                        {t('public.predecessorHash')}：
                        <Typography.Text code>
                          {data.predecessor.commitmentHash.slice(0, 16)}…
                        </Typography.Text>
                      </Typography.Text>
                    )
                  ) : null}
                  {data.supersededBy ? (
                    <Link
                      to={`/public/draws/${data.supersededBy.drawId}`}
                      data-testid="public-draw-superseded"
                    >
                      <Tag color="orange">{t('public.supersededByN', { n: data.attempt + 1 })}</Tag>
                    </Link>
                  ) : null}
                </Space>
              </Descriptions.Item>
              {data.redrawReason ? (
                <Descriptions.Item label={t('draws.redrawReason')}>{data.redrawReason}</Descriptions.Item>
              ) : null}
              <Descriptions.Item label={t('draws.algorithm')}>{data.algorithmVersion}</Descriptions.Item>
              <Descriptions.Item label={t('draws.commitmentHash')}>
                <Mono testId="public-draw-hash">{data.commitmentHash}</Mono>
              </Descriptions.Item>
              <Descriptions.Item label={t('draws.committedAt')}>
                {fmtDateTime(data.committedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('draws.seedInputs')}>
                {data.seedInputs ? (
                  <pre
                    style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}
                    data-testid="public-draw-seed-inputs"
                  >
                    {pretty(data.seedInputs)}
                  </pre>
                ) : (
                  <Typography.Text type="secondary">{t('public.seedPending')}</Typography.Text>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('draws.seed')}>
                {data.seed ? <Mono testId="public-draw-seed">{data.seed}</Mono> : '—'}
              </Descriptions.Item>
              {data.ceremony ? (
                <Descriptions.Item label={t('ceremony.title')}>
                  <CeremonyView ceremony={data.ceremony} />
                </Descriptions.Item>
              ) : null}
            </Descriptions>
            <details style={{ marginTop: 12 }}>
              <summary style={{ cursor: 'pointer', color: '#1456b8' }}>{t('draws.showCommitment')}</summary>
              <pre
                style={{ maxHeight: 400, overflow: 'auto', background: '#f6f8fa', padding: 12, fontSize: 12 }}
                data-testid="public-draw-commitment"
              >
                {pretty(data.commitment)}
              </pre>
            </details>
          </Card>
          <VerifyPanel draw={data} bundleUrl={bundleUrl} />
          <Card title={t('public.drawnTargets', { n: data.targets.length })}>
            <Table<PublicTarget>
              rowKey={(r) => `${r.key}:${r.ticket}`}
              size="small"
              dataSource={data.targets}
              data-testid="public-draw-targets"
              pagination={{ defaultPageSize: 50, hideOnSinglePage: true }}
              columns={[
                { title: t('draws.rank'), key: 'i', width: 60, render: (_v, _r, i) => i + 1 },
                { title: t('public.entityName'), dataIndex: 'entityName' },
                {
                  title: t('public.phase'),
                  dataIndex: 'phase',
                  width: 110,
                  render: (v: number | null) =>
                    v ? t('public.phaseRound', { n: v }) : t('public.phaseCommitted'),
                },
                {
                  title: t('public.code'),
                  dataIndex: 'key',
                  width: 200,
                  render: (v: string) => (
                    <span style={{ fontFamily: 'ui-monospace, Menlo, monospace' }}>{v}</span>
                  ),
                },
                {
                  title: t('draws.ticket'),
                  dataIndex: 'ticket',
                  render: (v: string) => (
                    <span
                      style={{
                        fontFamily: 'ui-monospace, Menlo, monospace',
                        fontSize: 12,
                        wordBreak: 'break-all',
                      }}
                    >
                      {v}
                    </span>
                  ),
                },
              ]}
            />
          </Card>
        </Space>
      )}
    </PublicLayout>
  );
}
