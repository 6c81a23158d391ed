import { Link, useParams } from 'react-router-dom';
import { Button, Card, Empty } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { DrawView } from '@choucha/api';
import { useFetch } from '../../api/client.ts';
import { useDepartments } from '../../api/hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useAuth } from '../../auth/AuthContext.tsx';
import { PageFrame } from '../../components/common.tsx';
import { PageSpinner } from '../../layout/AppLayout.tsx';
import { DrawWizard } from './DrawWizard.tsx';
import { DrawExclusions } from './DrawExclusions.tsx';

export default function DrawPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const { hasRole } = useAuth();
  const { departments } = useDepartments();
  const { data, loading, setData } = useFetch<DrawView>(`/api/draws/${id ?? ''}`);
  if (loading && !data) return <PageSpinner />;
  if (!data) return <Empty />;
  return (
    <PageFrame
      title={t('draws.pageTitle', { id: data.id, attempt: data.attempt })}
      extra={
        <Link to={`/tasks/${data.taskId}?tab=draw`}>
          <Button icon={<ArrowLeftOutlined />}>{t('draws.backToTask')}</Button>
        </Link>
      }
    >
      <Card>
        <DrawWizard
          key={data.id}
          taskId={data.taskId}
          draw={data}
          departments={departments}
          canEdit={hasRole('joint_admin', 'dept_admin')}
          onChange={setData}
        />
      </Card>
      <DrawExclusions drawId={data.id} />
    </PageFrame>
  );
}
