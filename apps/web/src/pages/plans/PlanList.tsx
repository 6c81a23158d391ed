/**
 * Annual plans of a year (年度抽查计划): every department's plan and the joint plan the actor reads,
 * with state and completion (as of a date: "60 % by June" is the completion as of 30 June), the
 * departments without a plan, and for the joint office the filed plans awaiting approval (备案审核).
 */
import { useState, type HTMLAttributes } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
} from 'antd';
import type { ButtonProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { CreatePlanBody, PlanDetail, PlanRow, PlanYearView } from '@choucha/api';
import { api, useFetch } from '../../api/client.ts';
import { useDepartments } from '../../api/hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMe } from '../../auth/AuthContext.tsx';
import { fmtDate, fmtDateTime, PageFrame, StatusTag } from '../../components/common.tsx';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';

export const pctText = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function CompletionBars({ c, testId }: { c: PlanRow['completion']; testId?: string }) {
  const { t } = useI18n();
  return (
    <div data-testid={testId} style={{ minWidth: 180 }}>
      <div style={{ fontSize: 12, color: '#888' }}>
        {t('plans.batchRate')} {c.batchesDone}/{c.batches}
      </div>
      <Progress size="small" percent={Math.round(c.batchRate * 1000) / 10} />
      <div style={{ fontSize: 12, color: '#888' }}>
        {t('plans.targetRate')} {c.published}/{c.planned}
      </div>
      <Progress size="small" percent={Math.round(c.targetRate * 1000) / 10} status="normal" />
    </div>
  );
}

function NewPlan({ open, year, onClose }: { open: boolean; year: number; onClose: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const { departments } = useDepartments();
  const [form] = Form.useForm<CreatePlanBody>();
  const kind = Form.useWatch('kind', form) ?? 'department';
  const [busy, setBusy] = useState(false);
  const submit = async (v: CreatePlanBody) => {
    setBusy(true);
    try {
      const p = await api.post<PlanDetail>('/api/plans', { ...v, name: v.name.trim() });
      onClose();
      void navigate(`/plans/${p.id}`);
    } catch {
      // reported by the client
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('plans.new')}
      okText={t('plans.create')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'plan-create-submit' } as ButtonProps}
      destroyOnHidden
    >
      <Form<CreatePlanBody>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{ kind: 'department', year, name: t('plans.defaultName', { year }) }}
      >
        {me.role === 'joint_admin' ? (
          <Form.Item name="kind" label={t('plans.kind')}>
            <Radio.Group
              data-testid="plan-kind"
              onChange={(e) =>
                form.setFieldValue(
                  'name',
                  e.target.value === 'joint'
                    ? t('plans.defaultJointName', { year: form.getFieldValue('year') as number })
                    : t('plans.defaultName', { year: form.getFieldValue('year') as number }),
                )
              }
              options={[
                { value: 'department', label: t('plans.kind.department') },
                { value: 'joint', label: <span data-testid="plan-kind-joint">{t('plans.kind.joint')}</span> },
              ]}
            />
          </Form.Item>
        ) : null}
        {me.role === 'joint_admin' && kind === 'department' ? (
          <Form.Item name="departmentId" label={t('common.department')} rules={[{ required: true }]}>
            <DepartmentSelect departments={departments} width="100%" testId="plan-department" />
          </Form.Item>
        ) : null}
        <Form.Item name="year" label={t('plans.year')} rules={[{ required: true }]}>
          <InputNumber<number> min={2000} max={2999} precision={0} data-testid="plan-year" />
        </Form.Item>
        <Form.Item name="name" label={t('plans.name')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="plan-name" />
        </Form.Item>
        <Form.Item name="note" label={t('plans.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function PlanTable({
  plans,
  loading,
  review,
}: {
  plans: PlanRow[];
  loading: boolean;
  review?: ReviewActions;
}) {
  const { t, tk } = useI18n();
  return (
    <Table<PlanRow>
      rowKey="id"
      loading={loading}
      dataSource={plans}
      size="middle"
      scroll={{ x: 1100 }}
      pagination={false}
      data-testid={review ? 'plan-review-table' : 'plan-table'}
      onRow={(r) => ({ 'data-testid': `plan-row-${r.id}` }) as HTMLAttributes<HTMLElement>}
      columns={[
        {
          title: t('plans.owner'),
          key: 'owner',
          width: 200,
          render: (_v, r) =>
            r.kind === 'joint' ? <Tag color="purple">{t('plans.kind.joint')}</Tag> : r.departmentName,
        },
        {
          title: t('plans.name'),
          dataIndex: 'name',
          width: 260,
          render: (v: string, r) => (
            <Link to={`/plans/${r.id}`} data-testid="plan-link">
              {v}
            </Link>
          ),
        },
        { title: t('plans.version'), dataIndex: 'version', width: 70, render: (v: number) => `v${v}` },
        {
          title: t('common.status'),
          dataIndex: 'status',
          width: 150,
          render: (v: string, r) => (
            <Space size={4} wrap>
              <StatusTag status={v} prefix="planStatus" testId="plan-status" />
              {r.amendment ? (
                <Tag color="orange">
                  {t('plans.amendmentPending', { v: r.amendment.version })} ·{' '}
                  {tk('planStatus', r.amendment.status)}
                </Tag>
              ) : null}
            </Space>
          ),
        },
        {
          title: t('plans.batches'),
          key: 'batches',
          width: 120,
          render: (_v, r) => (
            <span>
              {t('plans.openedOf', { opened: r.openedCount, total: r.batchCount })}
              {r.jointBatchCount ? (
                <span style={{ color: '#888' }}> · {t('plans.jointBatches', { n: r.jointBatchCount })}</span>
              ) : null}
            </span>
          ),
        },
        {
          title: t('plans.completion'),
          key: 'completion',
          width: 220,
          render: (_v, r) => <CompletionBars c={r.completion} />,
        },
        {
          title: review ? t('plans.filedAt') : t('plans.updatedAt'),
          key: 'when',
          width: 160,
          render: (_v, r) => (review ? fmtDateTime(r.filedAt) : fmtDate(r.updatedAt)),
        },
        ...(review
          ? [
              {
                title: t('common.actions'),
                key: 'act',
                width: 170,
                render: (_v: unknown, r: PlanRow) => (
                  <Space>
                    <Button
                      size="small"
                      type="primary"
                      data-testid="plan-approve"
                      onClick={() => review.approve(r)}
                    >
                      {t('plans.approve')}
                    </Button>
                    <Button size="small" danger data-testid="plan-return" onClick={() => review.return(r)}>
                      {t('plans.return')}
                    </Button>
                  </Space>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

interface ReviewActions {
  approve: (p: PlanRow) => void;
  return: (p: PlanRow) => void;
}

/** Approve or return a filed plan (the joint office); returning asks for the reason the department sees. */
export function usePlanReview(onDone: () => void) {
  const { t } = useI18n();
  const { modal, message } = App.useApp();
  const [returning, setReturning] = useState<{ id: number; name: string } | null>(null);
  const [reason, setReason] = useState('');
  const approve = (p: { id: number; name: string }): void => {
    void modal.confirm({
      title: t('plans.approveConfirm', { name: p.name }),
      okText: t('plans.approve'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'plan-approve-ok' } as ButtonProps,
      onOk: async () => {
        await api.post(`/api/plans/${p.id}/approve`, {});
        message.success(t('plans.approved'));
        onDone();
      },
    });
  };
  const dialog = (
    <Modal
      open={returning !== null}
      title={t('plans.returnTitle', { name: returning?.name ?? '' })}
      okText={t('plans.return')}
      cancelText={t('common.cancel')}
      okButtonProps={
        { danger: true, disabled: reason.trim().length < 2, 'data-testid': 'plan-return-ok' } as ButtonProps
      }
      onCancel={() => setReturning(null)}
      onOk={async () => {
        if (!returning) return;
        try {
          await api.post(`/api/plans/${returning.id}/return`, { reason: reason.trim() });
          message.success(t('plans.returned'));
          setReturning(null);
          setReason('');
          onDone();
        } catch {
          // reported by the client
        }
      }}
    >
      <Input.TextArea
        rows={3}
        value={reason}
        maxLength={2000}
        placeholder={t('plans.returnReasonPlaceholder')}
        onChange={(e) => setReason(e.target.value)}
        data-testid="plan-return-reason"
      />
    </Modal>
  );
  return { approve, returnPlan: (p: { id: number; name: string }) => setReturning(p), dialog };
}

export default function PlanList() {
  const { t } = useI18n();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  // without ?year= the latest year that has plans (the demo's 2023), else this year
  const all = useFetch<{ items: PlanRow[] }>(params.get('year') ? null : '/api/plans');
  const latest = Math.max(
    0,
    ...(all.data?.items ?? []).map((p) => p.year).filter((y) => y <= dayjs().year() + 1),
  );
  const year = Number(params.get('year') ?? (latest || dayjs().year()));
  const asOf = params.get('asOf') ?? undefined;
  const [creating, setCreating] = useState(false);
  const { data, loading, reload } = useFetch<PlanYearView>(
    !params.get('year') && all.loading ? null : `/api/plans/year/${year}`,
    { asOf },
  );
  const review = usePlanReview(reload);
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next);
  };
  const plans = data?.plans ?? [];
  const filed = plans.filter((p) => p.status === 'filed' || p.amendment?.status === 'filed');
  const years = Array.from({ length: 8 }, (_, i) => dayjs().year() + 1 - i);
  const c = data?.completion;
  const overview = (
    <>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('plans.planCount')} value={plans.length} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('plans.batchCount')} value={c?.batches ?? 0} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small" data-testid="plan-year-batch-rate">
            <Statistic
              title={t('plans.batchRateAsOf', { date: asOf ?? t('plans.today') })}
              value={c ? pctText(c.batchRate) : '—'}
              suffix={c ? <span style={{ fontSize: 13 }}>{`${c.batchesDone}/${c.batches}`}</span> : null}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small" data-testid="plan-year-target-rate">
            <Statistic
              title={t('plans.targetRateAsOf', { date: asOf ?? t('plans.today') })}
              value={c ? pctText(c.targetRate) : '—'}
              suffix={c ? <span style={{ fontSize: 13 }}>{`${c.published}/${c.planned}`}</span> : null}
            />
          </Card>
        </Col>
      </Row>
      {data && data.departmentsWithoutPlan.length > 0 && me.role !== 'dept_admin' ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('plans.withoutPlan', { n: data.departmentsWithoutPlan.length })}
          description={data.departmentsWithoutPlan.map((d) => d.name).join('、')}
          data-testid="plan-without"
        />
      ) : null}
      <Card>
        <PlanTable plans={plans} loading={loading} />
      </Card>
      <Alert type="info" style={{ marginTop: 16 }} title={t('plans.completionHelp')} />
    </>
  );
  return (
    <PageFrame
      title={t('plans.title')}
      subtitle={t('plans.subtitle')}
      extra={
        <>
          <Select
            value={year}
            style={{ width: 110 }}
            data-testid="plan-year-select"
            onChange={(v) => set('year', String(v))}
            options={years.map((y) => ({ value: y, label: t('plans.yearLabel', { year: y }) }))}
          />
          <DatePicker
            placeholder={t('plans.asOf')}
            value={asOf ? dayjs(asOf) : null}
            onChange={(d) => set('asOf', d ? d.format('YYYY-MM-DD') : undefined)}
            data-testid="plan-as-of"
          />
          <Button onClick={() => set('asOf', `${year}-06-30`)} data-testid="plan-as-of-june">
            {t('plans.asOfJune')}
          </Button>
          {me.role === 'joint_admin' || me.role === 'dept_admin' ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="plan-new"
            >
              {t('plans.new')}
            </Button>
          ) : null}
        </>
      }
    >
      {me.role === 'joint_admin' ? (
        <Tabs
          defaultActiveKey={params.get('tab') ?? 'overview'}
          items={[
            { key: 'overview', label: t('plans.tabOverview'), children: overview },
            {
              key: 'review',
              label: <span data-testid="plan-tab-review">{t('plans.tabReview', { n: filed.length })}</span>,
              children: (
                <Card>
                  <PlanTable
                    plans={filed}
                    loading={loading}
                    review={{
                      approve: (p) =>
                        review.approve(p.status === 'filed' ? p : { id: p.amendment!.id, name: p.name }),
                      return: (p) =>
                        review.returnPlan(p.status === 'filed' ? p : { id: p.amendment!.id, name: p.name }),
                    }}
                  />
                </Card>
              ),
            },
          ]}
        />
      ) : (
        overview
      )}
      {review.dialog}
      <NewPlan open={creating} year={year} onClose={() => setCreating(false)} />
    </PageFrame>
  );
}
