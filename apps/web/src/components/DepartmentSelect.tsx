import { Select } from 'antd';
import type { Department } from '@choucha/api';
import { useI18n } from '../i18n/index.tsx';

export function DepartmentSelect({
  departments,
  value,
  onChange,
  multiple,
  testId,
  width = 240,
  exclude,
  placeholder,
}: {
  departments: Department[];
  value?: number | number[] | undefined;
  onChange?: (v: number | number[] | undefined) => void;
  multiple?: boolean;
  testId?: string;
  width?: number | string;
  exclude?: number | null;
  placeholder?: string;
}) {
  const { t } = useI18n();
  const selected = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return (
    <Select<number | number[]>
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      {...(multiple ? { mode: 'multiple' as const } : {})}
      placeholder={placeholder ?? t('common.department')}
      style={{ width }}
      value={value ?? null}
      onChange={(v) => onChange?.(v)}
      data-testid={testId}
      options={departments
        // a deactivated department is offered only while it is the current value (history)
        .filter((d) => d.id !== exclude && (d.active !== false || selected.includes(d.id)))
        .map((d) => ({ value: d.id, label: d.name }))}
    />
  );
}
