/**
 * Result entry: choose a task, then record the outcome for each drawn target. The entry button
 * shows only where the server says the user may enter (`canEnter`: the team's inspectors, the
 * participating departments, the joint office). On a phone (inspectors in the field) the targets
 * are cards with full-width buttons and the form fills the screen.
 */
import type React from 'react';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Empty, Select, Space, Switch, Tag, Typography } from 'antd';
import type { ResultView, TargetView, TaskDetail } from '@choucha/api';
import { useFetch } from '../api/client.ts';
import { useDepartments, useTasks } from '../api/hooks.ts';
import { useI18n } from '../i18n/index.tsx';
import { useMe } from '../auth/AuthContext.tsx';
import { PageFrame, StatusTag } from '../components/common.tsx';
import { useNarrow } from '../layout/useNarrow.ts';
import { TargetsTable } from './draws/TargetsTable.tsx';
import { isRevealed } from './draws/DrawWizard.tsx';
import { latestDraw } from './tasks/TaskDetail.tsx';
import { ResultDrawer } from './results/ResultDrawer.tsx';

/** A drawn target as a card, for phones: name, code, team, results, a full-width entry button. */
function TargetCard({ x, action }: { x: TargetView; action: React.ReactNode }) {
  const { t, tv } = useI18n();
  return (
    <Card size="small" className="target-card" data-testid={`target-card-${x.id}`}>
      <Typography.Text strong style={{ fontSize: 15, display: 'block' }} data-testid="target-card-name">
        {x.entityName}
      </Typography.Text>
      <Typography.Text
        type="secondary"
        style={{ fontFamily: 'ui-monospace, Menlo, monospace', fontSize: 12, wordBreak: 'break-all' }}
      >
        {x.key}
      </Typography.Text>
      <div style={{ margin: '6px 0' }}>
        <Typography.Text type="secondary">{t('draws.team')}：</Typography.Text>
        {x.team.map((m) => m.name).join('、') || '—'}
      </div>
      <div style={{ marginBottom: 8 }}>
        {x.results.length === 0 ? (
          <Tag>{t('results.none')}</Tag>
        ) : (
          x.results.map((r) => (
            <div key={r.id}>
              <StatusTag status={r.status} testId={`result-status-${x.id}`} />
              {r.codes.map(tv).join('；')}
              {r.status === 'rejected' && r.reviewNote ? (
                <Typography.Text
                  type="danger"
                  style={{ display: 'block' }}
                  data-testid={`result-reason-${x.id}`}
                >
                  {t('myTargets.rejected', { reason: r.reviewNote })}
                </Typography.Text>
              ) : null}
            </div>
          ))
        )}
      </div>
      {action}
    </Card>
  );
}

export default function Results() {
  const { t } = useI18n();
  const me = useMe();
  const narrow = useNarrow();
  const [params, setParams] = useSearchParams();
  const taskId = params.get('taskId');
  const { tasks, loading: tasksLoading } = useTasks();
  const { departments } = useDepartments();
  const { data: task, loading, reload } = useFetch<TaskDetail>(taskId ? `/api/tasks/${taskId}` : null);
  const [target, setTarget] = useState<TargetView | null>(null);
  // an inspector sees first the targets whose team he is on
  const [onlyMine, setOnlyMine] = useState(me.role === 'inspector');
  const draw = task ? latestDraw(task.draws) : undefined;
  const targets = draw && isRevealed(draw) ? draw.targets : [];
  const mine = (r: ResultView) => me.departmentId === null || r.departmentId === me.departmentId;
  const anyEnter = targets.some((x) => x.canEnter);
  const shown = onlyMine ? targets.filter((x) => x.canEnter) : targets;
  const entered = targets.filter((x) => x.results.some(mine)).length;

  /** The entry button, only where the server says this user may enter. */
  const action = (x: TargetView, block = false) => {
    if (!x.canEnter) return null;
    const own = x.results.filter(mine);
    const blocked = own.some((r) => r.status !== 'rejected');
    return (
      <Button
        size={block ? 'large' : 'small'}
        block={block}
        type={blocked ? 'default' : 'primary'}
        disabled={blocked}
        onClick={() => setTarget(x)}
        data-testid={`result-open-${x.id}`}
        className="result-open"
      >
        {own.length ? (blocked ? t('results.entered') : t('results.reenter')) : t('results.enter')}
      </Button>
    );
  };

  return (
    <PageFrame title={t('results.title')} subtitle={narrow ? undefined : t('results.subtitle')}>
      <Card style={{ marginBottom: 16 }}>
        <div
          style={{
            display: 'flex',
            flexDirection: narrow ? 'column' : 'row',
            flexWrap: 'wrap',
            alignItems: narrow ? 'stretch' : 'center',
            gap: 8,
            minWidth: 0,
          }}
        >
          <Typography.Text strong>{t('results.chooseTask')}</Typography.Text>
          <Select<number>
            style={narrow ? { width: '100%', minWidth: 0 } : { width: 480 }}
            showSearch={{ optionFilterProp: 'label' }}
            loading={tasksLoading}
            placeholder={t('results.chooseTask')}
            value={taskId ? Number(taskId) : null}
            onChange={(v) => setParams({ taskId: String(v) })}
            data-testid="result-task"
            options={tasks
              .filter((x) => x.targetCount > 0)
              .map((x) => ({
                value: x.id,
                label: `${x.name}（${x.departmentName}，${x.publishedCount}/${x.targetCount}）`,
              }))}
          />
          {task ? (
            <Typography.Text type="secondary" data-testid="result-progress">
              {t('results.progress', { done: entered, total: targets.length })}
            </Typography.Text>
          ) : null}
          {task && anyEnter ? (
            <Space>
              <Switch checked={onlyMine} onChange={setOnlyMine} data-testid="result-only-mine" />
              <Typography.Text>{t('results.onlyMine')}</Typography.Text>
            </Space>
          ) : null}
        </div>
      </Card>
      <Card loading={loading && !task} styles={narrow ? { body: { padding: 12 } } : undefined}>
        {!taskId ? (
          <Empty description={t('results.chooseTaskFirst')} />
        ) : targets.length === 0 ? (
          <Empty description={t('tasks.notDrawnYet')} />
        ) : (
          <>
            {!anyEnter ? (
              <Alert
                type="info"
                showIcon
                title={t('results.readOnly')}
                style={{ marginBottom: 12 }}
                data-testid="result-read-only"
              />
            ) : null}
            {shown.length === 0 ? (
              <Empty description={t('results.noneMine')} />
            ) : narrow ? (
              <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }} data-testid="target-cards">
                {[...shown]
                  .sort((a, b) => a.rank - b.rank)
                  .map((x) => (
                    <TargetCard key={x.id} x={x} action={action(x, true)} />
                  ))}
              </div>
            ) : (
              <TargetsTable
                targets={shown}
                departments={departments}
                showResults
                action={anyEnter ? (x) => action(x) : undefined}
              />
            )}
          </>
        )}
      </Card>
      <ResultDrawer
        key={target?.id ?? 'closed'}
        target={target}
        task={task}
        existing={target?.results.find(mine)}
        onClose={() => setTarget(null)}
        onSaved={() => {
          setTarget(null);
          reload();
        }}
      />
    </PageFrame>
  );
}
