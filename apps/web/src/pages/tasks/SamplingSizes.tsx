/**
 * The task form's preview of the sizes per risk class, before the task is saved and long before the
 * commitment: POST /api/tasks/sampling-preview with the form as it stands (the server creates the
 * task in a transaction it rolls back), so the user sees what "最多抽取户数" gives for the chosen
 * meaning (total / split / per class).
 */
import { useEffect, useState } from 'react';
import { Alert, Card, Table, Typography } from 'antd';
import type { CreateTaskBody, SamplingPreview } from '@choucha/api';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { stratumName } from '../draws/stratum.ts';

export function SamplingSizes({ body }: { body: CreateTaskBody | null }) {
  const { t } = useI18n();
  const [p, setP] = useState<SamplingPreview | null>(null);
  const key = body ? JSON.stringify(body) : '';
  useEffect(() => {
    if (!key) {
      setP(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api
        .post<SamplingPreview>('/api/tasks/sampling-preview', JSON.parse(key) as CreateTaskBody, {
          silent: true,
        })
        .then((r) => {
          if (live) setP(r);
        })
        .catch(() => {
          if (live) setP(null);
        });
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);
  return (
    <Card
      size="small"
      title={t('tasks.sizesTitle')}
      style={{ marginBottom: 16 }}
      data-testid="task-sizes-preview"
    >
      {!p ? (
        <Typography.Text type="secondary">{t('tasks.sizesPending')}</Typography.Text>
      ) : (
        <>
          <Typography.Paragraph strong data-testid="task-sizes-total" data-total={p.targets}>
            {t('tasks.sizesTotal', { n: p.targets, roster: p.rosterSize, excluded: p.excluded })}
          </Typography.Paragraph>
          <Table
            size="small"
            pagination={false}
            rowKey="riskClass"
            dataSource={p.strata}
            onRow={(r) =>
              ({ 'data-testid': `task-size-${r.riskClass}`, 'data-size': r.size ?? '' }) as object
            }
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
          {p.problemCodes.includes('SAMPLING_MAX_BELOW_CLASSES') ? (
            <Alert type="error" showIcon title={t('tasks.sizesMaxBelow')} style={{ marginTop: 8 }} />
          ) : null}
        </>
      )}
    </Card>
  );
}
