/** The district the platform serves, in the header (GET /api/organisation; nothing before the setup). */
import { Typography } from 'antd';
import type { OrganisationAnswer } from '@choucha/api';
import { useFetch } from '../../api/client.ts';

export function OrganisationBadge() {
  const { data } = useFetch<OrganisationAnswer>('/api/organisation', undefined, { silent: true });
  const o = data?.organisation;
  if (!o) return null;
  return (
    <Typography.Text
      style={{ color: 'rgba(255,255,255,0.85)', whiteSpace: 'nowrap' }}
      title={`${o.province.name} ${o.city.name} ${o.district.name}（${o.district.code}）`}
      data-testid="header-organisation"
    >
      {o.city.name}
      {o.district.name}
    </Typography.Text>
  );
}
