/**
 * The entry form of one target's result (phone-first): the standard result codes, a result per
 * cited item of the user's department (合格 by default), the follow-ups with their details
 * (责令改正's deadline, 移送/抄告's receiving department), attachments (photos, PDF of the
 * 检查记录表; uploaded after the result is saved, never public), and — when the result was sent
 * back — the reason with a required answer.
 */
import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Drawer,
  Form,
  Input,
  Segmented,
  Select,
  Space,
  Typography,
  Upload,
} from 'antd';
import type { UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { FOLLOW_UPS, ITEM_OUTCOMES, RESULT_CODES } from '@choucha/api';
import type { EnterResultBody, ResultView, TargetView, TaskDetail } from '@choucha/api';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMe } from '../../auth/AuthContext.tsx';
import { useNarrow } from '../../layout/useNarrow.ts';

type Code = (typeof RESULT_CODES)[number];
type FollowUp = (typeof FOLLOW_UPS)[number];
type Outcome = (typeof ITEM_OUTCOMES)[number];

interface Values {
  codes: Code[];
  followUps: FollowUp[];
  inspectedOn: Dayjs;
  note?: string;
  items?: Record<string, Outcome>;
  correctionDue?: Dayjs;
  receivingDepartment?: string;
  response?: string;
}

const RECEIVER_ACTIONS: readonly string[] = ['移送案件线索', '抄告相关部门'];

export function ResultDrawer({
  target,
  task,
  existing,
  onClose,
  onSaved,
}: {
  target: TargetView | null;
  task: TaskDetail | undefined;
  /** the user's department's result of this target, when one was entered (a rejected one is answered) */
  existing: ResultView | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, tv } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const narrow = useNarrow();
  // one form per target: the page mounts this drawer keyed by the target's id, so nothing
  // entered for one target (codes, note, date) can reach another's result
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const codes = Form.useWatch('codes', form) ?? [];
  const followUps = Form.useWatch('followUps', form) ?? [];
  const noProblem = codes.includes('未发现问题');
  const department = existing?.departmentId ?? me.departmentId ?? task?.departmentId;
  const items = (task?.items ?? []).filter((i) => i.departmentId === department);
  const rejected = existing?.status === 'rejected';
  const needsDue = followUps.includes('责令改正') && !codes.includes('发现问题经责令已改正');
  const needsReceiver = followUps.some((f) => RECEIVER_ACTIONS.includes(f));

  const submit = async (v: Values) => {
    if (!target) return;
    const details: NonNullable<EnterResultBody['followUpDetails']> = [];
    if (needsDue && v.correctionDue)
      details.push({ action: '责令改正', dueOn: v.correctionDue.format('YYYY-MM-DD') });
    for (const a of (v.followUps ?? []).filter((f) => RECEIVER_ACTIONS.includes(f)))
      details.push({ action: a, receivingDepartment: v.receivingDepartment?.trim() ?? '' });
    const body: EnterResultBody = {
      codes: v.codes,
      followUps: v.followUps ?? [],
      inspectedOn: v.inspectedOn.format('YYYY-MM-DD'),
      ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      ...(items.length
        ? { items: items.map((i) => ({ itemId: i.id, outcome: v.items?.[String(i.id)] ?? '合格' })) }
        : {}),
      ...(details.length ? { followUpDetails: details } : {}),
      ...(rejected && v.response?.trim() ? { response: v.response.trim() } : {}),
    };
    setBusy(true);
    try {
      const saved = await api.post<ResultView>(`/api/targets/${target.id}/result`, body);
      for (const f of files) {
        if (!f.originFileObj) continue;
        const fd = new FormData();
        fd.append('file', f.originFileObj, f.name);
        await api.upload(`/api/results/${saved.id}/attachments`, fd);
        message.success(t('results.attachmentUploaded', { name: f.name }));
      }
      message.success(t('results.saved'));
      onSaved();
    } catch {
      // reported
    } finally {
      setBusy(false);
    }
  };

  const initialDate = existing
    ? dayjs(existing.inspectedOn)
    : task && dayjs().isAfter(dayjs(task.windowEnd))
      ? dayjs(task.windowEnd)
      : dayjs();

  return (
    <Drawer
      open={!!target}
      onClose={onClose}
      size={narrow ? '100%' : 560}
      destroyOnHidden
      title={target ? `${t('results.enter')} · ${target.entityName}` : ''}
      data-testid="result-drawer"
      data-target={target?.id}
      footer={
        narrow ? (
          <div style={{ display: 'flex', gap: 8 }}>
            <Button block size="large" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              block
              size="large"
              type="primary"
              loading={busy}
              onClick={() => form.submit()}
              data-testid="result-submit"
            >
              {t('results.submit')}
            </Button>
          </div>
        ) : (
          <Space style={{ float: 'right' }}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="result-submit">
              {t('results.submit')}
            </Button>
          </Space>
        )
      }
    >
      {target ? (
        <Form<Values>
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={(v) => void submit(v)}
          initialValues={{
            codes: (existing?.codes ?? []) as Code[],
            followUps: (existing?.followUps ?? []) as FollowUp[],
            inspectedOn: initialDate,
            note: existing?.note ?? undefined,
            items: Object.fromEntries(items.map((i) => [String(i.id), '合格'])),
          }}
        >
          {rejected ? (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              data-testid="result-rejected"
              title={t('results.rejectedTitle')}
              description={t('results.rejectedReason', { reason: existing?.reviewNote ?? '' })}
            />
          ) : null}
          <Typography.Paragraph type="secondary">
            {target.key} · {t('draws.team')}：{target.team.map((m) => m.name).join('、')}
          </Typography.Paragraph>
          <Form.Item
            name="codes"
            label={t('results.codes')}
            rules={[{ required: true, type: 'array', min: 1, message: t('results.codesRequired') }]}
          >
            <Checkbox.Group
              data-testid="result-codes"
              style={{ display: 'flex', flexDirection: 'column', gap: 6 }}
            >
              {RESULT_CODES.map((c, i) => (
                <Checkbox
                  key={c}
                  value={c}
                  disabled={
                    (noProblem && c !== '未发现问题') ||
                    (!noProblem && codes.length > 0 && c === '未发现问题')
                  }
                >
                  <span data-testid={`result-code-${i}`}>{tv(c)}</span>
                </Checkbox>
              ))}
            </Checkbox.Group>
          </Form.Item>
          {items.length ? (
            <Form.Item label={t('results.items')} required data-testid="result-items">
              <Space orientation="vertical" size={6} style={{ width: '100%' }}>
                {items.map((i) => (
                  <div key={i.id} data-testid={`result-item-${i.id}`}>
                    <Typography.Text style={{ display: 'block' }}>{i.name}</Typography.Text>
                    <Form.Item name={['items', String(i.id)]} noStyle>
                      <Segmented<Outcome>
                        options={ITEM_OUTCOMES.map((o) => ({ value: o, label: tv(o) }))}
                        block={narrow}
                      />
                    </Form.Item>
                  </div>
                ))}
              </Space>
            </Form.Item>
          ) : null}
          <Form.Item name="followUps" label={t('results.followUps')}>
            <Select
              mode="multiple"
              data-testid="result-followups"
              options={FOLLOW_UPS.map((f) => ({ value: f, label: tv(f) }))}
              placeholder={t('results.followUpsPlaceholder')}
            />
          </Form.Item>
          {needsDue ? (
            <Form.Item name="correctionDue" label={t('results.correctionDue')} rules={[{ required: true }]}>
              <DatePicker data-testid="result-correction-due" inputReadOnly={narrow} />
            </Form.Item>
          ) : null}
          {needsReceiver ? (
            <Form.Item
              name="receivingDepartment"
              label={t('results.receivingDepartment')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input
                maxLength={200}
                placeholder={t('results.receivingPlaceholder')}
                data-testid="result-receiving"
              />
            </Form.Item>
          ) : null}
          <Form.Item name="inspectedOn" label={t('results.inspectedOn')} rules={[{ required: true }]}>
            <DatePicker
              data-testid="result-date"
              style={{ width: narrow ? '100%' : undefined }}
              inputReadOnly={narrow}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            />
          </Form.Item>
          <Form.Item name="note" label={t('results.note')}>
            <Input.TextArea rows={4} maxLength={2000} showCount data-testid="result-note" />
          </Form.Item>
          {rejected ? (
            <Form.Item
              name="response"
              label={t('results.response')}
              rules={[{ required: true, whitespace: true, message: t('results.responseRequired') }]}
            >
              <Input.TextArea rows={3} maxLength={1000} showCount data-testid="result-response" />
            </Form.Item>
          ) : null}
          <Form.Item label={t('results.attachments')} extra={t('results.attachmentsHint')}>
            <Upload
              multiple
              accept="image/jpeg,image/png,image/webp,application/pdf"
              fileList={files}
              beforeUpload={() => false}
              onChange={({ fileList }) => setFiles(fileList)}
              data-testid="result-attachments"
            >
              <Button icon={<UploadOutlined />}>{t('results.chooseFiles')}</Button>
            </Upload>
          </Form.Item>
        </Form>
      ) : null}
    </Drawer>
  );
}
