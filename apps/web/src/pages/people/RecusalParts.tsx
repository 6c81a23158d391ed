/** Pieces shared by the recusal pages: the status tag and the admin's confirm / reject buttons. */
import { useState } from 'react';
import { App, Button, Form, Input, Modal, Space, Tag, Tooltip } from 'antd';
import type { ButtonProps } from 'antd';
import type { RecusalRow } from '@choucha/api';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';

const COLOR = { declared: 'orange', confirmed: 'green', rejected: 'default' } as const;

export function RecusalStatusTag({ row }: { row: RecusalRow }) {
  const { t, tk } = useI18n();
  const tag = (
    <Tag color={COLOR[row.status]} data-testid={`recusal-status-${row.id}`}>
      {tk('recusal.status', row.status)}
    </Tag>
  );
  return row.status === 'rejected' && row.rejectReason ? (
    <Tooltip title={t('recusal.rejectReasonShown', { reason: row.rejectReason })}>{tag}</Tooltip>
  ) : (
    tag
  );
}

export function RecusalDecision({ row, onDone }: { row: RecusalRow; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const decide = async (decision: 'confirm' | 'reject', reason?: string) => {
    setBusy(true);
    try {
      await api.post(`/api/recusals/${row.id}/decision`, { decision, ...(reason ? { reason } : {}) });
      message.success(t(decision === 'confirm' ? 'recusal.confirmedOk' : 'recusal.rejectedOk'));
      setRejecting(false);
      onDone();
    } catch {
      // reported
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Space size={4}>
        <Button
          size="small"
          type="primary"
          loading={busy}
          onClick={() => void decide('confirm')}
          data-testid={`recusal-confirm-${row.id}`}
        >
          {t('recusal.confirm')}
        </Button>
        <Button
          size="small"
          danger
          onClick={() => setRejecting(true)}
          data-testid={`recusal-reject-${row.id}`}
        >
          {t('recusal.reject')}
        </Button>
      </Space>
      <Modal
        open={rejecting}
        title={t('recusal.rejectTitle', { name: row.inspectorName })}
        onCancel={() => setRejecting(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        destroyOnHidden
        okButtonProps={{ danger: true, 'data-testid': 'recusal-reject-submit' } as ButtonProps}
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v: { reason: string }) => void decide('reject', v.reason.trim())}
        >
          <Form.Item
            name="reason"
            label={t('recusal.rejectReason')}
            rules={[{ required: true, whitespace: true, max: 500 }]}
          >
            <Input.TextArea rows={3} data-testid="recusal-reject-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
