import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Input,
  Popconfirm,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
} from 'antd';
import { ArrowLeftOutlined, FormOutlined } from '@ant-design/icons';
import type { DrawView, Item, PartnerAnswer, Sampling, TaskDetail as Task, TaskPartner } from '@choucha/api';
import { api, useFetch } from '../../api/client.ts';
import { useDepartments } from '../../api/hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useAuth } from '../../auth/AuthContext.tsx';
import { fmtDate, fmtDateTime, Mono, PageFrame, StatusTag } from '../../components/common.tsx';
import { PageSpinner } from '../../layout/AppLayout.tsx';
import { LongText } from '../../components/LongText.tsx';
import { DrawWizard, isRevealed } from '../draws/DrawWizard.tsx';
import { TargetsTable } from '../draws/TargetsTable.tsx';
import { DrawExclusions } from '../draws/DrawExclusions.tsx';
import { TaskDeadline } from '../../components/DeadlineTag.tsx';
import { DraftActions } from './DraftActions.tsx';
import { ContributeItems, PartnerItemsPicker, type ItemPick } from '../joint/PartnerItems.tsx';

export function latestDraw(draws: DrawView[]): DrawView | undefined {
  return [...draws].sort((a, b) => b.attempt - a.attempt || b.id - a.id)[0];
}

export function SamplingText({ s }: { s: Sampling }) {
  const { t } = useI18n();
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  const parts: string[] = [];
  if (s.ratio !== undefined) parts.push(`${t('tasks.ratio')} ${pct(s.ratio)}`);
  if (s.classes)
    parts.push(
      Object.entries(s.classes)
        .map(([c, r]) => `${c} ${pct(r)}`)
        .join(' · '),
    );
  if (s.min !== undefined) parts.push(`${t('tasks.min')} ${s.min}`);
  if (s.max !== undefined)
    parts.push(
      `${t('tasks.max')} ${s.max}${t('tasks.maxModeShort', {
        mode: t(
          s.maxMode === 'total'
            ? 'tasks.maxModeTotal'
            : s.maxMode === 'split'
              ? 'tasks.maxModeSplit'
              : 'tasks.maxModePerClass',
        ),
      })}`,
    );
  if (s.maxLoad !== undefined) parts.push(t('tasks.maxLoadShort', { n: s.maxLoad }));
  return <>{parts.join('；') || '—'}</>;
}

function ScopeText({ scope }: { scope: unknown }) {
  const { t } = useI18n();
  if (!scope || typeof scope !== 'object') return <>{t('tasks.wholeDirectory')}</>;
  const s = scope as {
    streets?: string[];
    entityTypes?: string[];
    industryPrefixes?: string[];
    tags?: string[];
  };
  const parts: string[] = [];
  if (s.streets?.length) parts.push(`${t('tasks.streets')}：${s.streets.join('、')}`);
  if (s.entityTypes?.length) parts.push(`${t('tasks.entityTypes')}：${s.entityTypes.join('、')}`);
  if (s.industryPrefixes?.length) parts.push(`${t('tasks.industries')}：${s.industryPrefixes.join('、')}`);
  if (s.tags?.length) parts.push(`${t('tasks.tags')}：${s.tags.join('、')}`);
  return <>{parts.length ? `${t('tasks.directed')} · ${parts.join('；')}` : t('tasks.wholeDirectory')}</>;
}

const PARTNER_COLORS: Record<TaskPartner['state'], string> = {
  invited: 'gold',
  accepted: 'green',
  declined: 'default',
};

/** The cooperating departments with their answers (who and when in the tooltip). */
function PartnerTags({ partners, deptName }: { partners: TaskPartner[]; deptName: Map<number, string> }) {
  const { t, tk } = useI18n();
  if (partners.length === 0) return <>—</>;
  return (
    <>
      {partners.map((p) => (
        <Tooltip
          key={p.departmentId}
          title={
            p.answeredAt
              ? `${t('tasks.partnerAnswered', { who: p.answeredByName ?? t('tasks.partnerSystem'), at: fmtDateTime(p.answeredAt) })}${p.note ? `：${p.note}` : ''}`
              : undefined
          }
        >
          <Tag
            color={PARTNER_COLORS[p.state]}
            data-testid={`task-partner-${p.departmentId}`}
            data-state={p.state}
          >
            {deptName.get(p.departmentId) ?? p.departmentId} · {tk('tasks.partnerState', p.state)}
          </Tag>
        </Tooltip>
      ))}
    </>
  );
}

/**
 * An invited cooperating department answers here (its department admin; the joint admin may answer
 * for any invited department). The lead sees that the draw waits for the answers.
 */
function PartnerInvitations({
  task,
  deptName,
  onAnswered,
}: {
  task: Task;
  deptName: Map<number, string>;
  onAnswered: (answer: PartnerAnswer) => void;
}) {
  const { t } = useI18n();
  const { user, hasRole } = useAuth();
  const { message } = App.useApp();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  // the items a cooperating department brings when it accepts (pages/joint/PartnerItems.tsx)
  const [picks, setPicks] = useState<Record<number, ItemPick>>({});
  const invited = task.partners.filter((p) => p.state === 'invited');
  if (invited.length === 0) return null;
  const mine = invited.filter(
    (p) => hasRole('joint_admin') || (hasRole('dept_admin') && user?.departmentId === p.departmentId),
  );
  const answer = async (departmentId: number, action: 'accept' | 'decline') => {
    setBusy(true);
    try {
      const r = await api.post<PartnerAnswer>(`/api/tasks/${task.id}/partners/${departmentId}/${action}`, {
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(action === 'accept' ? (picks[departmentId] ?? {}) : {}),
      });
      void message.success(t(action === 'accept' ? 'tasks.partnerAccepted' : 'tasks.partnerDeclined'));
      setNote('');
      onAnswered(r);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%', marginBottom: 16 }}>
      {mine.map((p) => {
        const dept = deptName.get(p.departmentId) ?? String(p.departmentId);
        return (
          <Alert
            key={p.departmentId}
            type="info"
            showIcon
            data-testid={`task-invitation-${p.departmentId}`}
            title={
              user?.departmentId === p.departmentId
                ? t('tasks.partnerInvited', { dept })
                : t('tasks.partnerInvitedAdmin', { dept })
            }
            description={
              <Space wrap>
                <PartnerItemsPicker
                  departmentId={p.departmentId}
                  value={picks[p.departmentId]}
                  onChange={(v) => setPicks((x) => ({ ...x, [p.departmentId]: v }))}
                />
                <Input
                  style={{ width: 280 }}
                  maxLength={500}
                  placeholder={t('tasks.partnerNote')}
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  data-testid="task-partner-note"
                />
                <Button
                  type="primary"
                  loading={busy}
                  onClick={() => void answer(p.departmentId, 'accept')}
                  data-testid="task-partner-accept"
                >
                  {t('tasks.partnerAccept')}
                </Button>
                <Popconfirm
                  title={t('tasks.partnerDeclineConfirm')}
                  onConfirm={() => answer(p.departmentId, 'decline')}
                >
                  <Button danger loading={busy} data-testid="task-partner-decline">
                    {t('tasks.partnerDecline')}
                  </Button>
                </Popconfirm>
              </Space>
            }
          />
        );
      })}
      <Alert type="warning" showIcon title={t('tasks.partnerPending')} data-testid="task-partner-pending" />
    </Space>
  );
}

export function ItemsTable({ items }: { items: Item[] }) {
  const { t } = useI18n();
  return (
    <Table<Item>
      rowKey="id"
      size="small"
      dataSource={items}
      pagination={false}
      data-testid="task-items-table"
      scroll={{ x: 800 }}
      columns={[
        { title: t('items.category'), dataIndex: 'category', width: 180 },
        {
          title: t('items.name'),
          dataIndex: 'name',
          minWidth: 280,
          render: (v: string) => <LongText text={v} />,
        },
        { title: t('items.kind'), dataIndex: 'itemKind', width: 130, render: (v: string | null) => v ?? '—' },
        {
          title: t('items.methods'),
          dataIndex: 'methods',
          width: 200,
          render: (v: string[]) => v.join('、'),
        },
      ]}
    />
  );
}

export default function TaskDetail() {
  const { id } = useParams();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const { t } = useI18n();
  const { hasRole } = useAuth();
  const { departments } = useDepartments();
  const { data: task, loading, reload } = useFetch<Task>(`/api/tasks/${id ?? ''}`);
  if (loading && !task) return <PageSpinner />;
  if (!task) return <Empty />;
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const draw = latestDraw(task.draws);
  const canEdit = hasRole('joint_admin', 'dept_admin');
  const tab = params.get('tab') ?? (draw && isRevealed(draw) ? 'targets' : 'draw');

  return (
    <PageFrame
      title={
        <Space>
          {task.name}
          {task.isJoint ? <Tag color="purple">{t('tasks.joint')}</Tag> : null}
          <StatusTag status={task.status} testId="task-status" />
        </Space>
      }
      extra={
        <>
          <Link to="/tasks">
            <Button icon={<ArrowLeftOutlined />}>{t('common.back')}</Button>
          </Link>
          {canEdit ? <DraftActions task={task} /> : null}
          {draw && isRevealed(draw) ? (
            <Link to={`/results?taskId=${task.id}`}>
              <Button type="primary" icon={<FormOutlined />} data-testid="task-enter-results">
                {t('results.enter')}
              </Button>
            </Link>
          ) : null}
        </>
      }
    >
      <PartnerInvitations
        task={task}
        deptName={deptName}
        onAnswered={(a) => {
          // a department that declined no longer sees the task
          if (a.task) reload();
          else void navigate('/tasks');
        }}
      />
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('tasks.leadDepartment')}>{task.departmentName}</Descriptions.Item>
          <Descriptions.Item label={t('tasks.jointDepartments')}>
            <PartnerTags partners={task.partners} deptName={deptName} />
          </Descriptions.Item>
          <Descriptions.Item label={t('tasks.window')}>
            {fmtDate(task.windowStart)} ~ {fmtDate(task.windowEnd)}
          </Descriptions.Item>
          <Descriptions.Item label={t('deadline.publicity')}>
            <TaskDeadline
              windowEnd={task.windowEnd}
              targetCount={task.targetCount}
              publishedCount={task.publishedCount}
            />
          </Descriptions.Item>
          <Descriptions.Item label={t('tasks.sampling')}>
            <SamplingText s={task.sampling} />
          </Descriptions.Item>
          <Descriptions.Item label={t('tasks.scope')}>
            <ScopeText scope={task.scope} />
          </Descriptions.Item>
          <Descriptions.Item label={t('tasks.targets')}>
            {task.publishedCount} / {task.targetCount} {t('tasks.published')}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k }, { replace: true })}
          items={[
            {
              key: 'draw',
              label: <span data-testid="task-tab-draw">{t('tasks.tabDraw')}</span>,
              children: (
                <>
                  <DrawWizard
                    key={draw?.id ?? 'none'}
                    taskId={task.id}
                    draw={draw}
                    departments={departments}
                    canEdit={canEdit}
                    onChange={() => reload()}
                  />
                  {draw ? <DrawExclusions key={`x${draw.id}`} drawId={draw.id} /> : null}
                </>
              ),
            },
            {
              key: 'targets',
              label: <span data-testid="task-tab-targets">{t('tasks.tabTargets')}</span>,
              children:
                draw && isRevealed(draw) ? (
                  <TargetsTable targets={draw.targets} departments={departments} showResults />
                ) : (
                  <Empty description={t('tasks.notDrawnYet')} />
                ),
            },
            {
              key: 'items',
              label: (
                <span data-testid="task-tab-items">
                  {t('tasks.items')}（{task.items.length}）
                </span>
              ),
              children: (
                <>
                  <ContributeItems task={task} onDone={reload} />
                  <ItemsTable items={task.items} />
                </>
              ),
            },
            {
              key: 'history',
              label: <span data-testid="task-tab-history">{t('tasks.tabHistory')}</span>,
              children: (
                <Table<DrawView>
                  rowKey="id"
                  size="small"
                  dataSource={task.draws}
                  pagination={false}
                  columns={[
                    {
                      title: t('draws.attempt'),
                      dataIndex: 'attempt',
                      width: 80,
                      render: (v: number, r) => <Link to={`/draws/${r.id}`}>#{v}</Link>,
                    },
                    {
                      title: t('common.status'),
                      dataIndex: 'status',
                      width: 110,
                      render: (v: string) => <StatusTag status={v} />,
                    },
                    {
                      title: t('draws.committedAt'),
                      dataIndex: 'committedAt',
                      width: 180,
                      render: (v: string) => fmtDateTime(v),
                    },
                    {
                      title: t('draws.commitmentHash'),
                      dataIndex: 'commitmentHash',
                      render: (v: string) => <Mono>{v}</Mono>,
                    },
                    {
                      title: t('draws.targetCount'),
                      key: 'n',
                      width: 90,
                      render: (_v, r) => r.targets.length,
                    },
                    {
                      title: t('draws.redrawReason'),
                      dataIndex: 'redrawReason',
                      render: (v: string | null) => v ?? '—',
                    },
                  ]}
                />
              ),
            },
          ]}
        />
      </Card>
    </PageFrame>
  );
}
