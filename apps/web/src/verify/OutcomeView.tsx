/**
 * What a verifier found (`VerifyOutcome` of @choucha/core): the verdict, the stage and the view,
 * whether the drand BLS signature was checked, the attempt chain, the strata and the counts; on
 * failure the code with its text (the error table, in the UI's language), the path and the two
 * values. Stable test ids: verify-verdict (data-verdict), verify-code, verify-path, verify-stage
 * (data-value: the raw value; the text of code and path is the raw value too).
 */
import { Alert, Descriptions, Space, Table, Tag, Typography } from 'antd';
import type { VerifyOutcome } from '@choucha/core';
import { useI18n, type DictKey } from '../i18n/index.tsx';
import { localizedErrorMessage } from '../api/client.ts';
import { useNarrow } from '../layout/useNarrow.ts';

function show(v: unknown): string {
  if (v === undefined) return '—';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

const VERDICT_KEY: Record<VerifyOutcome['verdict'], DictKey> = {
  verified: 'verifyOut.verified',
  rejected: 'verifyOut.rejected',
  unreadable: 'verifyOut.unreadable',
};
const STAGE_KEY: Record<string, DictKey> = {
  committed: 'verifyOut.stage.committed',
  drawn: 'verifyOut.stage.drawn',
  infeasible: 'verifyOut.stage.infeasible',
  matched: 'verifyOut.stage.matched',
  'matched-v1': 'verifyOut.stage.matchedV1',
};

type Stratum = NonNullable<VerifyOutcome['strata']>[number];

export function StageLabel({ stage }: { stage: string | undefined | null }) {
  const { t } = useI18n();
  const key = stage ? STAGE_KEY[stage] : undefined;
  return <>{key ? t(key) : (stage ?? '—')}</>;
}

export interface OutcomeViewProps {
  outcome: VerifyOutcome;
  ms?: number;
  /** stratum label → risk class (staff who see risk classes: the supervisor, the department) */
  stratumClasses?: Record<string, string> | null | undefined;
}

export function OutcomeView({ outcome: o, ms, stratumClasses }: OutcomeViewProps) {
  const { t } = useI18n();
  const narrow = useNarrow();
  const ok = o.verdict === 'verified';
  const code = o.code ?? '';
  const path = o.path ?? '';
  const stage = o.stage ?? '';
  const isPublic = o.view === 'public';
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="verify-outcome">
      <Alert
        type={ok ? 'success' : o.verdict === 'unreadable' ? 'warning' : 'error'}
        showIcon
        title={
          <span data-testid="verify-verdict" data-verdict={o.verdict} data-exit={o.exit}>
            {t(VERDICT_KEY[o.verdict])}
          </span>
        }
        description={
          ok ? (
            isPublic ? (
              <span data-testid="verify-public-limits">{t('verifyOut.publicLimits')}</span>
            ) : (
              t('verifyOut.fullChecked')
            )
          ) : (
            <Space orientation="vertical" size={2} style={{ width: '100%' }}>
              <span data-testid="verify-message">
                {code ? localizedErrorMessage(code, o.message ?? '') : t('verify.failed')}
              </span>
              <span>
                {t('error.code')}：
                <Typography.Text code data-testid="verify-code" data-value={code}>
                  {code}
                </Typography.Text>
              </span>
              <span style={{ wordBreak: 'break-all' }}>
                {t('verify.firstDifference')}：
                <Typography.Text code data-testid="verify-path" data-value={path}>
                  {path}
                </Typography.Text>
              </span>
              {o.expected !== undefined || o.actual !== undefined ? (
                <span style={{ wordBreak: 'break-all' }} data-testid="verify-values">
                  {t('verify.expected')}：<Typography.Text code>{show(o.expected)}</Typography.Text>
                  {' · '}
                  {t('verify.actual')}：<Typography.Text code>{show(o.actual)}</Typography.Text>
                </span>
              ) : null}
            </Space>
          )
        }
      />
      <Descriptions
        column={1}
        size="small"
        bordered
        layout={narrow ? 'vertical' : 'horizontal'}
        styles={{ label: narrow ? {} : { width: 180 } }}
      >
        <Descriptions.Item label={t('verifyOut.stage')}>
          <span data-testid="verify-stage" data-value={stage}>
            <StageLabel stage={stage || undefined} />
          </span>
          {o.supersededBy ? (
            <Tag color="orange" style={{ marginInlineStart: 8 }} data-testid="verify-superseded">
              {t('verifyOut.superseded')}
            </Tag>
          ) : null}
        </Descriptions.Item>
        {o.view ? (
          <Descriptions.Item label={t('verifyOut.view')}>
            <span data-testid="verify-view" data-value={o.view}>
              {o.view === 'full' ? t('verifyOut.viewFull') : t('verifyOut.viewPublic')}
            </span>
          </Descriptions.Item>
        ) : null}
        {o.format ? (
          <Descriptions.Item label={t('verifyOut.format')}>
            <Typography.Text code>{o.format}</Typography.Text>
          </Descriptions.Item>
        ) : null}
        {ok ? (
          <Descriptions.Item label={t('verifyOut.bls')}>
            <span data-testid="verify-bls" data-value={String(o.blsChecked === true)}>
              {o.blsChecked ? t('verifyOut.blsChecked') : t('verifyOut.blsNotChecked')}
            </span>
          </Descriptions.Item>
        ) : null}
        {o.attempt !== undefined ? (
          <Descriptions.Item label={t('draws.attempt')}>
            <span data-testid="verify-attempt">{t('verifyOut.attemptN', { n: o.attempt })}</span>
            {o.predecessor ? (
              <div style={{ fontSize: 12, wordBreak: 'break-all' }}>
                {t('verifyOut.predecessor')}：<Typography.Text code>{o.predecessor}</Typography.Text>
              </div>
            ) : null}
            {o.supersededBy ? (
              <div style={{ fontSize: 12, wordBreak: 'break-all' }}>
                {t('verifyOut.supersededBy')}：<Typography.Text code>{o.supersededBy}</Typography.Text>
              </div>
            ) : null}
          </Descriptions.Item>
        ) : null}
        {o.commitmentHash ? (
          <Descriptions.Item label={t('draws.commitmentHash')}>
            <Typography.Text code style={{ wordBreak: 'break-all' }}>
              {o.commitmentHash}
            </Typography.Text>
          </Descriptions.Item>
        ) : null}
        {o.seed ? (
          <Descriptions.Item label={t('draws.seed')}>
            <Typography.Text code style={{ wordBreak: 'break-all' }}>
              {o.seed}
            </Typography.Text>
          </Descriptions.Item>
        ) : null}
        {ok && o.targets !== undefined ? (
          <Descriptions.Item label={t('verifyOut.counts')}>
            <span data-testid="verify-counts" data-targets={o.targets} data-teams={o.teams ?? 0}>
              {t('verifyOut.countsText', { targets: o.targets, teams: o.teams ?? 0 })}
            </span>
          </Descriptions.Item>
        ) : null}
        {ms !== undefined ? (
          <Descriptions.Item label={t('verifyOut.time')}>{t('verifyOut.ms', { ms })}</Descriptions.Item>
        ) : null}
      </Descriptions>
      {ok && o.strata && o.strata.length ? (
        <div style={{ overflowX: 'auto' }}>
          <Table<Stratum>
            size="small"
            rowKey="label"
            pagination={false}
            data-testid="verify-strata"
            dataSource={o.strata}
            columns={[
              {
                title: t('verifyOut.stratum'),
                dataIndex: 'label',
                render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
              },
              ...(stratumClasses
                ? [
                    {
                      title: t('verifyOut.riskClass'),
                      key: 'class',
                      render: (_: unknown, r: Stratum) => {
                        const c = stratumClasses[r.label];
                        // one stratum for the whole roster: no class
                        return c === 'ALL' ? t('verifyOut.allClasses') : (c ?? '—');
                      },
                    },
                  ]
                : []),
              {
                title: t('verifyOut.populationDrawn'),
                key: 'n',
                render: (_: unknown, r: Stratum) => (
                  <span>
                    {r.population} → {r.size}
                  </span>
                ),
              },
            ]}
          />
        </div>
      ) : null}
    </Space>
  );
}
