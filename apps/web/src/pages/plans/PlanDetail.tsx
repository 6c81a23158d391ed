/**
 * One plan version: state and actions (file 备案, approve/return for the joint office, amend,
 * close), its batches with their progress against the planned quantity (drawn, inspected,
 * published) and the button that opens a batch into a task, the completion (as of a date) and the
 * versions (an older version is read-only).
 */
import { useState, type HTMLAttributes } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Input,
  Modal,
  Progress,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Timeline,
} from 'antd';
import type { ButtonProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { PlanBatchBody, PlanBatchView, PlanDetail as PlanDetailView } from '@choucha/api';
import { api, request, useFetch } from '../../api/client.ts';
import { useDepartments } from '../../api/hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMe } from '../../auth/AuthContext.tsx';
import { fmtDate, fmtDateTime, NotFoundPage, PageFrame, StatusTag } from '../../components/common.tsx';
import { BatchForm } from './BatchForm.tsx';
import { pctText, usePlanReview } from './PlanList.tsx';

function samplingText(s: Record<string, unknown>, t: ReturnType<typeof useI18n>['t']): string {
  const p = (x: number) => `${Math.round(x * 1000) / 10}%`;
  const parts: string[] = [];
  if (typeof s.ratio === 'number') parts.push(p(s.ratio));
  if (s.classes && typeof s.classes === 'object')
    parts.push(
      Object.entries(s.classes as Record<string, number>)
        .map(([k, v]) => `${k} ${p(v)}`)
        .join(' · '),
    );
  if (typeof s.min === 'number') parts.push(t('plans.minN', { n: s.min }));
  if (typeof s.max === 'number') parts.push(t('plans.maxN', { n: s.max }));
  return parts.join('，');
}

export default function PlanDetail() {
  const { id } = useParams();
  const { t, tk } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const { modal, message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const asOf = params.get('asOf') ?? undefined;
  const { departments } = useDepartments();
  const { data: plan, loading, reload, error } = useFetch<PlanDetailView>(`/api/plans/${id}`, { asOf });
  const review = usePlanReview(reload);
  const [editing, setEditing] = useState<PlanBatchView | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [amending, setAmending] = useState(false);
  const [amendReason, setAmendReason] = useState('');
  if (error?.status === 404) return <NotFoundPage />;
  if (!plan) return <Card loading={loading} />;

  const jointOffice = me.role === 'joint_admin';
  const canWrite =
    plan.kind === 'joint'
      ? jointOffice
      : jointOffice || (me.role === 'dept_admin' && me.departmentId === plan.departmentId);
  const editable = canWrite && (plan.status === 'draft' || plan.status === 'returned');
  const inForce = plan.status === 'approved' || plan.status === 'in_progress';
  const laterVersion = plan.versions.find((v) => v.version > plan.version);
  const canOpen = (b: PlanBatchView) =>
    inForce &&
    b.taskId === null &&
    (canWrite ||
      (plan.kind === 'joint' && me.role === 'dept_admin' && me.departmentId === b.leadDepartmentId));

  const act = async (fn: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    try {
      await fn();
      message.success(ok);
      reload();
    } catch {
      // reported by the client
    } finally {
      setBusy(false);
    }
  };
  const saveBatch = (body: PlanBatchBody) =>
    void act(async () => {
      if (editing) await request('PUT', `/api/plan-batches/${editing.id}`, { body });
      else await api.post(`/api/plans/${plan.id}/batches`, body);
      setEditing(undefined);
    }, t('plans.saved'));
  const openBatch = (b: PlanBatchView) =>
    modal.confirm({
      title: t('plans.openConfirm', { name: b.name }),
      content: t('plans.openHint'),
      okText: t('plans.open'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'batch-open-ok' } as ButtonProps,
      onOk: async () => {
        const r = await api.post<{ taskId: number }>(`/api/plan-batches/${b.id}/open`, {});
        message.success(t('plans.opened'));
        reload();
        return r;
      },
    });
  const deleteBatch = (b: PlanBatchView) =>
    modal.confirm({
      title: t('plans.batchDeleteConfirm', { name: b.name }),
      okText: t('plans.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        await request('DELETE', `/api/plan-batches/${b.id}`);
        reload();
      },
    });

  const c = plan.completion;
  return (
    <PageFrame
      title={
        <Space wrap>
          {plan.name}
          <Tag>v{plan.version}</Tag>
          <StatusTag status={plan.status} prefix="planStatus" testId="plan-detail-status" />
        </Space>
      }
      subtitle={plan.kind === 'joint' ? t('plans.kind.joint') : plan.departmentName}
      extra={
        <>
          <DatePicker
            placeholder={t('plans.asOf')}
            value={asOf ? dayjs(asOf) : null}
            onChange={(d) => setParams(d ? { asOf: d.format('YYYY-MM-DD') } : {})}
          />
          {editable ? (
            <Button icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="batch-add">
              {t('plans.batchAdd')}
            </Button>
          ) : null}
          {editable ? (
            <Button
              type="primary"
              loading={busy}
              data-testid="plan-file"
              onClick={() =>
                modal.confirm({
                  title: t('plans.fileConfirm'),
                  okText: t('plans.file'),
                  cancelText: t('common.cancel'),
                  okButtonProps: { 'data-testid': 'plan-file-ok' } as ButtonProps,
                  onOk: () => act(() => api.post(`/api/plans/${plan.id}/file`, {}), t('plans.filed')),
                })
              }
            >
              {t('plans.file')}
            </Button>
          ) : null}
          {jointOffice && plan.status === 'filed' ? (
            <>
              <Button type="primary" data-testid="plan-approve" onClick={() => review.approve(plan)}>
                {t('plans.approve')}
              </Button>
              <Button danger data-testid="plan-return" onClick={() => review.returnPlan(plan)}>
                {t('plans.return')}
              </Button>
            </>
          ) : null}
          {canWrite && (inForce || plan.status === 'done') && !laterVersion ? (
            <Button onClick={() => setAmending(true)} data-testid="plan-amend">
              {t('plans.amend')}
            </Button>
          ) : null}
          {canWrite && plan.status === 'in_progress' ? (
            <Button
              data-testid="plan-close"
              onClick={() => void act(() => api.post(`/api/plans/${plan.id}/close`, {}), t('plans.closed'))}
            >
              {t('plans.close')}
            </Button>
          ) : null}
        </>
      }
    >
      {plan.status === 'returned' && plan.returnReason ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('plans.returnedBanner')}
          description={plan.returnReason}
          data-testid="plan-return-reason-shown"
        />
      ) : null}
      {plan.status === 'superseded' || laterVersion ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={
            plan.status === 'superseded'
              ? t('plans.supersededBanner')
              : t('plans.amendmentBanner', {
                  v: laterVersion!.version,
                  status: tk('planStatus', laterVersion!.status),
                })
          }
          action={
            laterVersion ? (
              <Link to={`/plans/${laterVersion.id}`}>
                {t('plans.openVersion', { v: laterVersion.version })}
              </Link>
            ) : null
          }
        />
      ) : null}
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={24} md={16}>
          <Card size="small">
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t('plans.year')}>{plan.year}</Descriptions.Item>
              <Descriptions.Item label={t('plans.kind')}>{t(`plans.kind.${plan.kind}`)}</Descriptions.Item>
              <Descriptions.Item label={t('plans.filedAt')}>{fmtDateTime(plan.filedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('plans.decidedAt')}>
                {fmtDateTime(plan.decidedAt)}
              </Descriptions.Item>
              {plan.amendReason ? (
                <Descriptions.Item label={t('plans.amendReason')}>{plan.amendReason}</Descriptions.Item>
              ) : null}
              {plan.note ? <Descriptions.Item label={t('plans.note')}>{plan.note}</Descriptions.Item> : null}
            </Descriptions>
          </Card>
        </Col>
        <Col xs={12} md={4}>
          <Card size="small" data-testid="plan-batch-rate">
            <Statistic
              title={t('plans.batchRate')}
              value={pctText(c.batchRate)}
              suffix={<span style={{ fontSize: 13 }}>{`${c.batchesDone}/${c.batches}`}</span>}
            />
          </Card>
        </Col>
        <Col xs={12} md={4}>
          <Card size="small" data-testid="plan-target-rate">
            <Statistic
              title={t('plans.targetRate')}
              value={pctText(c.targetRate)}
              suffix={<span style={{ fontSize: 13 }}>{`${c.published}/${c.planned}`}</span>}
            />
          </Card>
        </Col>
      </Row>
      <Card title={t('plans.batches')} style={{ marginBottom: 16 }}>
        <Table<PlanBatchView>
          rowKey="id"
          dataSource={plan.batches}
          size="middle"
          pagination={false}
          scroll={{ x: 1240 }}
          data-testid="batch-table"
          onRow={(r) => ({ 'data-testid': `batch-row-${r.id}` }) as HTMLAttributes<HTMLElement>}
          columns={[
            { title: '#', dataIndex: 'seq', width: 50 },
            {
              title: t('plans.batchName'),
              dataIndex: 'name',
              width: 190,
              render: (v: string, r) => (
                <Space size={4} wrap>
                  {v}
                  {r.cooperatingDepartmentIds.length ? <Tag color="purple">{t('tasks.joint')}</Tag> : null}
                  <Tag>{r.directed ? t('plans.directed') : t('plans.undirected')}</Tag>
                </Space>
              ),
            },
            {
              title: t('plans.lead'),
              key: 'lead',
              width: 170,
              render: (_v, r) => (
                <span>
                  {r.leadDepartmentName}
                  {r.cooperatingDepartmentNames.length ? (
                    <div style={{ color: '#888', fontSize: 12 }}>
                      {t('plans.cooperating')}：{r.cooperatingDepartmentNames.join('、')}
                    </div>
                  ) : null}
                </span>
              ),
            },
            {
              title: t('plans.window'),
              key: 'window',
              width: 180,
              render: (_v, r) => `${fmtDate(r.windowStart)} ~ ${fmtDate(r.windowEnd)}`,
            },
            {
              title: t('tasks.sampling'),
              key: 'sampling',
              width: 120,
              render: (_v, r) => samplingText(r.sampling, t),
            },
            {
              title: t('plans.progress'),
              key: 'progress',
              width: 250,
              render: (_v, r) => (
                <div data-testid="batch-progress">
                  <div style={{ fontSize: 12 }}>
                    {t('plans.progressLine', {
                      planned: r.progress.planned,
                      drawn: r.progress.drawn,
                      inspected: r.progress.inspected,
                      published: r.progress.published,
                    })}
                  </div>
                  <Progress
                    size="small"
                    percent={Math.min(100, Math.round((r.progress.published / r.progress.planned) * 100))}
                    success={{
                      percent: Math.min(100, Math.round((r.progress.published / r.progress.planned) * 100)),
                    }}
                  />
                </div>
              ),
            },
            {
              title: t('plans.task'),
              key: 'task',
              width: 150,
              render: (_v, r) =>
                r.taskId ? (
                  <Space size={4}>
                    <Link to={`/tasks/${r.taskId}`} data-testid="batch-task-link">
                      {t('plans.taskN', { id: r.taskId })}
                    </Link>
                    {r.taskStatus ? <StatusTag status={r.taskStatus} /> : null}
                  </Space>
                ) : (
                  <span style={{ color: '#999' }}>{t('plans.notOpened')}</span>
                ),
            },
            {
              title: t('common.actions'),
              key: 'act',
              width: 170,
              render: (_v, r) => (
                <Space size={4}>
                  {editable && r.taskId === null ? (
                    <>
                      <Button size="small" onClick={() => setEditing(r)} data-testid="batch-edit">
                        {t('plans.edit')}
                      </Button>
                      <Button size="small" danger onClick={() => deleteBatch(r)}>
                        {t('plans.delete')}
                      </Button>
                    </>
                  ) : null}
                  {canOpen(r) ? (
                    <Button size="small" type="primary" onClick={() => openBatch(r)} data-testid="batch-open">
                      {t('plans.open')}
                    </Button>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card title={t('plans.versions')} size="small">
        <Timeline
          items={plan.versions.map((v) => ({
            color: v.id === plan.id ? 'blue' : 'gray',
            content: (
              <span>
                {v.id === plan.id ? (
                  <strong>v{v.version}</strong>
                ) : (
                  <Link to={`/plans/${v.id}`}>v{v.version}</Link>
                )}{' '}
                <StatusTag status={v.status} prefix="planStatus" /> {fmtDateTime(v.createdAt)}
                {v.amendReason ? <span style={{ color: '#888' }}> · {v.amendReason}</span> : null}
              </span>
            ),
          }))}
        />
      </Card>
      {editing !== undefined ? (
        <BatchForm
          open
          plan={plan}
          batch={editing}
          departments={departments}
          busy={busy}
          onCancel={() => setEditing(undefined)}
          onSubmit={saveBatch}
        />
      ) : null}
      <Modal
        open={amending}
        title={t('plans.amendTitle')}
        okText={t('plans.amend')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: amendReason.trim().length < 2 } as ButtonProps}
        onCancel={() => setAmending(false)}
        onOk={async () => {
          try {
            const next = await api.post<PlanDetailView>(`/api/plans/${plan.id}/amend`, {
              reason: amendReason.trim(),
            });
            setAmending(false);
            setAmendReason('');
            void navigate(`/plans/${next.id}`);
          } catch {
            // reported by the client
          }
        }}
      >
        <Alert type="info" style={{ marginBottom: 12 }} title={t('plans.amendHint')} />
        <Input.TextArea
          rows={3}
          value={amendReason}
          maxLength={2000}
          placeholder={t('plans.amendReasonPlaceholder')}
          onChange={(e) => setAmendReason(e.target.value)}
        />
      </Modal>
      {review.dialog}
    </PageFrame>
  );
}
