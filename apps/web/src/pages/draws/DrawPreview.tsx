/**
 * The draw preview before the commitment (GET /api/tasks/:id/draw-preview): the roster rules in
 * order — status, the departments' directory, the task's scope, each department's items — with
 * what each kept and removed and a sample of the removed; then the exclusions and, per risk class,
 * the population and sample size. A task whose items have no scope gets TASK_SCOPE_REQUIRED: the
 * preview says so and sends the user to the item list to choose one.
 */
import { useEffect, useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Card, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ScopeRuleReport, UnscopedItem } from '@choucha/api';
import { api, ApiError } from '../../api/client.ts';
import { useDepartments } from '../../api/hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { stratumName } from './stratum.ts';
import { scopeParts } from '../items/ItemScope.tsx';
import {
  DRAW_EXCLUSION_REASONS,
  isDrawExclusionCode,
} from '../../../../../packages/core/src/draw-exclusion-reasons.ts';

export interface DrawPreviewData {
  rosterSize: number;
  /** ROSTER: the rules of the roster in order, each counted on what the ones before it kept */
  scopeRules: ScopeRuleReport[];
  unscopedItems: UnscopedItem[];
  excluded: number;
  exclusionsByReason: { code: string; reason: string; count: number }[];
  strata: { riskClass: string; population: number; ratio: number | null; size: number | null }[];
  targets: number;
  problems: string[];
  /** TASKOPS: coded problems (SAMPLING_MAX_BELOW_CLASSES) */
  problemCodes?: string[];
}

function RuleText({ r, deptName }: { r: ScopeRuleReport; deptName: Map<number, string> }) {
  const { t } = useI18n();
  if (r.kind === 'active' || r.kind === 'directory') return <>{t(`roster.rule.${r.kind}`)}</>;
  const head =
    r.kind === 'task'
      ? t('roster.rule.task')
      : t('roster.rule.items', {
          dept: r.departmentId === null ? '' : (deptName.get(r.departmentId) ?? String(r.departmentId)),
          items: r.items.map((i) => i.name).join('、'),
        });
  return (
    <Space orientation="vertical" size={2}>
      <Typography.Text strong>{head}</Typography.Text>
      {r.all ? (
        <Tag color="blue">{t('roster.scopeAll')}</Tag>
      ) : (
        r.scopes.map((s, k) => (
          <Space key={k} size={[0, 4]} wrap>
            {k > 0 ? <Typography.Text type="secondary">{t('roster.or')}</Typography.Text> : null}
            {scopeParts(s, t, deptName).map((p) => (
              <Tag key={p} style={{ whiteSpace: 'normal' }}>
                {p}
              </Tag>
            ))}
          </Space>
        ))
      )}
    </Space>
  );
}

function ScopeRules({ p, deptName }: { p: DrawPreviewData; deptName: Map<number, string> }) {
  const { t } = useI18n();
  const first = p.scopeRules[0];
  return (
    <div style={{ marginBottom: 12 }} data-testid="draw-preview-scope">
      <Space style={{ marginBottom: 8 }} wrap>
        <Typography.Text strong>{t('roster.rulesTitle')}</Typography.Text>
        {first ? (
          <Typography.Text type="secondary">
            {t('roster.register', { n: first.kept + first.removed })}
          </Typography.Text>
        ) : null}
      </Space>
      <Table<ScopeRuleReport & { key: number }>
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={p.scopeRules.map((r, key) => ({ ...r, key }))}
        onRow={(r) => ({ 'data-testid': 'scope-rule', 'data-kind': r.kind }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('roster.rule'),
            key: 'rule',
            render: (_v, r) => <RuleText r={r} deptName={deptName} />,
          },
          {
            title: t('roster.kept'),
            dataIndex: 'kept',
            width: 90,
            render: (v: number) => <span data-testid="scope-rule-kept">{v}</span>,
          },
          {
            title: t('roster.removed'),
            dataIndex: 'removed',
            width: 90,
            render: (v: number) => <span data-testid="scope-rule-removed">{v}</span>,
          },
          {
            title: t('roster.sample'),
            key: 'sample',
            render: (_v, r) =>
              r.sample.length ? (
                <Typography.Text type="secondary" data-testid="scope-rule-sample">
                  {r.sample.map((s) => s.name).join('、')}
                  {r.removed > r.sample.length ? '…' : ''}
                </Typography.Text>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 4, marginBottom: 0 }}>
        {t('roster.rulesNote')}
      </Typography.Paragraph>
      {p.unscopedItems.length ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="draw-preview-unscoped"
          title={t('roster.unscopedTitle', { items: p.unscopedItems.map((i) => i.name).join('、') })}
        />
      ) : null}
    </div>
  );
}

/** Shown instead of the preview when nothing chose a scope (TASK_SCOPE_REQUIRED). */
function ScopeRequired({ err }: { err: ApiError }) {
  const { t } = useI18n();
  const items = (err.details?.items as { id: number; name: string }[] | undefined) ?? [];
  return (
    <Alert
      type="error"
      showIcon
      data-testid="draw-preview-scope-required"
      title={t('roster.requiredTitle')}
      description={
        <Space orientation="vertical">
          <span>{t('roster.requiredText')}</span>
          {items.length ? (
            <span>{t('roster.requiredItems', { items: items.map((i) => i.name).join('、') })}</span>
          ) : null}
          <Link to="/items">
            <Button type="primary" data-testid="draw-preview-go-items">
              {t('roster.goItems')}
            </Button>
          </Link>
        </Space>
      }
    />
  );
}

/** What the commitment will fix: roster rules, exclusions, and per risk class the population and sample size. */
export function DrawPreview({ taskId }: { taskId: number }) {
  const { t, lang } = useI18n();
  const { departments } = useDepartments();
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const [p, setP] = useState<DrawPreviewData | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    api
      .get<DrawPreviewData>(`/api/tasks/${taskId}/draw-preview`, { silent: true })
      .then((r) => {
        if (live) setP(r);
      })
      .catch((e: unknown) => {
        if (live && e instanceof ApiError && e.code === 'TASK_SCOPE_REQUIRED') setErr(e);
      });
    return () => {
      live = false;
    };
  }, [taskId]);
  if (err) return <ScopeRequired err={err} />;
  if (!p) return null;
  return (
    <Card size="small" title={t('draws.previewTitle')} data-testid="draw-preview">
      <Space size="large" wrap style={{ marginBottom: 12 }}>
        <Statistic title={t('draws.previewRoster')} value={p.rosterSize} />
        <Statistic title={t('draws.previewExcluded')} value={p.excluded} />
        <Statistic title={t('draws.previewTargets')} value={p.targets} />
      </Space>
      {p.scopeRules?.length ? <ScopeRules p={p} deptName={deptName} /> : null}
      <Table
        size="small"
        pagination={false}
        rowKey="riskClass"
        dataSource={p.strata}
        columns={[
          {
            title: t('draws.previewClass'),
            dataIndex: 'riskClass',
            render: (v: string) => stratumName(v, t),
          },
          { title: t('draws.previewPopulation'), dataIndex: 'population' },
          {
            title: t('draws.previewRatio'),
            dataIndex: 'ratio',
            render: (v: number | null) => (v === null ? '—' : `${+(v * 100).toFixed(4)}%`),
          },
          { title: t('draws.previewSize'), dataIndex: 'size', render: (v: number | null) => v ?? '—' },
        ]}
      />
      {p.exclusionsByReason.length > 0 ? (
        <Space wrap style={{ marginTop: 8 }} data-testid="draw-preview-reasons">
          <Typography.Text type="secondary">{t('draws.previewReasons')}</Typography.Text>
          {p.exclusionsByReason.map((r) => (
            <Tag key={r.code} data-code={r.code} title={r.code}>
              {`${isDrawExclusionCode(r.code) ? DRAW_EXCLUSION_REASONS[r.code].label[lang] : r.reason} ${r.count}`}
            </Tag>
          ))}
        </Space>
      ) : null}
      {p.problemCodes?.includes('SAMPLING_MAX_BELOW_CLASSES') ? (
        <Alert type="error" showIcon title={t('tasks.sizesMaxBelow')} style={{ marginTop: 8 }} />
      ) : null}
      {p.strata
        .filter((s) => s.size === null && s.ratio === null)
        .map((s) => (
          <Alert
            key={s.riskClass}
            type="error"
            showIcon
            title={t('draws.previewNoRatio', { cls: stratumName(s.riskClass, t) })}
            style={{ marginTop: 8 }}
          />
        ))}
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t('draws.previewNote')}
      </Typography.Paragraph>
    </Card>
  );
}
