/**
 * One result's detail for staff: the result per item, the follow-ups with their deadlines, the
 * attachments (downloaded by staff only, never public), the rejection reason with the answer, and
 * the corrections (更正).
 */
import { Descriptions, Empty, List, Space, Spin, Tag, Typography } from 'antd';
import type { ResultDetail } from '@choucha/api';
import { useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDate, fmtDateTime } from '../../components/common.tsx';

const kb = (n: number) =>
  n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

export function ResultDetailPanel({ resultId }: { resultId: number }) {
  const { t, tv } = useI18n();
  const { data, loading } = useFetch<ResultDetail>(`/api/results/${resultId}`);
  if (loading && !data) return <Spin />;
  if (!data) return <Empty />;
  return (
    <Space
      orientation="vertical"
      size={8}
      style={{ width: '100%' }}
      data-testid={`result-detail-${resultId}`}
    >
      {data.reviewNote ? (
        <Typography.Text>
          {t('review.rejectReason')}：{data.reviewNote}
          {data.response ? `；${t('review.response')}：${data.response}` : ''}
        </Typography.Text>
      ) : null}
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('results.items')}>
          {data.items.length === 0
            ? '—'
            : data.items.map((i) => (
                <div key={i.itemId}>
                  {i.name}：
                  <Tag
                    color={i.outcome === '不合格' ? 'volcano' : i.outcome === '合格' ? 'green' : 'default'}
                  >
                    {tv(i.outcome)}
                  </Tag>
                  {i.codes.map(tv).join('、')}
                  {i.note ? `（${i.note}）` : ''}
                </div>
              ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('followUps.title')}>
          {data.followUpActions.length === 0
            ? '—'
            : data.followUpActions.map((f) => (
                <div key={f.id}>
                  {tv(f.action)}
                  {f.dueOn ? ` · ${t('followUps.due')} ${fmtDate(f.dueOn)}` : ''}
                  {f.receivingDepartment
                    ? ` · ${t('followUps.receiving')}：${f.receivingDepartment}`
                    : ''}{' '}
                  <Tag color={f.state === 'done' ? 'green' : 'orange'}>
                    {t(f.state === 'done' ? 'followUps.done' : 'followUps.open')}
                  </Tag>
                  {f.recheckResult
                    ? `${t('followUps.recheck')}：${tv(f.recheckResult)}（${fmtDate(f.recheckOn)}）`
                    : ''}
                </div>
              ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('results.attachments')}>
          {data.attachments.length === 0 ? (
            '—'
          ) : (
            <List
              size="small"
              dataSource={data.attachments}
              renderItem={(a) => (
                <List.Item>
                  <a
                    href={`/api/attachments/${a.id}`}
                    target="_blank"
                    rel="noreferrer"
                    data-testid="attachment-link"
                  >
                    {a.fileName}
                  </a>
                  <Typography.Text type="secondary">{kb(a.size)}</Typography.Text>
                </List.Item>
              )}
            />
          )}
        </Descriptions.Item>
        {data.corrections.length ? (
          <Descriptions.Item label={t('public.corrected')}>
            {data.corrections.map((c) => (
              <div key={c.version}>
                {t('review.version', { n: c.version })} · {fmtDateTime(c.correctedAt)} · {c.reason}
              </div>
            ))}
          </Descriptions.Item>
        ) : null}
      </Descriptions>
    </Space>
  );
}
