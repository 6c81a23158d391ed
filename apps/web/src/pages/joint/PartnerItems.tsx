/**
 * A department's items for a joint task (进一门、查多项): from its own published list, or rows of the
 * joint item list (部门联合抽查事项清单) that name it. Used when a cooperating department accepts the
 * invitation (TaskDetail's invitation) and, while the task has no draw, to add items later.
 */
import { useState } from 'react';
import { App, Button, Select, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { TaskDetail as Task } from '@choucha/api';
import { api, useFetch } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useI18n } from '../../i18n/index.tsx';

export interface ItemPick {
  itemIds?: number[];
  jointItemIds?: number[];
}

interface Catalogue {
  items: { id: number; departmentId: number; category: string; name: string }[];
  jointItems: {
    id: number;
    domain: string;
    name: string;
    leadDepartmentId: number;
    cooperatingDepartmentIds: number[];
    itemIds: number[];
  }[];
}

/** Two selects: the department's own items, and the joint-list rows that name the department. */
export function PartnerItemsPicker({
  departmentId,
  value,
  onChange,
  exclude = [],
}: {
  departmentId: number;
  value: ItemPick | undefined;
  onChange: (v: ItemPick) => void;
  exclude?: number[];
}) {
  const { t } = useI18n();
  const { data, loading } = useFetch<Catalogue>('/api/items', { departmentId });
  const own = (data?.items ?? []).filter((i) => i.departmentId === departmentId && !exclude.includes(i.id));
  const rows = (data?.jointItems ?? []).filter((r) =>
    r.itemIds.some((id) => (data?.items ?? []).some((i) => i.id === id && i.departmentId === departmentId)),
  );
  return (
    <Space wrap>
      <Select<number[]>
        mode="multiple"
        allowClear
        loading={loading}
        style={{ minWidth: 260 }}
        placeholder={t('joint.pickOwnItems')}
        value={value?.itemIds ?? []}
        onChange={(v) => onChange({ ...value, itemIds: v })}
        optionFilterProp="label"
        options={own.map((i) => ({ value: i.id, label: `${i.category} · ${i.name}` }))}
        data-testid={`joint-own-items-${departmentId}`}
      />
      <Select<number[]>
        mode="multiple"
        allowClear
        loading={loading}
        style={{ minWidth: 260 }}
        placeholder={t('joint.pickJointItems')}
        value={value?.jointItemIds ?? []}
        onChange={(v) => onChange({ ...value, jointItemIds: v })}
        optionFilterProp="label"
        options={rows.map((r) => ({ value: r.id, label: `${r.domain} · ${r.name}` }))}
        data-testid={`joint-list-items-${departmentId}`}
        notFoundContent={t('joint.noJointItems')}
      />
    </Space>
  );
}

/**
 * While a joint task has no draw: each participating department the user writes for (its own, or
 * any for the joint office) adds items.
 */
export function ContributeItems({ task, onDone }: { task: Task; onDone: () => void }) {
  const { t } = useI18n();
  const { user, hasRole } = useAuth();
  const { message } = App.useApp();
  const [pick, setPick] = useState<Record<number, ItemPick>>({});
  const [busy, setBusy] = useState<number | null>(null);
  if (!task.isJoint || task.draws.length > 0 || task.status !== 'draft') return null;
  const participants = [
    task.departmentId,
    ...task.partners.filter((p) => p.state !== 'declined').map((p) => p.departmentId),
  ];
  const mine = participants.filter(
    (d) => hasRole('joint_admin') || (hasRole('dept_admin') && user?.departmentId === d),
  );
  if (mine.length === 0) return null;
  const cited = task.items.map((i) => i.id);
  const add = async (d: number) => {
    setBusy(d);
    try {
      const r = await api.post<{ added: number[] }>(
        `/api/tasks/${task.id}/partners/${d}/items`,
        pick[d] ?? {},
      );
      void message.success(t('joint.itemsAdded', { n: r.added.length }));
      setPick((p) => ({ ...p, [d]: {} }));
      onDone();
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%', marginBottom: 12 }} data-testid="joint-contribute">
      <Typography.Text type="secondary">{t('joint.contributeHint')}</Typography.Text>
      {mine.map((d) => (
        <Space key={d} wrap>
          <PartnerItemsPicker
            departmentId={d}
            value={pick[d]}
            exclude={cited}
            onChange={(v) => setPick((p) => ({ ...p, [d]: v }))}
          />
          <Button
            icon={<PlusOutlined />}
            loading={busy === d}
            disabled={!pick[d]?.itemIds?.length && !pick[d]?.jointItemIds?.length}
            onClick={() => void add(d)}
            data-testid={`joint-contribute-add-${d}`}
          >
            {t('joint.addItems')}
          </Button>
        </Space>
      ))}
    </Space>
  );
}
