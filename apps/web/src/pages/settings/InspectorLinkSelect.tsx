/** A searchable choice of the inspector record an account is linked to (records without an account). */
import { Select } from 'antd';
import { useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';

interface Candidate {
  id: number;
  name: string;
  certNo: string | null;
}

export function InspectorLinkSelect({
  departmentId,
  current,
  value,
  onChange,
}: {
  departmentId: number | null;
  /** the record linked now (it has an account, so it is not among the candidates) */
  current: Candidate | null;
  value?: number | null;
  onChange?: (v: number | null) => void;
}) {
  const { t } = useI18n();
  const { data, loading } = useFetch<{ items: Candidate[] }>(
    departmentId === null ? null : '/api/users/inspector-candidates',
    { departmentId: departmentId ?? undefined },
  );
  const items = [...(current ? [current] : []), ...(data?.items ?? [])];
  return (
    <Select<number | null>
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      loading={loading}
      disabled={departmentId === null}
      placeholder={t('users.inspectorSearch')}
      value={value ?? null}
      onChange={(v) => onChange?.(v ?? null)}
      data-testid="user-edit-inspector"
      style={{ width: '100%' }}
      options={items.map((i) => ({ value: i.id, label: i.certNo ? `${i.name} · ${i.certNo}` : i.name }))}
    />
  );
}
