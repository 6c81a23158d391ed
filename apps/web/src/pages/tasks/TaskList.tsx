import type { HTMLAttributes, ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Button, Card, Empty, Progress, Table, Tag } from 'antd';
import { FormOutlined, PlusOutlined } from '@ant-design/icons';
import type { TaskRow } from '@choucha/api';
import { useTasks } from '../../api/hooks.ts';
import { useDepartments } from '../../api/hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useAuth } from '../../auth/AuthContext.tsx';
import { fmtDate, PageFrame, StatusTag } from '../../components/common.tsx';
import { useNarrow } from '../../layout/useNarrow.ts';
import { TaskDeadline } from '../../components/DeadlineTag.tsx';

export function TaskTable({
  tasks,
  loading,
  action,
}: {
  tasks: TaskRow[];
  loading: boolean;
  action?: (r: TaskRow) => ReactNode;
}) {
  const { t } = useI18n();
  const { departments } = useDepartments();
  const deptName = new Map(departments.map((d) => [d.id, d.shortName || d.name]));
  return (
    <Table<TaskRow>
      rowKey="id"
      loading={loading}
      dataSource={tasks}
      size="middle"
      data-testid="task-table"
      scroll={{ x: 1360 }}
      onRow={(r) => ({ 'data-testid': `task-row-${r.id}` }) as HTMLAttributes<HTMLElement>}
      pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
      columns={[
        { title: t('tasks.year'), dataIndex: 'year', width: 70 },
        {
          title: t('tasks.name'),
          dataIndex: 'name',
          width: 300,
          render: (v: string, r) => (
            <>
              <Link to={`/tasks/${r.id}`} data-testid="task-link">
                {v}
              </Link>
              {r.isJoint ? (
                <Tag color="purple" style={{ marginInlineStart: 8 }}>
                  {t('tasks.joint')}
                </Tag>
              ) : null}
            </>
          ),
        },
        {
          title: t('tasks.leadDepartment'),
          dataIndex: 'departmentName',
          width: 180,
          render: (v: string, r) =>
            r.jointDepartmentIds.length ? (
              <span title={r.jointDepartmentIds.map((id) => deptName.get(id) ?? id).join('、')}>
                {v} <span style={{ color: '#888' }}>+{r.jointDepartmentIds.length}</span>
              </span>
            ) : (
              v
            ),
        },
        {
          title: t('tasks.window'),
          key: 'window',
          width: 200,
          render: (_v, r) => `${fmtDate(r.windowStart)} ~ ${fmtDate(r.windowEnd)}`,
        },
        {
          title: t('deadline.publicity'),
          key: 'deadline',
          width: 200,
          render: (_v, r) => (
            <TaskDeadline
              windowEnd={r.windowEnd}
              targetCount={r.targetCount}
              publishedCount={r.publishedCount}
            />
          ),
        },
        {
          title: t('common.status'),
          dataIndex: 'status',
          width: 110,
          render: (v: string) => <StatusTag status={v} />,
        },
        { title: t('tasks.targets'), dataIndex: 'targetCount', width: 80 },
        {
          title: t('tasks.publishedProgress'),
          key: 'pub',
          width: 160,
          render: (_v, r) => (
            <Progress
              size="small"
              percent={r.targetCount ? Math.round((r.publishedCount / r.targetCount) * 100) : 0}
              format={() => `${r.publishedCount}/${r.targetCount}`}
            />
          ),
        },
        ...(action
          ? [
              {
                title: t('common.actions'),
                key: 'act',
                width: 140,
                render: (_v: unknown, r: TaskRow) => action(r),
              },
            ]
          : []),
      ]}
    />
  );
}

/** The tasks as cards, for phones: name, window, status, progress, a full-width entry button. */
function TaskCards({ tasks, loading }: { tasks: TaskRow[]; loading: boolean }) {
  const { t } = useI18n();
  const { hasRole } = useAuth();
  if (loading && tasks.length === 0) return <Card loading />;
  if (tasks.length === 0)
    return (
      <Card>
        <Empty />
      </Card>
    );
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }} data-testid="task-cards">
      {tasks.map((r) => (
        <Card key={r.id} size="small" className="task-card" data-testid={`task-card-${r.id}`}>
          <Link to={`/tasks/${r.id}`} style={{ fontSize: 15, fontWeight: 600 }} data-testid="task-link">
            {r.name}
          </Link>
          {r.isJoint ? (
            <Tag color="purple" style={{ marginInlineStart: 8 }}>
              {t('tasks.joint')}
            </Tag>
          ) : null}
          <div style={{ color: '#666', margin: '4px 0' }}>
            {r.departmentName} · {fmtDate(r.windowStart)} ~ {fmtDate(r.windowEnd)}
          </div>
          <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 8 }}>
            <StatusTag status={r.status} />
            <Progress
              size="small"
              style={{ flex: 1, margin: 0 }}
              percent={r.targetCount ? Math.round((r.publishedCount / r.targetCount) * 100) : 0}
              format={() => `${r.publishedCount}/${r.targetCount}`}
            />
          </div>
          {r.targetCount > 0 && hasRole('joint_admin', 'dept_admin', 'inspector') ? (
            <Link to={`/results?taskId=${r.id}`}>
              <Button
                block
                size="large"
                type="primary"
                icon={<FormOutlined />}
                data-testid="task-card-results"
              >
                {t('results.enter')}
              </Button>
            </Link>
          ) : null}
        </Card>
      ))}
    </div>
  );
}

export default function TaskList() {
  const { t } = useI18n();
  const { hasRole } = useAuth();
  const { tasks, loading } = useTasks();
  const narrow = useNarrow();
  return (
    <PageFrame
      title={t('tasks.title')}
      subtitle={t('tasks.subtitle')}
      extra={
        hasRole('joint_admin', 'dept_admin') ? (
          <Link to="/tasks/new">
            <Button type="primary" icon={<PlusOutlined />} data-testid="task-new">
              {t('tasks.new')}
            </Button>
          </Link>
        ) : null
      }
    >
      {narrow ? (
        <TaskCards tasks={tasks} loading={loading} />
      ) : (
        <Card>
          <TaskTable tasks={tasks} loading={loading} />
        </Card>
      )}
    </PageFrame>
  );
}
