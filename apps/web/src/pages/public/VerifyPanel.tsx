/**
 * In-browser verification of a public draw: download the public bundle, run `verifyBundle` from
 * @choucha/core (commitment hash, seed from the published inputs — dice digits or a drand beacon
 * with its BLS signature —, every ticket over the roster, the selection and the teams), then check
 * that the bundle is the one this page publishes (same commitment hash, seed and targets).
 * The core is loaded on demand so the public pages stay light.
 */
import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Space, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import type { PublicDraw } from '@choucha/api';
import type { DrawBundle } from '@choucha/core';
import { useI18n } from '../../i18n/index.tsx';
import { localizedErrorMessage } from '../../api/client.ts';

export interface VerifyPanelProps {
  draw: PublicDraw;
  /** Where the JSON bundle (commitment, roster, seed inputs, tickets) can be downloaded. */
  bundleUrl: string;
}

interface Difference {
  code: string;
  message: string;
  path?: string | undefined;
  expected?: unknown;
  actual?: unknown;
}
type Outcome =
  | { ok: true; seed: string; selected: number; rosterSize: number; ms: number }
  | { ok: false; diff: Difference };

function show(v: unknown): string {
  if (v === undefined) return '—';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

/** The bundle against what the page publishes: the first difference, or undefined. */
function comparePublished(draw: PublicDraw, bundle: DrawBundle, seed: string): Difference | undefined {
  if (bundle.commitmentHash !== draw.commitmentHash)
    return {
      code: 'PAGE_MISMATCH',
      message: 'commitmentHash',
      path: '$.commitmentHash',
      expected: draw.commitmentHash,
      actual: bundle.commitmentHash,
    };
  if (draw.seed !== null && seed !== draw.seed)
    return { code: 'PAGE_MISMATCH', message: 'seed', path: '$.seed', expected: draw.seed, actual: seed };
  const inBundle = new Map<string, string>();
  for (const s of bundle.selection) for (const x of s.selected) inBundle.set(x.key, x.ticket);
  for (const [i, tg] of draw.targets.entries()) {
    const ticket = inBundle.get(tg.key);
    if (ticket === undefined)
      return {
        code: 'PAGE_MISMATCH',
        message: 'target',
        path: `targets[${i}].key`,
        expected: '∈ selection',
        actual: tg.key,
      };
    if (ticket !== tg.ticket)
      return {
        code: 'PAGE_MISMATCH',
        message: 'ticket',
        path: `targets[${i}].ticket`,
        expected: ticket,
        actual: tg.ticket,
      };
  }
  if (inBundle.size !== draw.targets.length)
    return {
      code: 'PAGE_MISMATCH',
      message: 'count',
      path: 'targets.length',
      expected: inBundle.size,
      actual: draw.targets.length,
    };
  return undefined;
}

export function VerifyPanel({ draw, bundleUrl }: VerifyPanelProps) {
  const { t, lang } = useI18n();
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const drawn = draw.seed !== null;

  const run = async () => {
    setRunning(true);
    setOutcome(null);
    try {
      const res = await fetch(bundleUrl, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const bundle = (await res.json()) as DrawBundle;
      const { verifyBundle } = await import('@choucha/core');
      // let the spinner paint before the (synchronous) recomputation
      await new Promise((r) => setTimeout(r, 20));
      const started = performance.now();
      const r = verifyBundle(bundle);
      const ms = Math.round(performance.now() - started);
      if (!r.ok) {
        const d = r.error.details ?? {};
        setOutcome({
          ok: false,
          diff: {
            code: r.error.code,
            // the engine's precise English message stays in the bundle check; the UI shows the code's text
            message: localizedErrorMessage(r.error.code, r.error.message),
            path: typeof d['path'] === 'string' ? d['path'] : undefined,
            expected: d['expected'],
            actual: d['actual'],
          },
        });
        return;
      }
      const diff = comparePublished(draw, bundle, r.value.seed);
      if (diff) {
        setOutcome({ ok: false, diff: { ...diff, message: t('verify.pageMismatch') } });
        return;
      }
      setOutcome({
        ok: true,
        seed: r.value.seed,
        selected: r.value.selected,
        rosterSize: bundle.commitment.roster.size,
        ms,
      });
    } catch (e) {
      setOutcome({
        ok: false,
        diff: {
          code: 'VERIFY_FAILED',
          // the browser's own message (English) only in the English UI
          message:
            lang === 'en' && e instanceof Error ? `${t('verify.failed')}: ${e.message}` : t('verify.failed'),
        },
      });
    } finally {
      setRunning(false);
    }
  };

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
          disabled={!drawn}
          onClick={() => void run()}
          data-testid="verify-run"
        >
          {running ? t('verify.running') : t('verify.run')}
        </Button>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {drawn ? t('verify.explain') : t('verify.notDrawn')}
        </Typography.Paragraph>
        {outcome ? (
          outcome.ok ? (
            <Alert
              type="success"
              showIcon
              data-testid="verify-result"
              data-ok="true"
              title={t('verify.verified')}
              description={
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label={t('draws.seed')}>
                    <Typography.Text code style={{ wordBreak: 'break-all' }}>
                      {outcome.seed}
                    </Typography.Text>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('verify.checked')}>
                    {t('verify.checkedText', {
                      roster: outcome.rosterSize,
                      n: outcome.selected,
                      ms: outcome.ms,
                    })}
                  </Descriptions.Item>
                </Descriptions>
              }
            />
          ) : (
            <Alert
              type="error"
              showIcon
              data-testid="verify-result"
              data-ok="false"
              data-code={outcome.diff.code}
              title={t('verify.notVerified')}
              description={
                <Space orientation="vertical" size={2}>
                  <span>{outcome.diff.message}</span>
                  {outcome.diff.path ? (
                    <span>
                      {t('verify.firstDifference')}：
                      <Typography.Text code>{outcome.diff.path}</Typography.Text>
                    </span>
                  ) : null}
                  {outcome.diff.path ? (
                    <span style={{ wordBreak: 'break-all' }}>
                      {t('verify.expected')}：
                      <Typography.Text code>{show(outcome.diff.expected)}</Typography.Text>
                      {' · '}
                      {t('verify.actual')}：
                      <Typography.Text code>{show(outcome.diff.actual)}</Typography.Text>
                    </span>
                  ) : null}
                </Space>
              }
            />
          )
        ) : null}
      </Space>
    </Card>
  );
}

export default VerifyPanel;
