/**
 * In-browser verification of a public draw: download the public bundle, run `verifyBundleBytes`
 * from @choucha/core (v1 and v2, strictly: the commitment hash, the seed from the dice and the
 * drand beacon with its BLS signature, every selected entity's nonce and ticket against the
 * committed roster, the sizes, the teams), in a Web Worker; then check that the bundle is the one
 * this page publishes (same commitment hash, seed and targets). The public view cannot check each
 * entity's stratum, the tickets of entities not selected nor the reasons of the inspectors'
 * exclusions: the supervisor (监督员) does, with the full bundle.
 */
import { useState } from 'react';
import { Alert, Button, Card, Space, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import type { PublicDraw } from '@choucha/api';
import { useI18n } from '../../i18n/index.tsx';
import { OutcomeView } from '../../verify/OutcomeView.tsx';
import { verifyBytes, type VerifyRun } from '../../verify/run.ts';

export interface VerifyPanelProps {
  draw: PublicDraw;
  /** Where the JSON bundle (commitment, roster, seed inputs, tickets) can be downloaded. */
  bundleUrl: string;
}

interface Difference {
  path: string;
  expected: unknown;
  actual: unknown;
}
type Outcome =
  { kind: 'verified'; run: VerifyRun; page: Difference | undefined } | { kind: 'failed'; message: string };

/** key → ticket of the bundle's selection (v1: per stratum; v2: one list), or undefined. */
function selectionOf(bundle: unknown): Map<string, string> | undefined {
  const sel = (bundle as { selection?: unknown } | null)?.selection;
  if (!Array.isArray(sel)) return undefined;
  const out = new Map<string, string>();
  for (const s of sel as { key?: unknown; ticket?: unknown; selected?: unknown }[]) {
    if (Array.isArray(s.selected)) {
      for (const x of s.selected as { key: string; ticket: string }[]) out.set(x.key, x.ticket);
    } else if (typeof s.key === 'string' && typeof s.ticket === 'string') out.set(s.key, s.ticket);
  }
  return out;
}

/** The bundle against what the page publishes: the first difference, or undefined. */
export function comparePublished(
  draw: Pick<PublicDraw, 'commitmentHash' | 'seed' | 'targets'>,
  bundle: unknown,
  outcome: { commitmentHash?: string | undefined; seed?: string | null | undefined },
): Difference | undefined {
  if (outcome.commitmentHash !== draw.commitmentHash)
    return { path: '$.commitmentHash', expected: draw.commitmentHash, actual: outcome.commitmentHash };
  if (draw.seed !== null && (outcome.seed ?? null) !== draw.seed)
    return { path: '$.seed', expected: draw.seed, actual: outcome.seed };
  const inBundle = selectionOf(bundle) ?? new Map<string, string>();
  for (const [i, tg] of draw.targets.entries()) {
    const ticket = inBundle.get(tg.key);
    if (ticket === undefined) return { path: `targets[${i}].key`, expected: '∈ selection', actual: tg.key };
    if (ticket !== tg.ticket) return { path: `targets[${i}].ticket`, expected: ticket, actual: tg.ticket };
  }
  if (inBundle.size !== draw.targets.length)
    return { path: 'targets.length', expected: inBundle.size, actual: draw.targets.length };
  return undefined;
}

export function VerifyPanel({ draw, bundleUrl }: VerifyPanelProps) {
  const { t, lang } = useI18n();
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // a v2 draw has a public bundle from its commitment on; a v1 draw once drawn
  const available = draw.algorithmVersion !== 'choucha-draw-v1' || draw.seed !== null;

  const run = async () => {
    setRunning(true);
    setOutcome(null);
    try {
      const res = await fetch(bundleUrl, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        // the verifier says why
      }
      const r = await verifyBytes(bytes);
      const page = r.outcome.verdict === 'verified' ? comparePublished(draw, parsed, r.outcome) : undefined;
      setOutcome({ kind: 'verified', run: r, page });
    } catch (e) {
      setOutcome({
        kind: 'failed',
        // the browser's own message (English) only in the English UI
        message:
          lang === 'en' && e instanceof Error ? `${t('verify.failed')}: ${e.message}` : t('verify.failed'),
      });
    } finally {
      setRunning(false);
    }
  };

  const ok = outcome?.kind === 'verified' && outcome.run.outcome.verdict === 'verified' && !outcome.page;
  return (
    <Card
      size="small"
      title={t('verify.title')}
      data-testid="verify-panel"
      data-draw-id={draw.id}
      data-bundle-url={bundleUrl}
      extra={
        <Button
          type="primary"
          icon={<SafetyCertificateOutlined />}
          loading={running}
          disabled={!available}
          onClick={() => void run()}
          data-testid="verify-run"
        >
          {running ? t('verify.running') : t('verify.run')}
        </Button>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {available ? t('verify.explainV2') : t('verify.notDrawn')}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }} data-testid="verify-cannot-check">
          {t('verify.publicCannot')}
        </Typography.Paragraph>
        {outcome ? (
          <div
            data-testid="verify-result"
            data-ok={String(ok)}
            data-code={
              outcome.kind === 'failed'
                ? 'VERIFY_FAILED'
                : outcome.page
                  ? 'PAGE_MISMATCH'
                  : (outcome.run.outcome.code ?? '')
            }
          >
            {outcome.kind === 'failed' ? (
              <Alert type="error" showIcon title={t('verify.notVerified')} description={outcome.message} />
            ) : (
              <Space orientation="vertical" style={{ width: '100%' }}>
                {outcome.page ? (
                  <Alert
                    type="error"
                    showIcon
                    data-testid="verify-page-mismatch"
                    title={t('verify.pageMismatch')}
                    description={
                      <span style={{ wordBreak: 'break-all' }}>
                        {t('verify.firstDifference')}：
                        <Typography.Text code>{outcome.page.path}</Typography.Text>
                        {' · '}
                        {t('verify.expected')}：
                        <Typography.Text code>{JSON.stringify(outcome.page.expected)}</Typography.Text>
                        {' · '}
                        {t('verify.actual')}：
                        <Typography.Text code>{JSON.stringify(outcome.page.actual)}</Typography.Text>
                      </span>
                    }
                  />
                ) : null}
                {ok ? (
                  <Typography.Text type="success" data-testid="verify-page-matches">
                    {t('verify.verified')}
                  </Typography.Text>
                ) : null}
                <OutcomeView outcome={outcome.run.outcome} ms={outcome.run.ms} />
              </Space>
            )}
          </div>
        ) : null}
      </Space>
    </Card>
  );
}

export default VerifyPanel;
