/**
 * PLACEHOLDER — in-browser verification of a public draw.
 *
 * Another session will implement this: recompute the commitment hash from `commitment`, derive
 * the seed from the published seed inputs (dice digits / drand beacon, checking the BLS signature),
 * recompute every ticket over the roster in the downloaded bundle, and compare the selected
 * targets with the published ones. Keep the props stable: the public draw page renders
 * <VerifyPanel draw={draw} bundleUrl={…} />.
 */
import { Alert, Card } from 'antd';
import type { PublicDraw } from '@choucha/api';
import { useI18n } from '../../i18n/index.tsx';

export interface VerifyPanelProps {
  draw: PublicDraw;
  /** Where the JSON bundle (commitment, roster, seed inputs, tickets) can be downloaded. */
  bundleUrl: string;
}

export function VerifyPanel({ draw, bundleUrl }: VerifyPanelProps) {
  const { t } = useI18n();
  return (
    <Card
      size="small"
      title={t('verify.title')}
      data-testid="verify-panel"
      data-draw-id={draw.id}
      data-bundle-url={bundleUrl}
    >
      <Alert type="info" showIcon title={t('verify.placeholder')} description={t('verify.placeholderDesc')} />
    </Card>
  );
}

export default VerifyPanel;
