/**
 * An item's machine-readable target scope (检查对象范围): its summary as tags, and the editor
 * (PUT /api/items/:id/scope). Three states: not set (null), all market entities ({}), conditions.
 * The rules are core's (packages/core/src/scope): every condition must hold, any value of one.
 */
import { useState } from 'react';
import { Alert, App, Form, Modal, Radio, Select, Space, Tag, Typography, type ButtonProps } from 'antd';
import type { Department, EntityScopeView } from '@choucha/api';
import { request } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';

type Translate = ReturnType<typeof useI18n>['t'];

/** The register's entity types (the importer's vocabulary). */
const ENTITY_TYPES = ['有限责任公司', '股份有限公司', '个体工商户', '农民专业合作社', '分支机构'];

const TEXT_FIELDS = ['entityTypes', 'industryPrefixes', 'licences', 'tags', 'streets'] as const;
const LABEL = {
  entityTypes: 'roster.entityTypes',
  industryPrefixes: 'roster.industryPrefixes',
  licences: 'roster.licences',
  tags: 'roster.tags',
  streets: 'roster.streets',
  supervisingDepartments: 'roster.supervising',
} as const;

/** "许可证：食品经营许可证、…" per condition; empty for "all market entities". */
export function scopeParts(scope: EntityScopeView, t: Translate, deptName: Map<number, string>): string[] {
  const parts: string[] = [];
  for (const f of TEXT_FIELDS) {
    const v = scope[f];
    if (v?.length) parts.push(`${t(LABEL[f])}：${v.join('、')}`);
  }
  const d = scope.supervisingDepartments;
  if (d?.length)
    parts.push(`${t(LABEL.supervisingDepartments)}：${d.map((x) => deptName.get(x) ?? x).join('、')}`);
  return parts;
}

export function ScopeTags({
  scope,
  deptName,
}: {
  scope: EntityScopeView | null | undefined;
  deptName: Map<number, string>;
}) {
  const { t } = useI18n();
  if (!scope)
    return (
      <Tag color="orange" data-testid="item-scope-unset">
        {t('roster.scopeUnset')}
      </Tag>
    );
  const parts = scopeParts(scope, t, deptName);
  if (parts.length === 0)
    return (
      <Tag color="blue" data-testid="item-scope-all">
        {t('roster.scopeAll')}
      </Tag>
    );
  return (
    <Space size={[0, 4]} wrap data-testid="item-scope">
      {parts.map((p) => (
        <Tag key={p} style={{ whiteSpace: 'normal' }}>
          {p}
        </Tag>
      ))}
    </Space>
  );
}

type Mode = 'unset' | 'all' | 'conditions';

export function ItemScopeEditor({
  item,
  departments,
  onClose,
  onSaved,
}: {
  item: { id: number; name: string; scope?: EntityScopeView | null | undefined };
  departments: Department[];
  onClose: () => void;
  onSaved: (scope: EntityScopeView | null) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const initial = item.scope ?? null;
  const [mode, setMode] = useState<Mode>(
    initial === null ? 'unset' : scopeParts(initial, t, new Map()).length === 0 ? 'all' : 'conditions',
  );
  const [scope, setScope] = useState<EntityScopeView>(initial ?? {});
  const [busy, setBusy] = useState(false);
  const [empty, setEmpty] = useState(false);
  const set = (f: keyof EntityScopeView, v: string[] | number[]) => {
    setEmpty(false);
    setScope((s) => ({ ...s, [f]: v }));
  };
  const conditions = (): EntityScopeView => {
    const out: EntityScopeView = {};
    for (const f of TEXT_FIELDS) {
      const v = (scope[f] ?? []).map((x) => x.trim()).filter(Boolean);
      if (v.length) out[f] = f === 'industryPrefixes' ? v.map((x) => x.toUpperCase()) : v;
    }
    if (scope.supervisingDepartments?.length) out.supervisingDepartments = scope.supervisingDepartments;
    return out;
  };
  const save = async () => {
    const body = mode === 'unset' ? null : mode === 'all' ? {} : conditions();
    if (mode === 'conditions' && Object.keys(body ?? {}).length === 0) {
      setEmpty(true);
      return;
    }
    setBusy(true);
    try {
      const r = await request<{ id: number; scope: EntityScopeView | null }>(
        'PUT',
        `/api/items/${item.id}/scope`,
        {
          body: { scope: body },
        },
      );
      message.success(t('roster.saved'));
      onSaved(r.scope);
    } catch {
      // the coded refusal (ITEM_SCOPE_INVALID …) is shown by the error reporter
    } finally {
      setBusy(false);
    }
  };
  const tagsSelect = (f: (typeof TEXT_FIELDS)[number], options?: string[]) => (
    <Select
      mode="tags"
      value={scope[f] ?? []}
      onChange={(v: string[]) => set(f, v)}
      tokenSeparators={[',', '，', '、', ' ']}
      data-testid={`item-scope-${f}`}
      {...(options
        ? { options: options.map((o) => ({ value: o, label: o })) }
        : { open: false, suffixIcon: null })}
    />
  );
  return (
    <Modal
      open
      title={t('roster.editTitle', { name: item.name })}
      onCancel={onClose}
      onOk={() => void save()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'item-scope-save' } as ButtonProps}
      width={640}
      destroyOnHidden
    >
      <Radio.Group
        value={mode}
        onChange={(e) => setMode(e.target.value as Mode)}
        style={{ display: 'flex', flexDirection: 'column', gap: 8, marginBottom: 16 }}
        data-testid="item-scope-mode"
      >
        <Radio value="unset" data-testid="item-scope-mode-unset">
          {t('roster.modeUnset')}
        </Radio>
        <Radio value="all" data-testid="item-scope-mode-all">
          {t('roster.modeAll')}
        </Radio>
        <Radio value="conditions" data-testid="item-scope-mode-conditions">
          {t('roster.modeConditions')}
        </Radio>
      </Radio.Group>
      {mode === 'conditions' ? (
        <Form layout="vertical">
          <Typography.Paragraph type="secondary">{t('roster.conditionsHint')}</Typography.Paragraph>
          <Form.Item label={t('roster.entityTypes')}>{tagsSelect('entityTypes', ENTITY_TYPES)}</Form.Item>
          <Form.Item label={t('roster.industryPrefixes')} extra={t('roster.industryHint')}>
            {tagsSelect('industryPrefixes')}
          </Form.Item>
          <Form.Item label={t('roster.licences')}>{tagsSelect('licences')}</Form.Item>
          <Form.Item label={t('roster.tags')}>{tagsSelect('tags')}</Form.Item>
          <Form.Item label={t('roster.supervising')}>
            <Select
              mode="multiple"
              value={scope.supervisingDepartments ?? []}
              onChange={(v: number[]) => set('supervisingDepartments', v)}
              options={departments.map((d) => ({ value: d.id, label: d.name }))}
              showSearch={{ optionFilterProp: 'label' }}
              data-testid="item-scope-supervising"
            />
          </Form.Item>
          {empty ? <Alert type="error" showIcon title={t('roster.conditionsEmpty')} /> : null}
        </Form>
      ) : null}
    </Modal>
  );
}
