/**
 * 个体工商户 registered without a trade name (字号). The register shows no name, or a placeholder
 * (无字号, *, 个体工商户 …); it shows the operator (经营者). Such rows are real inspection targets:
 * they are kept, named by the convention below, and identified by their USCC or registration number.
 *
 * Convention (packages/importer/README.md, "Nameless 个体工商户"):
 *   with an operator:       个体工商户（经营者 周某）
 *   without, with a code:   个体工商户（统一社会信用代码 92610103MA6…）or 个体工商户（注册号 610103600…）
 *   neither:                not importable (NAME_MISSING): nothing would tell two such rows apart
 */

/** Name cells that mean "no trade name". */
const PLACEHOLDER =
  /^(?:[\s*＊·.。\-—_/／\\无]*|[(（]?(?:无字号|无名称|无|空|未起字号|个体工商户|个体户|个体)[)）]?)$/;

export function isNamePlaceholder(name: string): boolean {
  return PLACEHOLDER.test(name.normalize('NFKC').trim());
}

/** The USCC's 机构类别 (2nd character) under 登记管理部门 9 (市场监管): 2 = 个体工商户. */
export function usccSaysIndividual(uscc: string | null): boolean {
  return uscc !== null && uscc.startsWith('92');
}

export type IndividualName =
  { name: string; by: 'operator'; operator: string } | { name: string; by: 'uscc' | 'reg_no'; code: string };

/** The name a nameless 个体工商户 gets, or undefined when neither operator nor code identifies it. */
export function nameForIndividual(
  operator: string | null,
  uscc: string | null,
  regNo: string | null,
): IndividualName | undefined {
  const op = operator?.normalize('NFKC').trim() ?? '';
  if (op !== '' && !isNamePlaceholder(op))
    return { name: `个体工商户（经营者 ${op}）`, by: 'operator', operator: op };
  if (uscc) return { name: `个体工商户（统一社会信用代码 ${uscc}）`, by: 'uscc', code: uscc };
  if (regNo) return { name: `个体工商户（注册号 ${regNo}）`, by: 'reg_no', code: regNo };
  return undefined;
}
