/**
 * The drawer that creates or edits a department. The server checks everything (phone, code,
 * parent, the one lead); its per-field problems are shown on the fields.
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Drawer, Form, Input, Select, Space, Switch } from 'antd';
import type { DepartmentAdminRow, DepartmentBody, DepartmentProblem } from '@choucha/api';
import { DEPARTMENT_LEVEL_VALUES } from '@choucha/api';
import { api, ApiError } from '../../api/client.ts';
import { useI18n, type DictKey } from '../../i18n/index.tsx';

interface Values {
  name: string;
  shortName?: string;
  code?: string;
  aliases?: string[];
  level: (typeof DEPARTMENT_LEVEL_VALUES)[number];
  parentId?: number | null;
  isLead?: boolean;
  contactName?: string;
  contactPhone?: string;
}

const RANK: Record<string, number> = { province: 0, city: 1, district: 2 };
const FIELDS = new Set([
  'name',
  'shortName',
  'code',
  'aliases',
  'level',
  'parentId',
  'isLead',
  'contactName',
  'contactPhone',
]);

export function DepartmentForm({
  open,
  editing,
  departments,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** null: a new department */
  editing: DepartmentAdminRow | null;
  departments: DepartmentAdminRow[];
  onClose: () => void;
  onSaved: (d: DepartmentAdminRow) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const level = Form.useWatch('level', form);
  const isLead = Form.useWatch('isLead', form);
  const currentLead = departments.find((d) => d.isLead && d.active && d.id !== editing?.id);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      editing
        ? {
            name: editing.name,
            shortName: editing.shortName,
            code: editing.code,
            aliases: editing.aliases,
            level: editing.level as Values['level'],
            parentId: editing.parentId,
            isLead: editing.isLead,
            contactName: editing.contactName ?? '',
            contactPhone: editing.contactPhone ?? '',
          }
        : { level: 'district', isLead: false, aliases: [] },
    );
  }, [open, editing, form]);

  const parents = departments.filter(
    (d) => d.active && d.id !== editing?.id && (RANK[d.level] ?? 2) < (RANK[level ?? 'district'] ?? 2),
  );

  const submit = async (v: Values) => {
    setBusy(true);
    const body: DepartmentBody = {
      name: v.name.trim(),
      shortName: v.shortName?.trim() || null,
      code: v.code?.trim() || null,
      aliases: (v.aliases ?? []).map((a) => a.trim()).filter((a) => a.length > 0),
      level: v.level,
      parentId: v.parentId ?? null,
      isLead: v.isLead ?? false,
      replaceLead: Boolean(v.isLead && currentLead),
      contactName: v.contactName?.trim() || null,
      contactPhone: v.contactPhone?.trim() || null,
    };
    try {
      const saved = editing
        ? await api.post<DepartmentAdminRow>(`/api/admin/departments/${editing.id}`, body, { silent: true })
        : await api.post<DepartmentAdminRow>('/api/admin/departments', body, { silent: true });
      message.success(t(editing ? 'departments.saved' : 'departments.created'));
      onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError) {
        const problems = (e.details?.problems ?? []) as DepartmentProblem[];
        const onFields = problems.filter((p) => FIELDS.has(p.field));
        if (onFields.length > 0)
          form.setFields(
            onFields.map((p) => ({ name: p.field as keyof Values, errors: [lang === 'zh' ? p.zh : p.en] })),
          );
        else message.error(e.message);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={520}
      title={t(editing ? 'departments.editTitle' : 'departments.add')}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="dept-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="dept-form">
        <Form.Item
          name="name"
          label={t('departments.form.name')}
          rules={[{ required: true, whitespace: true, message: t('departments.form.nameRequired') }]}
        >
          <Input maxLength={100} data-testid="dept-name" />
        </Form.Item>
        <Form.Item name="shortName" label={t('departments.shortName')}>
          <Input maxLength={100} data-testid="dept-short" />
        </Form.Item>
        <Form.Item name="code" label={t('departments.form.code')} extra={t('departments.form.codeHelp')}>
          <Input maxLength={32} data-testid="dept-code" />
        </Form.Item>
        <Form.Item name="aliases" label={t('departments.aliases')} extra={t('departments.form.aliasesHelp')}>
          <Select
            mode="tags"
            open={false}
            tokenSeparators={['、', '，', ',', '；', ';']}
            data-testid="dept-aliases"
          />
        </Form.Item>
        <Form.Item name="level" label={t('departments.level')}>
          <Select
            data-testid="dept-level"
            options={DEPARTMENT_LEVEL_VALUES.map((l) => ({ value: l, label: t(`level.${l}` as DictKey) }))}
          />
        </Form.Item>
        <Form.Item name="parentId" label={t('departments.parent')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('departments.form.noParent')}
            options={parents.map((d) => ({ value: d.id, label: d.name }))}
            data-testid="dept-parent"
          />
        </Form.Item>
        <Form.Item name="isLead" label={t('departments.form.lead')} valuePropName="checked">
          <Switch data-testid="dept-lead" />
        </Form.Item>
        {isLead && currentLead ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('departments.form.replaceLead', { name: currentLead.name })}
          />
        ) : null}
        <Form.Item name="contactName" label={t('departments.liaison')}>
          <Input maxLength={50} data-testid="dept-contact" />
        </Form.Item>
        <Form.Item name="contactPhone" label={t('departments.phone')} extra={t('departments.form.phoneHelp')}>
          <Input maxLength={30} data-testid="dept-phone" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
