/** The joint office reviews submitted results and publishes them (or sends them back). */
import type React from 'react';
import { useState } from 'react';
import { App, Button, Card, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import type { ReviewRow } from '@choucha/api';
import { api, useFetch } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { fmtDate, fmtDateTime, PageFrame, StatusTag } from '../components/common.tsx';

type Filter = 'submitted' | 'rejected' | 'published';

export default function Review() {
  const { t, tv } = useI18n();
  const { message } = App.useApp();
  const [status, setStatus] = useState<Filter>('submitted');
  const { data, loading, reload } = useFetch<{ items: ReviewRow[] }>('/api/review', { status });
  const [busyId, setBusyId] = useState<number | null>(null);
  const [rejecting, setRejecting] = useState<ReviewRow | null>(null);
  const [note, setNote] = useState('');

  const publish = async (r: ReviewRow) => {
    setBusyId(r.resultId);
    try {
      await api.post(`/api/results/${r.resultId}/publish`, {});
      message.success(t('review.publishedOk', { name: r.entityName }));
      reload();
    } catch {
      // reported
    } finally {
      setBusyId(null);
    }
  };

  const reject = async () => {
    if (!rejecting) return;
    setBusyId(rejecting.resultId);
    try {
      await api.post(`/api/results/${rejecting.resultId}/reject`, note.trim() ? { note: note.trim() } : {});
      message.success(t('review.rejectedOk'));
      setRejecting(null);
      setNote('');
      reload();
    } catch {
      // reported
    } finally {
      setBusyId(null);
    }
  };

  return (
    <PageFrame title={t('review.title')} subtitle={t('review.subtitle')}>
      <Card>
        <Segmented<Filter>
          value={status}
          onChange={setStatus}
          style={{ marginBottom: 16 }}
          data-testid="review-filter"
          options={(['submitted', 'rejected', 'published'] as const).map((s) => ({
            value: s,
            label: t(`review.filter.${s}`),
          }))}
        />
        <Table<ReviewRow>
          rowKey="resultId"
          loading={loading}
          dataSource={data?.items ?? []}
          size="middle"
          scroll={{ x: 1560 }}
          data-testid="review-table"
          onRow={(r) => ({ 'data-testid': `review-row-${r.resultId}` }) as React.HTMLAttributes<HTMLElement>}
          pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
          columns={[
            { title: t('review.task'), dataIndex: 'taskName', width: 200 },
            { title: t('common.department'), dataIndex: 'departmentName', width: 150 },
            {
              title: t('review.entity'),
              dataIndex: 'entityName',
              width: 220,
              render: (v: string, r) => (
                <>
                  <div>{v}</div>
                  <Typography.Text
                    type="secondary"
                    style={{ fontSize: 12, fontFamily: 'ui-monospace, Menlo, monospace' }}
                  >
                    {r.key}
                  </Typography.Text>
                </>
              ),
            },
            {
              title: t('results.codes'),
              dataIndex: 'codes',
              width: 280,
              render: (v: string[]) =>
                v.map((c) => (
                  <Tag key={c} color={c === '未发现问题' ? 'green' : 'volcano'} style={{ marginBottom: 2 }}>
                    {tv(c)}
                  </Tag>
                )),
            },
            {
              title: t('results.followUps'),
              dataIndex: 'followUps',
              width: 140,
              render: (v: string[]) => v.map(tv).join('、') || '—',
            },
            {
              title: t('results.inspectedOn'),
              dataIndex: 'inspectedOn',
              width: 110,
              render: (v: string) => fmtDate(v),
            },
            {
              title: t('review.enteredAt'),
              dataIndex: 'enteredAt',
              width: 170,
              render: (v: string) => fmtDateTime(v),
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              width: 90,
              render: (v: string) => <StatusTag status={v} />,
            },
            {
              title: t('common.actions'),
              key: 'act',
              width: 210,
              fixed: 'right',
              render: (_v, r) =>
                r.status === 'submitted' ? (
                  <Space>
                    <Button
                      type="primary"
                      size="small"
                      loading={busyId === r.resultId}
                      onClick={() => void publish(r)}
                      data-testid="review-publish"
                    >
                      {t('review.publish')}
                    </Button>
                    <Button size="small" danger onClick={() => setRejecting(r)} data-testid="review-reject">
                      {t('review.reject')}
                    </Button>
                  </Space>
                ) : null,
            },
          ]}
        />
      </Card>
      <Modal
        open={!!rejecting}
        title={t('review.rejectTitle', { name: rejecting?.entityName ?? '' })}
        onCancel={() => setRejecting(null)}
        onOk={() => void reject()}
        okText={t('review.reject')}
        okButtonProps={
          { danger: true, loading: busyId !== null, 'data-testid': 'review-reject-confirm' } as ButtonProps
        }
      >
        <Input.TextArea
          rows={4}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t('review.rejectNote')}
          maxLength={1000}
          showCount
          data-testid="review-reject-note"
        />
      </Modal>
    </PageFrame>
  );
}
