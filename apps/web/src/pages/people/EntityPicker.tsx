/** A searchable entity choice (name or code), asking the directory as the user types. */
import { useEffect, useState } from 'react';
import { Select } from 'antd';
import type { EntitySearchRowView } from '../../api/types.ts';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';

export function EntityPicker({
  value,
  onChange,
}: {
  value?: number;
  onChange?: (v: number | undefined) => void;
}) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [items, setItems] = useState<EntitySearchRowView[]>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    if (q.trim().length < 2) return;
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      api
        .get<{ items: EntitySearchRowView[] }>('/api/entities', {
          query: { q: q.trim(), page: 1, pageSize: 20 },
          signal: ctrl.signal,
          silent: true,
        })
        .then((r) => setItems(r.items))
        .catch(() => undefined)
        .finally(() => setLoading(false));
    }, 250);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [q]);
  return (
    <Select<number | null>
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear
      loading={loading}
      value={value ?? null}
      onChange={(v) => onChange?.(v ?? undefined)}
      placeholder={t('recusal.entitySearch')}
      style={{ width: '100%' }}
      data-testid="recusal-entity"
      options={items.map((e) => ({
        value: e.id,
        label: `${e.name}${(e.uscc ?? e.regNo) ? ` · ${e.uscc ?? e.regNo}` : ''}`,
      }))}
    />
  );
}
