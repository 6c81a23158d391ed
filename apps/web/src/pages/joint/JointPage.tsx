/**
 * 联合抽查: the 相同对象、相近时间 proposals (the joint office detects, accepts with a lead and a
 * name, or declines — each with a confirmation), the joint visits, and the burden figures (visits
 * per entity per year, visits saved).
 */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { SyncOutlined } from '@ant-design/icons';
import type { DetectMergesResult, JointRules, JointVisit, MergeProposal } from '@choucha/api';
import { api, request, useFetch } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDate, PageFrame, StatusTag } from '../../components/common.tsx';
import { BurdenFigures } from './Burden.tsx';

type Member = MergeProposal['members'][number];

function MemberLine({ m }: { m: Member }) {
  const { t, tk } = useI18n();
  const name =
    m.kind === 'target' || m.kind === 'task' ? (
      <Link to={`/tasks/${m.taskId ?? m.id}`}>{m.name || `#${m.id}`}</Link>
    ) : (
      <span>
        {m.planName ? `${m.planName} · ` : ''}
        {m.name}
      </span>
    );
  return (
    <div data-testid={`joint-member-${m.ref}`}>
      <Tag>{tk('joint.memberKind', m.kind)}</Tag>
      {m.departmentName} · {name}
      <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
        {fmtDate(m.windowStart)} ~ {fmtDate(m.windowEnd)}
      </Typography.Text>
      {m.eligible ? null : (
        <Tag color="default" style={{ marginLeft: 8 }}>
          {t('joint.memberChanged')}
        </Tag>
      )}
    </div>
  );
}

function AcceptDialog({
  proposal,
  onClose,
  onDone,
}: {
  proposal: MergeProposal;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ leadDepartmentId?: number; name?: string; note?: string }>();
  const [busy, setBusy] = useState(false);
  const isBatch = proposal.kind === 'batch';
  const first = proposal.members[0];
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.post(`/api/joint/proposals/${proposal.id}/accept`, {
        ...(isBatch && v.leadDepartmentId ? { leadDepartmentId: v.leadDepartmentId } : {}),
        ...(isBatch && v.name?.trim() ? { name: v.name.trim() } : {}),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      });
      void message.success(t(isBatch ? 'joint.acceptedBatch' : 'joint.acceptedEntity'));
      onDone();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t(isBatch ? 'joint.acceptBatchTitle' : 'joint.acceptEntityTitle')}
      okText={t('joint.confirmAccept')}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ id: 'joint-accept-confirm' }}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title={t(isBatch ? 'joint.acceptBatchHint' : 'joint.acceptEntityHint', {
          start: fmtDate(proposal.windowStart),
          end: fmtDate(proposal.windowEnd),
        })}
      />
      {proposal.members.map((m) => (
        <MemberLine key={m.ref} m={m} />
      ))}
      <Form form={form} layout="vertical" style={{ marginTop: 12 }}>
        {isBatch ? (
          <>
            <Form.Item
              name="leadDepartmentId"
              label={t('joint.lead')}
              initialValue={first?.departmentId}
              rules={[{ required: true, message: t('joint.leadRequired') }]}
            >
              <Select
                data-testid="joint-accept-lead"
                options={proposal.members.map((m) => ({ value: m.departmentId, label: m.departmentName }))}
              />
            </Form.Item>
            <Form.Item name="name" label={t('joint.taskName')}>
              <Input
                maxLength={200}
                placeholder={t('joint.taskNamePlaceholder')}
                data-testid="joint-accept-name"
              />
            </Form.Item>
          </>
        ) : null}
        <Form.Item name="note" label={t('joint.note')}>
          <Input maxLength={500} data-testid="joint-accept-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DeclineDialog({
  proposal,
  onClose,
  onDone,
}: {
  proposal: MergeProposal;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      await api.post(`/api/joint/proposals/${proposal.id}/decline`, note.trim() ? { note: note.trim() } : {});
      void message.success(t('joint.declined'));
      onDone();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('joint.declineTitle')}
      okText={t('joint.confirmDecline')}
      okButtonProps={{ danger: true, id: 'joint-decline-confirm' }}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
    >
      <Typography.Paragraph>{t('joint.declineHint')}</Typography.Paragraph>
      <Input.TextArea
        rows={2}
        maxLength={500}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder={t('joint.note')}
        data-testid="joint-decline-note"
      />
    </Modal>
  );
}

function NearDays({ year, onDetected }: { year: number; onDetected: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data, setData } = useFetch<JointRules>('/api/joint/rules');
  const [days, setDays] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (days === null) return;
    const r = await request<JointRules>('PUT', '/api/joint/rules', { body: { nearDays: days } });
    setData(r);
    setDays(null);
    void message.success(t('joint.nearDaysSaved', { n: r.nearDays }));
  };
  const detect = async () => {
    setBusy(true);
    try {
      const r = await api.post<DetectMergesResult>('/api/joint/proposals/detect', { year });
      void message.success(t('joint.detected', { proposed: r.proposed, added: r.added, stale: r.stale }));
      onDetected();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space wrap>
      {t('joint.nearDays')}
      <InputNumber<number>
        min={0}
        max={366}
        value={days ?? data?.nearDays ?? null}
        onChange={(v) => setDays(v)}
        data-testid="joint-near-days"
      />
      <Button disabled={days === null} onClick={() => void save()} data-testid="joint-near-days-save">
        {t('common.save')}
      </Button>
      <Button
        type="primary"
        icon={<SyncOutlined />}
        loading={busy}
        onClick={() => void detect()}
        data-testid="joint-detect"
      >
        {t('joint.detect')}
      </Button>
    </Space>
  );
}

function Proposals({ year }: { year: number }) {
  const { t, tk } = useI18n();
  const { hasRole } = useAuth();
  const [status, setStatus] = useState<string>('open');
  const { data, loading, reload } = useFetch<{ items: MergeProposal[] }>('/api/joint/proposals', {
    year,
    ...(status ? { status } : {}),
  });
  const [accepting, setAccepting] = useState<MergeProposal | null>(null);
  const [declining, setDeclining] = useState<MergeProposal | null>(null);
  const office = hasRole('joint_admin');
  return (
    <>
      <Space wrap style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }}>
        <Select
          value={status}
          onChange={setStatus}
          style={{ width: 160 }}
          data-testid="joint-status-filter"
          options={[
            { value: '', label: t('joint.allStatuses') },
            ...['open', 'accepted', 'declined', 'stale'].map((s) => ({
              value: s,
              label: tk('joint.status', s),
            })),
          ]}
        />
        {office ? <NearDays year={year} onDetected={reload} /> : null}
      </Space>
      <Table<MergeProposal>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="joint-proposals"
        locale={{ emptyText: t('joint.noProposals') }}
        onRow={(r) => ({ 'data-testid': `joint-proposal-${r.id}`, 'data-kind': r.kind }) as object}
        columns={[
          {
            title: t('joint.kind'),
            key: 'kind',
            width: 130,
            render: (_v, r) => (
              <Tag color={r.kind === 'batch' ? 'purple' : 'blue'}>{tk('joint.kindLabel', r.kind)}</Tag>
            ),
          },
          {
            title: t('joint.members'),
            key: 'members',
            render: (_v, r) => (
              <>
                {r.entityName ? (
                  <div>
                    <Typography.Text strong>{r.entityName}</Typography.Text>
                  </div>
                ) : null}
                {r.members.map((m) => (
                  <MemberLine key={m.ref} m={m} />
                ))}
              </>
            ),
          },
          {
            title: t('joint.window'),
            key: 'window',
            width: 200,
            render: (_v, r) => (
              <>
                {fmtDate(r.windowStart)} ~ {fmtDate(r.windowEnd)}
                {r.kind === 'entity' ? (
                  <div style={{ fontSize: 12, color: '#888' }}>{t('joint.gapDays', { n: r.gapDays })}</div>
                ) : null}
              </>
            ),
          },
          {
            title: t('common.status'),
            key: 'status',
            width: 150,
            render: (_v, r) => (
              <>
                <StatusTag status={r.status} prefix="joint.status" testId={`joint-proposal-status-${r.id}`} />
                {r.resultTaskId ? (
                  <div>
                    <Link to={`/tasks/${r.resultTaskId}`} data-testid={`joint-result-task-${r.id}`}>
                      {t('joint.resultTask')}
                    </Link>
                  </div>
                ) : null}
                {r.decisionNote ? <div style={{ fontSize: 12, color: '#888' }}>{r.decisionNote}</div> : null}
              </>
            ),
          },
          ...(office
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 170,
                  render: (_v: unknown, r: MergeProposal) =>
                    r.status === 'open' ? (
                      <Space>
                        <Button
                          size="small"
                          type="primary"
                          onClick={() => setAccepting(r)}
                          data-testid={`joint-accept-${r.id}`}
                        >
                          {t('joint.accept')}
                        </Button>
                        <Button
                          size="small"
                          danger
                          onClick={() => setDeclining(r)}
                          data-testid={`joint-decline-${r.id}`}
                        >
                          {t('joint.decline')}
                        </Button>
                      </Space>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {accepting ? (
        <AcceptDialog
          proposal={accepting}
          onClose={() => setAccepting(null)}
          onDone={() => {
            setAccepting(null);
            reload();
          }}
        />
      ) : null}
      {declining ? (
        <DeclineDialog
          proposal={declining}
          onClose={() => setDeclining(null)}
          onDone={() => {
            setDeclining(null);
            reload();
          }}
        />
      ) : null}
    </>
  );
}

function Visits({ year }: { year: number }) {
  const { t } = useI18n();
  const { data, loading } = useFetch<{ items: JointVisit[] }>('/api/joint/visits', { year });
  return (
    <Table<JointVisit>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={data?.items ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      data-testid="joint-visits"
      locale={{ emptyText: t('joint.noVisits') }}
      columns={[
        { title: t('joint.entity'), dataIndex: 'entityName' },
        {
          title: t('joint.window'),
          key: 'window',
          width: 220,
          render: (_v, r) => `${fmtDate(r.windowStart)} ~ ${fmtDate(r.windowEnd)}`,
        },
        {
          title: t('joint.visitTargets'),
          key: 'targets',
          render: (_v, r) =>
            r.targets.map((x) => (
              <div key={x.targetId}>
                {x.departmentName} · <Link to={`/tasks/${x.taskId}?tab=targets`}>{x.taskName}</Link>{' '}
                <Tag color={x.resulted ? 'green' : 'default'}>
                  {x.resulted ? t('joint.resulted') : t('joint.notResulted')}
                </Tag>
              </div>
            )),
        },
      ]}
    />
  );
}

export default function JointPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const [year, setYear] = useState<number>(Number(params.get('year')) || new Date().getFullYear());
  const tab = params.get('tab') ?? 'proposals';
  return (
    <PageFrame
      title={t('joint.title')}
      subtitle={t('joint.subtitle')}
      extra={
        <Space>
          {t('dashboard.year')}
          <InputNumber<number>
            value={year}
            min={2015}
            max={2100}
            onChange={(v) => v && setYear(v)}
            data-testid="joint-year"
          />
        </Space>
      }
    >
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k, year: String(year) }, { replace: true })}
          items={[
            {
              key: 'proposals',
              label: <span data-testid="joint-tab-proposals">{t('joint.tabProposals')}</span>,
              children: <Proposals key={year} year={year} />,
            },
            {
              key: 'visits',
              label: <span data-testid="joint-tab-visits">{t('joint.tabVisits')}</span>,
              children: <Visits key={year} year={year} />,
            },
            {
              key: 'burden',
              label: <span data-testid="joint-tab-burden">{t('joint.tabBurden')}</span>,
              children: <BurdenFigures key={year} year={year} />,
            },
          ]}
        />
      </Card>
    </PageFrame>
  );
}
