/**
 * The audit log stores each action as a stable key (`auth.login`, `draw.commit` …) and the kind
 * of its subject (`draw`, `user` …). These tables give both in Chinese and English; the audit page
 * shows the label with the raw key beside it. i18n/coverage.test.ts scans the services for every
 * `action: '…'` they emit and fails on a key missing here.
 */

type Texts = { zh: string; en: string };

export const AUDIT_ACTIONS: Record<string, Texts> = {
  // sign-in and accounts
  'auth.login': { zh: '登录', en: 'Signed in' },
  'auth.login_failed': { zh: '登录失败', en: 'Failed sign-in' },
  'auth.logout': { zh: '退出登录', en: 'Signed out' },
  'user.create': { zh: '创建账号', en: 'Account created' },
  'user.bulk_create': { zh: '批量创建账号', en: 'Accounts created in bulk' },
  'user.update': { zh: '修改账号', en: 'Account updated' },
  'user.disable': { zh: '停用账号', en: 'Account disabled' },
  'user.enable': { zh: '启用账号', en: 'Account enabled' },
  'user.link_inspector': { zh: '关联执法人员', en: 'Linked to an inspector' },
  'user.unlink_inspector': { zh: '解除关联执法人员', en: 'Unlinked from an inspector' },
  'user.password_changed': { zh: '修改密码', en: 'Password changed' },
  'user.password_reset': { zh: '重置密码', en: 'Password reset' },
  // organisation, departments, settings
  'organisation.create': { zh: '设置组织机构', en: 'Organisation set up' },
  'organisation.setup': { zh: '设置组织机构', en: 'Organisation set up' },
  'organisation.update': { zh: '修改组织机构', en: 'Organisation updated' },
  'setup.complete': { zh: '完成首次设置', en: 'First-start setup completed' },
  'department.create': { zh: '新增部门', en: 'Department created' },
  'department.update': { zh: '修改部门', en: 'Department updated' },
  'department.deactivate': { zh: '停用部门', en: 'Department deactivated' },
  'department.reactivate': { zh: '恢复部门', en: 'Department reactivated' },
  'department.delete': { zh: '删除部门（无业务记录）', en: 'Department deleted (it had no history)' },
  'department.lead': { zh: '变更牵头部门', en: 'Lead bureau changed' },
  'department.alias_added': { zh: '记住部门别名', en: 'Department alias learned' },
  'department.import': { zh: '导入部门名单', en: 'Department list imported' },
  'department.alias_add': { zh: '新增部门别名', en: 'Department alias added' },
  'department.alias_learn': { zh: '记住部门别名', en: 'Department alias learned' },
  'department.aliases_learned': { zh: '记住部门别名', en: 'Department aliases learned' },
  'import.aliases_learned': { zh: '导入时记住部门别名', en: 'Department aliases learned in an import' },
  'import.alias_learn': { zh: '导入时记住部门别名', en: 'Department alias learned in an import' },
  'import.department_map': { zh: '导入时对应部门', en: 'Department names mapped in an import' },
  'item.scope': { zh: '设定事项检查对象范围', en: 'Item target scope set' },
  'settings.update': { zh: '修改规则与设置', en: 'Rules and settings changed' },
  'calendar.year.load': { zh: '载入法定节假日安排', en: 'Holiday notice loaded' },
  'calendar.year.remove': { zh: '撤销载入的节假日安排', en: 'Loaded holiday notice removed' },
  // people
  'inspector.create': { zh: '新增执法人员', en: 'Inspector created' },
  'inspector.update': { zh: '修改执法人员', en: 'Inspector updated' },
  'recusal.add': { zh: '登记回避', en: 'Recusal recorded' },
  'recusal.declare': { zh: '申报回避', en: 'Recusal declared' },
  'recusal.confirm': { zh: '确认回避', en: 'Recusal confirmed' },
  'recusal.reject': { zh: '驳回回避申报', en: 'Recusal rejected' },
  'recusal.import': { zh: '导入回避名单', en: 'Recusals imported' },
  // directories and imports
  'import.dry_run': { zh: '导入预检', en: 'Import dry run' },
  'import.commit': { zh: '提交导入', en: 'Import committed' },
  'entity.exclude': { zh: '暂时排除主体', en: 'Entity temporarily excluded' },
  'code_issue.detect': { zh: '检测重错码', en: 'Code problems detected' },
  'code_issue.correct': { zh: '纠正代码', en: 'Code corrected' },
  'code_issue.merge': { zh: '合并重复主体', en: 'Duplicate entities merged' },
  'code_issue.pilot': { zh: '标记为试点代码', en: 'Marked as a pilot code' },
  'code_issue.dismiss': { zh: '忽略重错码', en: 'Code problem dismissed' },
  // plans, tasks, draws, results
  // annual plans (年度抽查计划) and their batches
  'plan.create': { zh: '编制抽查计划', en: 'Plan created' },
  'plan.update': { zh: '修改抽查计划', en: 'Plan updated' },
  'plan.batch_add': { zh: '新增计划批次', en: 'Plan batch added' },
  'plan.batch_update': { zh: '修改计划批次', en: 'Plan batch updated' },
  'plan.batch_delete': { zh: '删除计划批次', en: 'Plan batch removed' },
  'plan.file': { zh: '计划报送备案', en: 'Plan filed' },
  'plan.return': { zh: '退回抽查计划', en: 'Plan returned' },
  'plan.approve': { zh: '抽查计划审核通过', en: 'Plan approved' },
  'plan.supersede': { zh: '计划被修订版取代', en: 'Plan superseded by its amendment' },
  'plan.amend': { zh: '修订抽查计划', en: 'Plan amended' },
  'plan.done': { zh: '抽查计划办结', en: 'Plan closed' },
  'plan.batch_open': { zh: '计划批次启动为抽查任务', en: 'Plan batch opened into a task' },
  'task.create': { zh: '创建抽查任务', en: 'Task created' },
  'task.update': { zh: '修改抽查任务草稿', en: 'Draft task edited' },
  'task.delete': { zh: '删除抽查任务草稿', en: 'Draft task deleted' },
  'task.partner_accepted': { zh: '配合部门接受联合抽查', en: 'Joint invitation accepted' },
  'task.partner_declined': { zh: '配合部门拒绝联合抽查', en: 'Joint invitation declined' },
  'task.items_contributed': { zh: '部门增加联合抽查事项', en: 'Items contributed to a joint task' },
  'task.merged': { zh: '批次并入联合抽查任务', en: 'Batch merged into a joint task' },
  'joint.detect': { zh: '检测相同对象、相近时间', en: 'Merge detection run' },
  'joint.proposal_accepted': { zh: '采纳合并建议', en: 'Merge proposal accepted' },
  'joint.proposal_declined': { zh: '不采纳合并建议', en: 'Merge proposal declined' },
  'joint.rules_update': { zh: '修改相近时间天数', en: 'Close-time days changed' },
  'draw.commit': { zh: '公布抽取承诺', en: 'Draw commitment published' },
  'draw.recommit': { zh: '重新公布抽取承诺', en: 'Draw commitment published again' },
  'draw.reveal': { zh: '抽取并匹配执法人员', en: 'Draw revealed and inspectors matched' },
  'draw.escalate': { zh: '追加抽取', en: 'Draw escalated (more targets drawn)' },
  'draw.bundle.full': {
    zh: '下载完整验证包（含各对象分层与执法人员请假等保密信息）',
    en: 'Full verification bundle downloaded (with every entity’s stratum and the inspectors’ leave)',
  },
  'result.enter': { zh: '录入检查结果', en: 'Result entered' },
  'result.update': { zh: '修改检查结果', en: 'Result updated' },
  'result.publish': { zh: '审核通过并公示结果', en: 'Result approved and published' },
  'result.reject': { zh: '退回检查结果', en: 'Result sent back' },
  'result.approve': { zh: '部门审核通过检查结果', en: 'Result approved by the department' },
  'result.correct': { zh: '更正已公示的检查结果', en: 'Published result corrected' },
  'result.attachment.add': { zh: '上传检查结果附件', en: 'Result attachment uploaded' },
  'result.attachment.delete': { zh: '删除检查结果附件', en: 'Result attachment deleted' },
  'follow_up.complete': { zh: '后续处置办结', en: 'Follow-up action completed' },
  // demo data
  'demo.departments': { zh: '载入演示部门', en: 'Demo departments loaded' },
  'demo.entities': { zh: '载入演示主体', en: 'Demo entities loaded' },
  'demo.inspectors': { zh: '载入演示执法人员', en: 'Demo inspectors loaded' },
  'demo.items': { zh: '载入演示抽查事项', en: 'Demo inspection items loaded' },
};

export const AUDIT_SUBJECTS: Record<string, Texts> = {
  user: { zh: '账号', en: 'Account' },
  department: { zh: '部门', en: 'Department' },
  organisation: { zh: '组织机构', en: 'Organisation' },
  settings: { zh: '设置', en: 'Settings' },
  calendar_year: { zh: '工作日历年份', en: 'Calendar year' },
  setting: { zh: '设置', en: 'Setting' },
  entity: { zh: '市场主体', en: 'Entity' },
  inspector: { zh: '执法人员', en: 'Inspector' },
  item: { zh: '抽查事项', en: 'Inspection item' },
  import: { zh: '导入', en: 'Import' },
  code_issue: { zh: '重错码', en: 'Code problem' },
  plan: { zh: '抽查计划', en: 'Annual plan' },
  task: { zh: '抽查任务', en: 'Task' },
  merge_proposal: { zh: '合并建议', en: 'Merge proposal' },
  merge_proposals: { zh: '合并建议', en: 'Merge proposals' },
  draw: { zh: '抽取', en: 'Draw' },
  result: { zh: '检查结果', en: 'Result' },
  follow_up: { zh: '后续处置', en: 'Follow-up action' },
  recusal: { zh: '回避', en: 'Recusal' },
};

/** The label of an action key (the key itself when unknown). */
export function auditActionLabel(action: string, lang: 'zh' | 'en'): string {
  return AUDIT_ACTIONS[action]?.[lang] ?? action;
}

export function auditSubjectLabel(subjectType: string, lang: 'zh' | 'en'): string {
  return AUDIT_SUBJECTS[subjectType]?.[lang] ?? subjectType;
}
