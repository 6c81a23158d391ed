/**
 * No English reaches the Chinese UI (issue 8 §6). Fails on:
 *  (a) an error code without a Chinese and an English text, or whose Chinese text is English;
 *  (b) an importer row reason or a draw-exclusion reason without both texts;
 *  (c) an audit action key the services emit (`action: '…'`) without a label;
 *  (d) the zh and en dictionaries differing in their keys, or an empty or English Chinese entry;
 *  (e) an English string literal rendered as JSX text or given to a visible prop
 *      (title, label, placeholder …) in the web app outside the i18n files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ERROR_TABLE } from '../../../../packages/core/src/errors.ts';
import { DRAW_EXCLUSION_REASONS } from '../../../../packages/core/src/draw-exclusion-reasons.ts';
import { englishPhrase, hasCjk } from '../../../../packages/core/src/zh-text.ts';
import { ROW_REASONS } from '../../../../packages/importer/src/reasons.ts';
import { zh } from './zh.ts';
import { en } from './en.ts';
import { AUDIT_ACTIONS, AUDIT_SUBJECTS } from './audit-actions.ts';

const ROOT = join(import.meta.dirname, '../../../..');
const WEB_SRC = join(ROOT, 'apps/web/src');

/** CLI commands quoted in Chinese help texts are not English prose. */
const CLI_COMMAND = /choucha(?:\s+(?:--?)?[a-z][a-z-]*)+/g;

/**
 * The English phrase a text meant for the Chinese UI contains, or why it is not Chinese. A text
 * without Chinese characters passes only if it has no word beyond the allowed ones (units: %, MB).
 */
function notChinese(s: string): string | undefined {
  const t = s.replace(CLI_COMMAND, '').replace(/\{\w+\}/g, '');
  if (!hasCjk(t)) return englishIn(t) !== undefined ? 'no Chinese character' : undefined;
  return englishPhrase(t);
}

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, ext));
    else if (ext.test(name)) out.push(p);
  }
  return out;
}

describe('(a) error codes', () => {
  it('every code has a Chinese text (Chinese, not English) and an English text', () => {
    const bad: string[] = [];
    for (const [code, row] of Object.entries(ERROR_TABLE)) {
      if (!row.en.trim()) bad.push(`${code}: no English text`);
      const why = row.zh.trim() ? notChinese(row.zh) : 'empty';
      if (why) bad.push(`${code}: zh "${row.zh}" — ${why}`);
    }
    expect(bad).toEqual([]);
    expect(Object.keys(ERROR_TABLE).length).toBeGreaterThan(60);
  });
});

describe('(b) reasons', () => {
  it('every importer row reason has a Chinese and an English text', () => {
    const bad: string[] = [];
    for (const [code, row] of Object.entries(ROW_REASONS) as [string, { zh: string; en?: string }][]) {
      if (!row.en?.trim()) bad.push(`${code}: no English text (packages/importer/src/reasons.ts)`);
      const why = row.zh.trim() ? notChinese(row.zh) : 'empty';
      if (why) bad.push(`${code}: zh "${row.zh}" — ${why}`);
    }
    expect(bad).toEqual([]);
  });

  it('every draw-exclusion reason has both texts and both labels, with the same parameters', () => {
    const bad: string[] = [];
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [code, row] of Object.entries(DRAW_EXCLUSION_REASONS)) {
      for (const [what, text] of [
        ['zh', row.zh],
        ['label.zh', row.label.zh],
      ] as const) {
        const why = text.trim() ? notChinese(text) : 'empty';
        if (why) bad.push(`${code} ${what}: "${text}" — ${why}`);
      }
      if (!row.en.trim() || !row.label.en.trim()) bad.push(`${code}: no English text`);
      if (params(row.zh).join() !== params(row.en).join()) bad.push(`${code}: zh and en parameters differ`);
    }
    expect(bad).toEqual([]);
    expect(Object.keys(DRAW_EXCLUSION_REASONS)).toEqual(
      expect.arrayContaining([
        'DRAW_EXCLUDED_TEMPORARY',
        'DRAW_EXCLUDED_COOLDOWN',
        'DRAW_EXCLUDED_CAP',
        'DRAW_EXCLUDED_NO_CODE',
        'DRAW_EXCLUDED_DUPLICATE_CODE',
      ]),
    );
  });
});

/** Every audit action key in the source: `action: 'a.b'`, also in a conditional (`x ? 'a.b' : 'a.c'`). */
export function emittedAuditActions(): { keys: Map<string, string>; dynamic: string[] } {
  const keys = new Map<string, string>();
  const dynamic: string[] = [];
  const dirs = ['packages/services/src', 'apps/server/src', 'apps/cli/src', 'packages/demo/src'];
  for (const dir of dirs) {
    for (const file of files(join(ROOT, dir), /\.ts$/)) {
      if (/\.test\.ts$/.test(file) || /[\\/]testing[\\/]/.test(file)) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\baction:\s*([^,}]+)/g)) {
        const value = m[1]!;
        const rel = relative(ROOT, file);
        const literals = [...value.matchAll(/['"]([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)['"]/g)].map((x) => x[1]!);
        for (const k of literals) if (!keys.has(k)) keys.set(k, rel);
        if (/`[^`]*\$\{/.test(value)) dynamic.push(`${rel}: action: ${value.trim()}`);
      }
    }
  }
  return { keys, dynamic };
}

describe('(c) audit action keys', () => {
  it('every action key the services emit has a Chinese and an English label', () => {
    const { keys, dynamic } = emittedAuditActions();
    // the scan finds the known ones (it is not vacuous)
    expect([...keys.keys()]).toEqual(expect.arrayContaining(['auth.login', 'draw.commit', 'draw.recommit']));
    const missing = [...keys].filter(([k]) => !AUDIT_ACTIONS[k]).map(([k, f]) => `${k} (${f})`);
    expect(missing, 'add these to apps/web/src/i18n/audit-actions.ts').toEqual([]);
    expect(dynamic, 'an action key built at run time cannot be checked: write the keys out').toEqual([]);
  });

  it('every label is filled in both languages', () => {
    const bad: string[] = [];
    for (const [k, v] of [...Object.entries(AUDIT_ACTIONS), ...Object.entries(AUDIT_SUBJECTS)]) {
      const why = notChinese(v.zh);
      if (why) bad.push(`${k}: zh "${v.zh}" — ${why}`);
      if (!v.en.trim()) bad.push(`${k}: no English label`);
    }
    expect(bad).toEqual([]);
  });

  it('every subject type the services record has a label', () => {
    const seen = new Set<string>();
    for (const dir of ['packages/services/src', 'apps/server/src', 'apps/cli/src']) {
      for (const file of files(join(ROOT, dir), /\.ts$/)) {
        if (/\.test\.ts$/.test(file) || /[\\/]testing[\\/]/.test(file)) continue;
        for (const m of readFileSync(file, 'utf8').matchAll(/\bsubjectType:\s*'([a-z_]+)'/g)) seen.add(m[1]!);
      }
    }
    expect(seen.has('draw')).toBe(true);
    expect([...seen].filter((s) => !AUDIT_SUBJECTS[s])).toEqual([]);
  });
});

describe('(d) dictionaries', () => {
  it('zh and en have the same keys', () => {
    const zk = Object.keys(zh).sort();
    const ek = Object.keys(en).sort();
    expect(zk.filter((k) => !ek.includes(k))).toEqual([]);
    expect(ek.filter((k) => !zk.includes(k))).toEqual([]);
  });

  it('every zh entry is Chinese and every en entry is filled', () => {
    const bad: string[] = [];
    for (const [k, v] of Object.entries(zh) as [string, string][]) {
      const why = v.trim() ? notChinese(v) : 'empty';
      if (why) bad.push(`${k}: "${v}" — ${why}`);
    }
    for (const [k, v] of Object.entries(en)) if (!v.trim()) bad.push(`${k}: en empty`);
    expect(bad).toEqual([]);
  });
});

/**
 * Words that may stand in the Chinese UI as they are: brand and product names, formats, units,
 * abbreviations a Chinese clerk reads as such.
 */
const ALLOWED_LATIN = new Set(
  [
    'choucha',
    'drand',
    'quicknet',
    'mainnet',
    'USCC',
    'ID',
    'OK',
    'API',
    'URL',
    'JSON',
    'CSV',
    'xlsx',
    'xls',
    'csv',
    'json',
    'PDF',
    'SHA',
    'GB',
    'MB',
    'KB',
    'px',
    'ms',
    'HTTP',
    'HTTPS',
    'BOM',
    'UTF',
    'GBK',
    'EN',
  ].map((w) => w.toLowerCase()),
);

/** Object properties whose string value is shown (antd options, table columns, notifications). */
const VISIBLE_KEYS = new Set([
  'title',
  'label',
  'placeholder',
  'description',
  'emptyText',
  'okText',
  'cancelText',
]);

/** Props whose string value is shown to the user. */
const VISIBLE_PROPS = new Set([
  'title',
  'label',
  'placeholder',
  'alt',
  'aria-label',
  'tooltip',
  'okText',
  'cancelText',
  'description',
  'message',
  'emptyText',
  'extra',
  'addonBefore',
  'addonAfter',
  'help',
  'content',
  'children',
  'text',
]);

const DICT_KEY = /^[a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)+$/;

function englishIn(s: string): string | undefined {
  // a dictionary key (`nav.audit`) is translated where it is used
  if (DICT_KEY.test(s.trim()) && s.trim() in zh) return undefined;
  const words = s.replace(CLI_COMMAND, '').match(/[A-Za-z]{2,}/g) ?? [];
  return words.find((w) => !ALLOWED_LATIN.has(w.toLowerCase()));
}

/** English literals rendered in a TSX file: [line, text]. */
export function englishLiterals(file: string, text: string): { line: number; text: string }[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const out: { line: number; text: string }[] = [];
  const flag = (node: ts.Node, s: string) => {
    if (englishIn(s))
      out.push({ line: src.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: s });
  };
  /** String literals an expression evaluates to directly (a literal, either arm of a conditional, ?? / ||). */
  const literalsOf = (e: ts.Expression, visit: (n: ts.Node, s: string) => void) => {
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) visit(e, e.text);
    else if (ts.isTemplateExpression(e)) {
      visit(e, [e.head.text, ...e.templateSpans.map((s) => s.literal.text)].join(' '));
    } else if (ts.isParenthesizedExpression(e)) literalsOf(e.expression, visit);
    else if (ts.isConditionalExpression(e)) {
      literalsOf(e.whenTrue, visit);
      literalsOf(e.whenFalse, visit);
    } else if (
      ts.isBinaryExpression(e) &&
      (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
        e.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
        e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)
    ) {
      if (e.operatorToken.kind !== ts.SyntaxKind.AmpersandAmpersandToken) literalsOf(e.left, visit);
      literalsOf(e.right, visit);
    }
  };
  const walk = (node: ts.Node) => {
    if (ts.isJsxText(node)) {
      const s = node.text.trim();
      if (s) flag(node, s);
    } else if (ts.isJsxExpression(node) && node.expression && !ts.isJsxAttribute(node.parent)) {
      literalsOf(node.expression, flag);
    } else if (ts.isJsxAttribute(node)) {
      const name = node.name.getText(src);
      if (VISIBLE_PROPS.has(name) && node.initializer) {
        if (ts.isStringLiteral(node.initializer)) flag(node.initializer, node.initializer.text);
        else if (ts.isJsxExpression(node.initializer) && node.initializer.expression)
          literalsOf(node.initializer.expression, flag);
      }
    } else if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      /^(message|notification)$/.test(node.expression.expression.getText(src)) &&
      node.arguments[0]
    ) {
      // message.success('…'), notification.error('…')
      literalsOf(node.arguments[0], flag);
    } else if (ts.isPropertyAssignment(node)) {
      // antd option objects and table columns: { title: '…' }, { label: '…' }
      const name = node.name.getText(src).replace(/['"]/g, '');
      if (VISIBLE_KEYS.has(name)) literalsOf(node.initializer, flag);
    }
    ts.forEachChild(node, walk);
  };
  walk(src);
  return out;
}

describe('(e) the web app renders no English literal', () => {
  it('the scan finds English where there is some (it is not vacuous)', () => {
    const sample = `const a = <Card title="Draw preview"><span>Hello world</span>{ok ? 'Yes' : '是'}
      <Input placeholder={'Search'} /><Tag>drand</Tag>{t('x')}</Card>;
      message.success('Saved');
      const cols = [{ title: 'Entity', dataIndex: 'name' }, { title: '#', dataIndex: 'seq' }];`;
    expect(englishLiterals('x.tsx', sample).map((f) => f.text)).toEqual([
      'Draw preview',
      'Hello world',
      'Yes',
      'Search',
      'Saved',
      'Entity',
    ]);
  });

  it('no TSX file outside the i18n folder renders an English literal', () => {
    const found: string[] = [];
    for (const file of files(WEB_SRC, /\.tsx$/)) {
      if (file.includes(`${join(WEB_SRC, 'i18n')}`)) continue;
      for (const f of englishLiterals(file, readFileSync(file, 'utf8')))
        found.push(`${relative(ROOT, file)}:${f.line} ${JSON.stringify(f.text)}`);
    }
    expect(found).toEqual([]);
  });
});
