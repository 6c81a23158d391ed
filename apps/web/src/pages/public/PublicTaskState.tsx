/** The task's real state on the public pages: committed … results being entered … published / corrected. */
import { Tag } from 'antd';
import type { PublicTaskState } from '@choucha/api';
import { useI18n } from '../../i18n/index.tsx';

const COLORS: Record<PublicTaskState['state'], string> = {
  superseded: 'default',
  committed: 'gold',
  drawn: 'blue',
  matched: 'blue',
  entering: 'processing',
  published: 'green',
  corrected: 'orange',
};

export function PublicTaskStateTag({ state }: { state: PublicTaskState }) {
  const { t } = useI18n();
  return (
    <Tag color={COLORS[state.state]} data-testid="public-task-state" data-state={state.state}>
      {t(`publicState.${state.state}`)}
    </Tag>
  );
}

export function PublicTaskStateText({ state }: { state: PublicTaskState }) {
  const { t } = useI18n();
  return (
    <span data-testid="public-task-progress" data-published={state.published} data-targets={state.targets}>
      {t('public.taskStateDetail', { published: state.published, targets: state.targets })}
      {state.escalations > 0 ? `；${t('public.escalations', { n: state.escalations })}` : ''}
    </span>
  );
}
