import { Link } from 'react-router-dom';
import { Alert, Button, Card } from 'antd';
import { useTasks } from '../../api/hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { PageFrame } from '../../components/common.tsx';
import { TaskTable } from '../tasks/TaskList.tsx';

/** Entry point of the draw module: every task, with a shortcut to its draw wizard. */
export default function DrawList() {
  const { t } = useI18n();
  const { tasks, loading } = useTasks();
  return (
    <PageFrame title={t('draws.title')} subtitle={t('draws.subtitle')}>
      <Alert
        type="info"
        showIcon
        title={t('draws.howItWorks')}
        description={t('draws.howItWorksDesc')}
        style={{ marginBottom: 16 }}
      />
      <Card>
        <TaskTable
          tasks={tasks}
          loading={loading}
          action={(r) => (
            <Link to={`/tasks/${r.id}?tab=draw`}>
              <Button
                size="small"
                type={r.targetCount === 0 ? 'primary' : 'default'}
                data-testid={`draw-open-${r.id}`}
              >
                {r.targetCount === 0 ? t('draws.start') : t('draws.view')}
              </Button>
            </Link>
          )}
        />
      </Card>
    </PageFrame>
  );
}
