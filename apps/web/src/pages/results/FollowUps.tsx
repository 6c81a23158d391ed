/**
 * 后续处置: the follow-up actions of results, tracked to completion — 责令改正 with its deadline
 * and a re-check, 列入经营异常名录 due within 10 working days, 移送/抄告 with the receiving
 * department. Open ones first by deadline (DeadlineTag: yellow ≤ 5 working days, red overdue).
 */
import type React from 'react';
import { useState } from 'react';
import {
  App,
  Button,
  DatePicker,
  Form,
  Input,
  Modal,
  Segmented,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import type { ButtonProps } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import type { FollowUpList, FollowUpRow } from '@choucha/api';
import { api, useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMe } from '../../auth/AuthContext.tsx';
import { fmtDate, fmtDateTime, PageFrame } from '../../components/common.tsx';
import { DeadlineTag } from '../../components/DeadlineTag.tsx';

type DeadlineFilter = 'ok' | 'due_soon' | 'overdue';

interface Values {
  recheckOn?: Dayjs;
  recheckResult?: '已改正' | '未改正';
  receivingDepartment?: string;
  note?: string;
}

export default function FollowUps() {
  const { t, tv } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const [state, setState] = useState<'open' | 'done'>('open');
  const [deadline, setDeadline] = useState<DeadlineFilter | undefined>();
  const { data, loading, reload } = useFetch<FollowUpList>('/api/follow-ups', { state, deadline });
  const [doing, setDoing] = useState<FollowUpRow | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Values>();
  const mayComplete = me.role !== 'leader';

  const complete = async (v: Values) => {
    if (!doing) return;
    setBusy(true);
    try {
      await api.post(`/api/follow-ups/${doing.id}/complete`, {
        ...(v.recheckOn ? { recheckOn: v.recheckOn.format('YYYY-MM-DD') } : {}),
        ...(v.recheckResult ? { recheckResult: v.recheckResult } : {}),
        ...(v.receivingDepartment?.trim() ? { receivingDepartment: v.receivingDepartment.trim() } : {}),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      });
      message.success(t('followUps.completedOk'));
      setDoing(null);
      reload();
    } catch {
      // reported
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageFrame title={t('followUps.title')} subtitle={t('followUps.subtitle')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented<'open' | 'done'>
          value={state}
          onChange={setState}
          data-testid="follow-ups-state"
          options={[
            { value: 'open', label: t('followUps.open') },
            { value: 'done', label: t('followUps.done') },
          ]}
        />
        {state === 'open' ? (
          <Select<DeadlineFilter>
            allowClear
            style={{ width: 150 }}
            placeholder={t('review.filterDeadline')}
            value={deadline ?? null}
            onChange={(v) => setDeadline(v ?? undefined)}
            data-testid="follow-ups-deadline"
            options={(['overdue', 'due_soon', 'ok'] as const).map((d) => ({
              value: d,
              label: t(`deadlineFilter.${d}`),
            }))}
          />
        ) : null}
        <Typography.Text type="secondary">{t('followUps.abnormalHint')}</Typography.Text>
      </Space>
      <Table<FollowUpRow>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        size="middle"
        scroll={{ x: 1200 }}
        data-testid="follow-ups-table"
        onRow={(r) => ({ 'data-testid': `follow-up-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
        columns={[
          {
            title: t('followUps.due'),
            key: 'due',
            width: 170,
            render: (_v, r) =>
              r.dueOn ? (
                <Space size={4} wrap>
                  {fmtDate(r.dueOn)}
                  {r.state === 'open' ? <DeadlineTag due={r.dueOn} today={data?.today ?? r.dueOn} /> : null}
                </Space>
              ) : (
                t('followUps.noDue')
              ),
          },
          { title: t('followUps.action'), dataIndex: 'action', width: 140, render: (v: string) => tv(v) },
          {
            title: t('review.entity'),
            dataIndex: 'entityName',
            width: 220,
            render: (v: string, r) => (
              <>
                <div>{v}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.taskName}
                </Typography.Text>
              </>
            ),
          },
          {
            title: t('results.codes'),
            dataIndex: 'codes',
            width: 220,
            render: (v: string[]) => v.map(tv).join('、'),
          },
          {
            title: t('results.inspectedOn'),
            dataIndex: 'inspectedOn',
            width: 110,
            render: (v: string) => fmtDate(v),
          },
          {
            title: t('followUps.receiving'),
            dataIndex: 'receivingDepartment',
            width: 140,
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('followUps.recheck'),
            key: 'recheck',
            width: 180,
            render: (_v, r) =>
              r.recheckResult
                ? `${tv(r.recheckResult)}（${fmtDate(r.recheckOn)}）`
                : r.completedAt
                  ? fmtDateTime(r.completedAt)
                  : '—',
          },
          {
            title: t('common.actions'),
            key: 'act',
            width: 100,
            fixed: 'right',
            render: (_v, r) =>
              r.state === 'open' && mayComplete ? (
                <Button
                  size="small"
                  type="primary"
                  onClick={() => {
                    form.resetFields();
                    setDoing(r);
                  }}
                  data-testid="follow-up-complete"
                >
                  {t('followUps.complete')}
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal
        open={!!doing}
        title={
          doing ? t('followUps.completeTitle', { action: tv(doing.action), name: doing.entityName }) : ''
        }
        onCancel={() => setDoing(null)}
        onOk={() => form.submit()}
        okText={t('followUps.complete')}
        cancelText={t('common.cancel')}
        okButtonProps={{ loading: busy, 'data-testid': 'follow-up-confirm' } as ButtonProps}
        destroyOnHidden
      >
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={(v) => void complete(v)}
          initialValues={{ recheckOn: dayjs() }}
        >
          {doing?.action === '责令改正' ? (
            <>
              <Form.Item name="recheckOn" label={t('followUps.recheckOn')} rules={[{ required: true }]}>
                <DatePicker />
              </Form.Item>
              <Form.Item
                name="recheckResult"
                label={t('followUps.recheckResult')}
                rules={[{ required: true }]}
              >
                <Segmented
                  options={(['已改正', '未改正'] as const).map((x) => ({ value: x, label: tv(x) }))}
                />
              </Form.Item>
            </>
          ) : null}
          {doing && ['移送案件线索', '抄告相关部门'].includes(doing.action) ? (
            <Form.Item
              name="receivingDepartment"
              label={t('followUps.receiving')}
              initialValue={doing.receivingDepartment ?? undefined}
              rules={[{ required: true }]}
            >
              <Input maxLength={200} placeholder={t('results.receivingPlaceholder')} />
            </Form.Item>
          ) : null}
          <Form.Item name="note" label={t('results.note')}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </PageFrame>
  );
}
