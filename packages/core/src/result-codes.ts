/**
 * Standard inspection result codes (one target may get several) and follow-up actions, as the
 * enterprise-credit publicity system defines them (see the domain reference).
 */
export const RESULT_CODES = [
  '未发现问题',
  '未按规定公示应当公示的信息',
  '公示信息隐瞒真实情况、弄虚作假',
  '通过登记的住所（经营场所）无法联系',
  '已关闭停业或正在清算',
  '不配合检查情节严重',
  '已注销/被吊销/被撤销/已迁出',
  '发现问题待后续处理',
  '发现问题经责令已改正',
  '未发现开展本次抽查涉及的经营活动',
  '违反其他规定',
] as const;

export const FOLLOW_UPS = [
  '无需后续处置',
  '责令改正',
  '移送案件线索',
  '抄告相关部门',
  '列入经营异常名录',
  '立案查处',
  '其他',
] as const;

/** The code that means "nothing found"; it cannot be combined with a finding. */
export const NO_PROBLEM = RESULT_CODES[0];
