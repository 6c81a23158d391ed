/**
 * The task form's pick from the joint item list (部门联合抽查事项清单): a row stands for the items of
 * the participating departments' published lists linked to it; they join the task's items.
 */
import { Select } from 'antd';
import { useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';

interface Catalogue {
  items: { id: number; departmentId: number }[];
  jointItems: { id: number; domain: string; name: string; leadDepartmentId: number; itemIds: number[] }[];
}

export function useJointRows() {
  const { data, loading } = useFetch<Catalogue>('/api/items');
  const byId = new Map((data?.items ?? []).map((i) => [i.id, i.departmentId]));
  return {
    loading,
    rows: data?.jointItems ?? [],
    /** The items of `departmentIds` linked to the chosen rows. */
    itemsFor(rowIds: readonly number[], departmentIds: readonly (number | undefined)[]): number[] {
      const ds = new Set(departmentIds.filter((d): d is number => d !== undefined));
      const rows = (data?.jointItems ?? []).filter((r) => rowIds.includes(r.id));
      return [...new Set(rows.flatMap((r) => r.itemIds.filter((id) => ds.has(byId.get(id) ?? -1))))];
    },
  };
}

export function JointRowsSelect({
  value,
  onChange,
  rows,
  loading,
}: {
  value?: number[];
  onChange?: (v: number[]) => void;
  rows: ReturnType<typeof useJointRows>['rows'];
  loading: boolean;
}) {
  const { t } = useI18n();
  return (
    <Select<number[]>
      mode="multiple"
      allowClear
      loading={loading}
      value={value ?? []}
      onChange={(v) => onChange?.(v)}
      optionFilterProp="label"
      placeholder={t('joint.pickJointItems')}
      options={rows.map((r) => ({ value: r.id, label: `${r.domain} · ${r.name}` }))}
      data-testid="task-joint-rows"
    />
  );
}
