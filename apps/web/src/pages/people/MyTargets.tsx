/** 我的检查对象: the targets whose team holds the inspector's own record, laid out for a phone. */
import { Link } from 'react-router-dom';
import { Alert, Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDate, PageFrame } from '../../components/common.tsx';
import { DeadlineTag } from '../../components/DeadlineTag.tsx';

interface MyTarget {
  targetId: number;
  taskId: number;
  taskName: string;
  windowStart: string;
  windowEnd: string;
  entityId: number;
  entityName: string;
  entityCode: string | null;
  address: string | null;
  resultStatus: string | null;
  resultId: number | null;
  reviewNote: string | null;
  response: string | null;
  deadline: { dueOn: string; state: string; remaining: number } | null;
}

export default function MyTargets() {
  const { t, tk } = useI18n();
  const me = useFetch<{ inspector: { id: number } | null }>('/api/me/inspector');
  const { data, loading } = useFetch<{ items: MyTarget[] }>('/api/me/targets');
  const items = data?.items ?? [];
  return (
    <PageFrame title={t('myTargets.title')} subtitle={t('myTargets.subtitle')}>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {me.data && !me.data.inspector ? (
          <Alert type="warning" showIcon title={t('recusal.notLinked')} />
        ) : null}
        <Card size="small" styles={{ body: { padding: 8 } }}>
          <List<MyTarget>
            loading={loading}
            dataSource={items}
            data-testid="my-targets"
            locale={{ emptyText: <Empty description={t('myTargets.none')} /> }}
            renderItem={(x) => (
              <List.Item
                data-testid={`my-target-${x.targetId}`}
                actions={[
                  <Link key="enter" to={`/results?taskId=${x.taskId}`}>
                    <Button
                      size="small"
                      type={x.resultStatus && x.resultStatus !== 'rejected' ? 'default' : 'primary'}
                      danger={x.resultStatus === 'rejected'}
                    >
                      {x.resultStatus === 'rejected' ? t('myTargets.reenter') : t('myTargets.enter')}
                    </Button>
                  </Link>,
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space wrap size={4}>
                      <span>{x.entityName}</span>
                      {x.resultStatus ? (
                        <Tag
                          color={
                            x.resultStatus === 'published'
                              ? 'green'
                              : x.resultStatus === 'rejected'
                                ? 'red'
                                : 'blue'
                          }
                        >
                          {tk('status', x.resultStatus)}
                        </Tag>
                      ) : (
                        <Tag color="orange">{t('myTargets.pending')}</Tag>
                      )}
                      {x.deadline && x.resultStatus !== 'published' ? (
                        <DeadlineTag due={x.deadline.dueOn} testId={`my-target-deadline-${x.targetId}`} />
                      ) : null}
                    </Space>
                  }
                  description={
                    <>
                      {x.reviewNote ? (
                        <Typography.Text
                          type="danger"
                          style={{ display: 'block' }}
                          data-testid={`my-target-reason-${x.targetId}`}
                        >
                          {t('myTargets.rejected', { reason: x.reviewNote })}
                        </Typography.Text>
                      ) : null}
                      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                        {x.taskName} · {fmtDate(x.windowStart)} ~ {fmtDate(x.windowEnd)}
                        {x.entityCode ? ` · ${x.entityCode}` : ''}
                        {x.address ? ` · ${x.address}` : ''}
                      </Typography.Text>
                    </>
                  }
                />
              </List.Item>
            )}
          />
        </Card>
      </Space>
    </PageFrame>
  );
}
