/**
 * 审核公示: a department admin approves his department's results or sends them back with a reason
 * (the enterer sees it and answers); the joint office publishes the approved ones (or approves and
 * publishes on a department's behalf) and corrects published ones (更正, a new public version with
 * its reason). Filters: task, department, deadline state; sorted by the publicity deadline
 * (inspection + 20 working days), overdue in red; bulk approval / publication with a confirmation.
 */
import type React from 'react';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  App,
  Button,
  Card,
  Checkbox,
  Input,
  Modal,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ButtonProps } from 'antd';
import { RESULT_CODES } from '@choucha/api';
import type { ReviewList, ReviewRow } from '@choucha/api';
import { api, useFetch } from '../api/client.ts';
import { useDepartments, useTasks } from '../api/hooks.ts';
import { useI18n } from '../i18n/index.tsx';
import { useMe } from '../auth/AuthContext.tsx';
import { fmtDate, fmtDateTime, PageFrame, StatusTag } from '../components/common.tsx';
import { DeadlineTag } from '../components/DeadlineTag.tsx';
import { ResultDetailPanel } from './results/ResultDetailPanel.tsx';

type Filter = 'submitted' | 'approved' | 'rejected' | 'published';
type DeadlineFilter = 'ok' | 'due_soon' | 'overdue';
type Code = (typeof RESULT_CODES)[number];

export default function Review() {
  const { t, tv } = useI18n();
  const { message, modal } = App.useApp();
  const me = useMe();
  const joint = me.role === 'joint_admin';
  // the dashboard's deadlines open the queue on a task and a stage (?status=approved&taskId=3)
  const [params] = useSearchParams();
  const given = params.get('status');
  const [status, setStatus] = useState<Filter>(
    given === 'approved' || given === 'rejected' || given === 'published' ? given : 'submitted',
  );
  const [taskId, setTaskId] = useState<number | undefined>(() => {
    const n = Number(params.get('taskId'));
    return Number.isInteger(n) && n > 0 ? n : undefined;
  });
  const [departmentId, setDepartmentId] = useState<number | undefined>();
  const [deadline, setDeadline] = useState<DeadlineFilter | undefined>();
  const [sort, setSort] = useState<'deadline' | 'entered'>('deadline');
  const { tasks } = useTasks();
  const { departments } = useDepartments();
  const { data, loading, reload } = useFetch<ReviewList>('/api/review', {
    status,
    taskId,
    departmentId,
    deadline,
    sort,
  });
  const rows = data?.items ?? [];
  const [selected, setSelected] = useState<number[]>([]);
  const [busyId, setBusyId] = useState<number | null>(null);
  const [rejecting, setRejecting] = useState<ReviewRow | null>(null);
  const [note, setNote] = useState('');
  const [correcting, setCorrecting] = useState<ReviewRow | null>(null);
  const [reason, setReason] = useState('');
  const [codes, setCodes] = useState<Code[]>([]);

  const refresh = () => {
    setSelected([]);
    reload();
  };

  const act = async (r: ReviewRow, what: 'approve' | 'publish') => {
    setBusyId(r.resultId);
    try {
      await api.post(`/api/results/${r.resultId}/${what}`, {});
      message.success(
        t(what === 'approve' ? 'review.approvedOk' : 'review.publishedOk', { name: r.entityName }),
      );
      refresh();
    } catch {
      // reported
    } finally {
      setBusyId(null);
    }
  };

  const bulk = (what: 'approve' | 'publish') => {
    const chosen = rows.filter((r) => selected.includes(r.resultId));
    const names = chosen
      .slice(0, 5)
      .map((r) => r.entityName)
      .join('、');
    modal.confirm({
      title: t(what === 'approve' ? 'review.bulkApproveConfirm' : 'review.bulkPublishConfirm', {
        n: chosen.length,
      }),
      content: t('review.bulkConfirmHint', { names: chosen.length > 5 ? `${names}……` : names }),
      okText: t(what === 'approve' ? 'review.approve' : 'review.publishOnly'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'review-bulk-confirm' } as ButtonProps,
      onOk: async () => {
        await api.post(`/api/results/${what}`, { ids: chosen.map((r) => r.resultId) });
        message.success(t('review.bulkDone', { n: chosen.length }));
        refresh();
      },
    });
  };

  const reject = async () => {
    if (!rejecting) return;
    setBusyId(rejecting.resultId);
    try {
      await api.post(`/api/results/${rejecting.resultId}/reject`, note.trim() ? { note: note.trim() } : {});
      message.success(t('review.rejectedOk'));
      setRejecting(null);
      setNote('');
      refresh();
    } catch {
      // reported
    } finally {
      setBusyId(null);
    }
  };

  const correct = async () => {
    if (!correcting) return;
    setBusyId(correcting.resultId);
    try {
      await api.post(`/api/results/${correcting.resultId}/corrections`, {
        reason: reason.trim(),
        codes,
        followUps: correcting.followUps,
      });
      message.success(t('review.correctedOk'));
      setCorrecting(null);
      refresh();
    } catch {
      // reported
    } finally {
      setBusyId(null);
    }
  };

  const mayApprove = status === 'submitted';
  const mayPublish = joint && (status === 'submitted' || status === 'approved');
  const selectable = mayApprove || mayPublish;
  const noProblem = codes.includes('未发现问题');

  return (
    <PageFrame title={t('review.title')} subtitle={joint ? t('review.subtitle') : t('review.subtitleDept')}>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Segmented<Filter>
            value={status}
            onChange={(v) => {
              setStatus(v);
              setSelected([]);
            }}
            data-testid="review-filter"
            options={(['submitted', 'approved', 'rejected', 'published'] as const).map((s) => ({
              value: s,
              label: t(`review.filter.${s}`),
            }))}
          />
          <Select<number>
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 260 }}
            placeholder={t('review.filterTask')}
            value={taskId ?? null}
            onChange={(v) => setTaskId(v ?? undefined)}
            data-testid="review-filter-task"
            options={tasks.map((x) => ({ value: x.id, label: x.name }))}
          />
          {joint || me.role === 'leader' ? (
            <Select<number>
              allowClear
              style={{ width: 200 }}
              placeholder={t('review.filterDepartment')}
              value={departmentId ?? null}
              onChange={(v) => setDepartmentId(v ?? undefined)}
              data-testid="review-filter-department"
              options={departments.map((d) => ({ value: d.id, label: d.name }))}
            />
          ) : null}
          <Select<DeadlineFilter>
            allowClear
            style={{ width: 150 }}
            placeholder={t('review.filterDeadline')}
            value={deadline ?? null}
            onChange={(v) => setDeadline(v ?? undefined)}
            data-testid="review-filter-deadline"
            options={(['overdue', 'due_soon', 'ok'] as const).map((d) => ({
              value: d,
              label: t(`deadlineFilter.${d}`),
            }))}
          />
          <Segmented<'deadline' | 'entered'>
            value={sort}
            onChange={setSort}
            data-testid="review-sort"
            options={[
              { value: 'deadline', label: t('review.sortDeadline') },
              { value: 'entered', label: t('review.sortEntered') },
            ]}
          />
          {mayApprove && !joint ? (
            <Button
              type="primary"
              disabled={selected.length === 0}
              onClick={() => bulk('approve')}
              data-testid="review-bulk-approve"
            >
              {t('review.bulkApprove', { n: selected.length })}
            </Button>
          ) : null}
          {mayPublish ? (
            <Button
              type="primary"
              disabled={selected.length === 0}
              onClick={() => bulk('publish')}
              data-testid="review-bulk-publish"
            >
              {t('review.bulkPublish', { n: selected.length })}
            </Button>
          ) : null}
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {t('review.deadlineHint')}
        </Typography.Paragraph>
        <Table<ReviewRow>
          rowKey="resultId"
          loading={loading}
          dataSource={rows}
          size="middle"
          scroll={{ x: 1700 }}
          data-testid="review-table"
          onRow={(r) =>
            ({
              'data-testid': `review-row-${r.resultId}`,
              'data-deadline': r.deadline.state,
            }) as React.HTMLAttributes<HTMLElement>
          }
          {...(selectable
            ? {
                rowSelection: {
                  selectedRowKeys: selected,
                  onChange: (keys: React.Key[]) => setSelected(keys.map(Number)),
                  columnWidth: 40,
                },
              }
            : {})}
          expandable={{
            expandedRowRender: (r) => <ResultDetailPanel resultId={r.resultId} />,
            columnTitle: t('review.details'),
          }}
          pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
          columns={[
            {
              title: t('review.deadline'),
              key: 'deadline',
              width: 250,
              render: (_v, r) =>
                r.publishedAt ? (
                  <Tag color={r.deadline.state === 'overdue' ? 'red' : 'green'} data-testid="review-timely">
                    {t(r.deadline.state === 'overdue' ? 'review.publishedLate' : 'review.publishedOnTime')}
                  </Tag>
                ) : (
                  <span data-testid="review-deadline">
                    <DeadlineTag due={r.deadline.dueOn} today={data?.today ?? r.deadline.dueOn} />
                  </span>
                ),
            },
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
              width: 260,
              render: (v: string[], r) => (
                <>
                  {v.map((c) => (
                    <Tag key={c} color={c === '未发现问题' ? 'green' : 'volcano'} style={{ marginBottom: 2 }}>
                      {tv(c)}
                    </Tag>
                  ))}
                  {r.version > 1 ? <Tag color="purple">{t('review.version', { n: r.version })}</Tag> : null}
                </>
              ),
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
              title: t('review.enteredBy'),
              key: 'entered',
              width: 170,
              render: (_v, r) => (
                <>
                  <div>{r.enteredByName ?? '—'}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {fmtDateTime(r.enteredAt)}
                  </Typography.Text>
                </>
              ),
            },
            {
              title: t('review.rejectReason'),
              key: 'reason',
              width: 240,
              render: (_v, r) =>
                r.reviewNote ? (
                  <div data-testid="review-reason">
                    <div>{r.reviewNote}</div>
                    {r.response ? (
                      <Typography.Text type="success" data-testid="review-response">
                        {t('review.response')}：{r.response}
                      </Typography.Text>
                    ) : null}
                  </div>
                ) : (
                  '—'
                ),
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              width: 100,
              render: (v: string) => <StatusTag status={v} />,
            },
            {
              title: t('common.actions'),
              key: 'act',
              width: 230,
              fixed: 'right',
              render: (_v, r) => (
                <Space>
                  {r.status === 'submitted' && !joint ? (
                    <Button
                      type="primary"
                      size="small"
                      loading={busyId === r.resultId}
                      onClick={() => void act(r, 'approve')}
                      data-testid="review-approve"
                    >
                      {t('review.approve')}
                    </Button>
                  ) : null}
                  {joint && (r.status === 'submitted' || r.status === 'approved') ? (
                    <Button
                      type="primary"
                      size="small"
                      loading={busyId === r.resultId}
                      onClick={() => void act(r, 'publish')}
                      data-testid="review-publish"
                    >
                      {r.status === 'submitted' ? t('review.publish') : t('review.publishOnly')}
                    </Button>
                  ) : null}
                  {r.status === 'submitted' || r.status === 'approved' ? (
                    <Button size="small" danger onClick={() => setRejecting(r)} data-testid="review-reject">
                      {t('review.reject')}
                    </Button>
                  ) : null}
                  {joint && r.status === 'published' ? (
                    <Button
                      size="small"
                      onClick={() => {
                        setCorrecting(r);
                        setReason('');
                        setCodes(r.codes as Code[]);
                      }}
                      data-testid="review-correct"
                    >
                      {t('review.correct')}
                    </Button>
                  ) : null}
                </Space>
              ),
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
        cancelText={t('common.cancel')}
        okButtonProps={
          {
            danger: true,
            disabled: !note.trim(),
            loading: busyId !== null,
            'data-testid': 'review-reject-confirm',
          } as ButtonProps
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
      <Modal
        open={!!correcting}
        title={t('review.correctTitle', { name: correcting?.entityName ?? '' })}
        onCancel={() => setCorrecting(null)}
        onOk={() => void correct()}
        okText={t('review.correct')}
        cancelText={t('common.cancel')}
        width={560}
        okButtonProps={
          {
            disabled: reason.trim().length < 2 || codes.length === 0,
            loading: busyId !== null,
            'data-testid': 'review-correct-confirm',
          } as ButtonProps
        }
      >
        <Typography.Paragraph type="secondary">{t('review.correctHint')}</Typography.Paragraph>
        <Checkbox.Group
          value={codes}
          onChange={(v) => setCodes(v as Code[])}
          style={{ display: 'flex', flexDirection: 'column', gap: 6, marginBottom: 12 }}
          data-testid="review-correct-codes"
        >
          {RESULT_CODES.map((c) => (
            <Checkbox
              key={c}
              value={c}
              disabled={
                (noProblem && c !== '未发现问题') || (!noProblem && codes.length > 0 && c === '未发现问题')
              }
            >
              {tv(c)}
            </Checkbox>
          ))}
        </Checkbox.Group>
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('review.correctReason')}
          maxLength={1000}
          showCount
          data-testid="review-correct-reason"
        />
      </Modal>
    </PageFrame>
  );
}
