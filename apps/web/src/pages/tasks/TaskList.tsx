import type { HTMLAttributes, ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Button, Card, Progress, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { TaskRow } from '@choucha/api';
import { useTasks } from '../../api/hooks.ts';
import { useDepartments } from '../../api/hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useAuth } from '../../auth/AuthContext.tsx';
import { fmtDate, PageFrame, StatusTag } from '../../components/common.tsx';

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
      scroll={{ x: 1000 }}
      onRow={(r) => ({ 'data-testid': `task-row-${r.id}` }) as HTMLAttributes<HTMLElement>}
      pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
      columns={[
        { title: t('tasks.year'), dataIndex: 'year', width: 70 },
        {
          title: t('tasks.name'),
          dataIndex: 'name',
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

export default function TaskList() {
  const { t } = useI18n();
  const { hasRole } = useAuth();
  const { tasks, loading } = useTasks();
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
      <Card>
        <TaskTable tasks={tasks} loading={loading} />
      </Card>
    </PageFrame>
  );
}
