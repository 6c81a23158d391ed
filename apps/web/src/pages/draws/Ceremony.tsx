/**
 * The dice ceremony of a reveal (draw-protocol-v2 §6; draws.ceremony): where and when the dice
 * were rolled, who rolled them and before whom (officials and notaries, public by design). The
 * reveal form asks for all four whenever the commitment names dice.
 */
import { Descriptions, Space, Tag } from 'antd';
import type { DiceCeremony } from '@choucha/api';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDateTime } from '../../components/common.tsx';

export const CEREMONY_TEXT_MAX = 200;
export const CEREMONY_WITNESSES_MAX = 10;

export function CeremonyView({ ceremony }: { ceremony: DiceCeremony }) {
  const { t } = useI18n();
  return (
    <Descriptions column={1} size="small" data-testid="draw-ceremony">
      <Descriptions.Item label={t('ceremony.place')}>
        <span data-testid="draw-ceremony-place">{ceremony.place}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('ceremony.at')}>
        <span data-testid="draw-ceremony-at">{fmtDateTime(ceremony.at)}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('ceremony.rolledBy')}>
        <span data-testid="draw-ceremony-rolled-by">{ceremony.rolledBy}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('ceremony.witnesses')}>
        <Space wrap size={4} data-testid="draw-ceremony-witnesses">
          {ceremony.witnesses.map((w) => (
            <Tag key={w}>{w}</Tag>
          ))}
        </Space>
      </Descriptions.Item>
    </Descriptions>
  );
}

export interface CeremonyInput {
  place: string;
  at: string;
  rolledBy: string;
  witnesses: string[];
}

/** The form's problems: the i18n keys of the fields not filled in as the service requires. */
export function ceremonyProblems(c: CeremonyInput): ('place' | 'at' | 'rolledBy' | 'witnesses')[] {
  const bad: ('place' | 'at' | 'rolledBy' | 'witnesses')[] = [];
  const text = (s: string) => s.trim().length >= 1 && [...s.trim()].length <= CEREMONY_TEXT_MAX;
  if (!text(c.place)) bad.push('place');
  if (!c.at || Number.isNaN(Date.parse(c.at)) || Date.parse(c.at) > Date.now() + 60_000) bad.push('at');
  if (!text(c.rolledBy)) bad.push('rolledBy');
  const w = c.witnesses.map((x) => x.trim()).filter(Boolean);
  if (w.length < 1 || w.length > CEREMONY_WITNESSES_MAX || !w.every(text)) bad.push('witnesses');
  return bad;
}
