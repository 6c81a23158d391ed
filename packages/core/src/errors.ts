/**
 * Every error the platform reports has a stable code. This table is the one place that maps
 * code → HTTP status → meaning; docs/errors.md is generated from it (`npm run docs:errors`)
 * and a test keeps the two in step.
 */
export const ERROR_TABLE = {
  // generic
  VALIDATION_FAILED: { status: 400, zh: '请求参数不合法', en: 'The request is not valid' },
  NOT_FOUND: { status: 404, zh: '未找到', en: 'Not found' },
  CONFLICT: { status: 409, zh: '状态冲突', en: 'The request conflicts with the current state' },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal error (logged with the request id)' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '文件过大', en: 'The upload is too large' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁', en: 'Too many requests' },
  INPUT_TEXT_INVALID: {
    status: 400,
    zh: '输入含有空字符（U+0000）或无效的 Unicode 字符（孤立代理项），请删除后重试',
    en: 'The input contains a NUL character (U+0000) or invalid Unicode (a lone surrogate); remove it and retry',
  },
  INPUT_OUT_OF_RANGE: {
    status: 400,
    zh: '输入的数值或日期超出允许范围',
    en: 'A number or date in the request is out of the allowed range',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    zh: '不支持的请求内容类型（请使用 application/json）',
    en: 'Unsupported request content type (use application/json)',
  },
  // identity and access
  AUTH_REQUIRED: { status: 401, zh: '请先登录', en: 'Log in first' },
  AUTH_INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong user name or password' },
  AUTH_THROTTLED: {
    status: 429,
    zh: '登录失败次数过多，请稍后再试',
    en: 'Too many failed logins; try again later',
  },
  AUTH_USER_DISABLED: { status: 403, zh: '账号已停用', en: 'This account is disabled' },
  AUTH_PASSWORD_WEAK: {
    status: 400,
    zh: '密码至少 10 位，且不能与用户名相同',
    en: 'The password must have at least 10 characters and differ from the user name',
  },
  AUTH_PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    zh: '请先修改初始密码',
    en: 'Change the initial password first',
  },
  FORBIDDEN: { status: 403, zh: '无权执行此操作', en: 'Your role may not do this' },
  FORBIDDEN_DEPARTMENT: {
    status: 403,
    zh: '只能访问本部门的数据',
    en: "Only your own department's data is accessible",
  },
  FORBIDDEN_MASTER_DATA: {
    status: 403,
    zh: '主体登记信息、部门联合抽查事项清单等共享数据只能由联合办公室或牵头部门维护',
    en: 'Shared master data (registration facts, the joint list) is maintained only by the joint office or the lead bureau',
  },
  USER_EXISTS: { status: 409, zh: '用户名已存在', en: 'That user name is taken' },
  USER_SELF_CHANGE: {
    status: 403,
    zh: '不能更改自己的角色、部门或停用自己的账号',
    en: 'You may not change your own role or department, or disable your own account',
  },
  USER_ROLE_FORBIDDEN: {
    status: 403,
    zh: '无权授予该角色（部门管理员只能授予本部门的部门管理员或执法检查人员角色）',
    en: 'You may not grant this role (a department admin grants only department admin or inspector in his department)',
  },
  USER_LAST_JOINT_ADMIN: {
    status: 409,
    zh: '这是最后一名在用的联席办管理员，不能停用或更改其角色',
    en: 'This is the last active joint-office admin: it cannot be disabled or given another role',
  },
  USER_INSPECTOR_LINKED: {
    status: 409,
    zh: '该执法人员已关联其他账号',
    en: 'This inspector is already linked to another account',
  },
  USER_INSPECTOR_DEPARTMENT: {
    status: 400,
    zh: '执法人员与账号不属于同一部门',
    en: 'The inspector and the account belong to different departments',
  },
  USER_NOT_INSPECTOR: {
    status: 403,
    zh: '当前账号未关联执法人员名录',
    en: 'This account is not linked to an inspector record',
  },
  RECUSAL_STATE: {
    status: 409,
    zh: '该回避声明已处理，不能再次确认或驳回',
    en: 'This recusal declaration was already decided',
  },
  RECUSAL_DUPLICATE: {
    status: 409,
    zh: '已有该执法人员对该主体的回避声明',
    en: 'This inspector already has a recusal for this entity',
  },
  ORIGIN_REJECTED: {
    status: 403,
    zh: '已拒绝来自其他网站的请求',
    en: 'A request from another site was refused',
  },
  // configuration
  CONFIG_INVALID: { status: 500, zh: '配置错误', en: 'Invalid configuration' },
  // database
  DB_LOCKED: {
    status: 503,
    zh: '数据目录已被另一个进程占用',
    en: 'The data directory is held by another process',
  },
  // directories and import
  USCC_MALFORMED: { status: 400, zh: '统一社会信用代码格式错误', en: 'The USCC is malformed' },
  IMPORT_FILE_EMPTY: { status: 400, zh: '文件为空', en: 'The file is empty' },
  IMPORT_FILE_TYPE: {
    status: 415,
    zh: '不支持的文件类型（支持 .xlsx、.xls、.csv）',
    en: 'Unsupported file type (.xlsx, .xls and .csv are supported)',
  },
  IMPORT_NO_HEADER: { status: 400, zh: '未找到表头', en: 'No header row was recognised' },
  IMPORT_NOTHING_ACCEPTED: {
    status: 400,
    zh: '没有可导入的行',
    en: 'No row of the file can be imported',
  },
  IMPORT_NOT_FOUND: { status: 404, zh: '导入记录不存在', en: 'No such import' },
  IMPORT_ALREADY_COMMITTED: { status: 409, zh: '该导入已提交', en: 'This import was already committed' },
  IMPORT_FILE_ENCRYPTED: {
    status: 400,
    zh: '文件已加密（设置了打开密码），请取消密码后重新上传',
    en: 'The file is encrypted (password-protected); remove the password and upload again',
  },
  IMPORT_FILE_TOO_LARGE: { status: 413, zh: '文件超过大小上限', en: 'The file exceeds the size limit' },
  IMPORT_TOO_MANY_ROWS: { status: 413, zh: '文件行数超过上限', en: 'The file has more rows than the limit' },
  IMPORT_FILE_TOO_COMPLEX: {
    status: 413,
    zh: '文件解压后过大或结构过于复杂（可能是压缩炸弹），已拒绝读取',
    en: 'The file inflates beyond the limits or is too complex to read (a possible zip bomb); it was refused',
  },
  IMPORT_TIMEOUT: {
    status: 422,
    zh: '文件读取超时，请拆分为较小的文件后重新上传',
    en: 'Reading the file took too long; split it into smaller files and upload again',
  },
  IMPORT_FILE_CORRUPT: {
    status: 400,
    zh: '文件已损坏或无法读取',
    en: 'The file is damaged or cannot be read',
  },
  IMPORT_SHEET_CHOICE: {
    status: 400,
    zh: '文件包含多个工作表，请选择要导入的工作表',
    en: 'The workbook has several sheets; choose the one to import',
  },
  IMPORT_SHEET_NOT_FOUND: { status: 400, zh: '未找到指定的工作表', en: 'No such sheet in the workbook' },
  IMPORT_MAPPING_INVALID: {
    status: 400,
    zh: '列对应关系不正确（缺少必需列或列号超出范围）',
    en: 'The column mapping is invalid (a required column is missing or out of range)',
  },
  IMPORT_DEPARTMENT_MAP_INVALID: {
    status: 400,
    zh: '部门对应关系不正确（每个名称须对应到现有的本地部门或“跳过”）',
    en: 'The department mapping is invalid (each name must map to existing local departments or "skip")',
  },
  IMPORT_DEPARTMENT_MAP_FORBIDDEN: {
    status: 403,
    zh: '只能把文件中的部门名称对应到本部门',
    en: 'A department name of the file may only be mapped to your own department',
  },
  IMPORT_DEPARTMENT_MAP_FILE_INVALID: {
    status: 400,
    zh: '部门对应文件格式错误（每行两列：文件中的名称、本地部门代码，多个代码用 ; 分隔）',
    en: 'The department map file is malformed (two columns per line: the name in the file, the local department code; several codes separated by ;)',
  },
  IMPORT_DEPARTMENT_CODE_UNKNOWN: {
    status: 400,
    zh: '部门对应文件中的部门代码不存在',
    en: 'A department code in the department map file does not exist',
  },
  IMPORT_DEPARTMENT_INVALID: {
    status: 400,
    zh: '指定的部门不存在（请填写部门编号或部门代码）',
    en: 'No such department (give the department id or code)',
  },
  // items, tasks
  ITEM_NOT_IN_LIST: {
    status: 400,
    zh: '事项不在抽查事项清单内（清单之外无检查）',
    en: 'The item is not on the published inspection-item list',
  },
  TASK_NOT_FOUND: { status: 404, zh: '抽查任务不存在', en: 'No such inspection task' },
  // the roster follows the items (services/campaigns/roster.ts, core/scope)
  TASK_SCOPE_REQUIRED: {
    status: 409,
    zh: '本任务引用的抽查事项均未设定检查对象范围，任务也未设定范围：请先为事项设定范围（事项清单）或为任务设定范围，不能对全部名录抽取',
    en: 'None of the cited items has a scope and the task sets none: set the items’ scope (item list) or the task’s before drawing, instead of drawing the whole register',
  },
  ITEM_SCOPE_INVALID: {
    status: 400,
    zh: '检查对象范围不合法（行业代码须为 GB/T 4754 门类字母加 2–4 位数字，如 H62、F5234；每项最多 200 个值）',
    en: 'The scope is not valid (industry codes are a GB/T 4754 section letter and 2–4 digits, e.g. H62, F5234; at most 200 values each)',
  },
  ITEM_NOT_FOUND: { status: 404, zh: '抽查事项不存在', en: 'No such inspection item' },
  JOINT_PARTNER_PENDING: {
    status: 409,
    zh: '尚有配合部门未答复联合抽查邀请，不能提交抽取',
    en: 'A cooperating department has not yet answered the invitation; the draw cannot be committed',
  },
  JOINT_INVITATION_ANSWERED: {
    status: 409,
    zh: '该配合部门已答复邀请',
    en: 'The cooperating department has already answered the invitation',
  },
  JOINT_PROPOSAL_NOT_FOUND: { status: 404, zh: '合并建议不存在', en: 'No such merge proposal' },
  JOINT_PROPOSAL_DECIDED: {
    status: 409,
    zh: '该合并建议已处理（已采纳或已不采纳）',
    en: 'The merge proposal has already been decided',
  },
  JOINT_PROPOSAL_STALE: {
    status: 409,
    zh: '合并建议已过时：所涉批次已抽取、已开启或已合并，或所涉对象已检查，请重新检测',
    en: 'The merge proposal is stale: a batch was drawn, opened or merged, or the entity was visited; detect again',
  },
  JOINT_LEAD_INVALID: {
    status: 400,
    zh: '发起部门须为合并建议所涉部门之一',
    en: 'The lead department must be one of the departments of the proposal',
  },
  JOINT_RULES_INVALID: {
    status: 400,
    zh: '相近时间的天数须为 0–366 的整数',
    en: 'The number of days for a close time must be a whole number from 0 to 366',
  },
  JOINT_ITEMS_CLOSED: {
    status: 409,
    zh: '抽取已提交，不能再增加检查事项',
    en: 'The draw is committed: items can no longer be added',
  },
  JOINT_ITEM_NOT_LINKED: {
    status: 400,
    zh: '该联合抽查事项未对应本部门已发布清单中的事项',
    en: "The joint list row has no item on the department's published list",
  },
  // annual plans and batches (services/campaigns/plans.ts)
  PLAN_NOT_FOUND: { status: 404, zh: '年度抽查计划不存在', en: 'No such annual plan' },
  PLAN_EXISTS: {
    status: 409,
    zh: '该部门本年度已有抽查计划，如需变更请提交修订',
    en: 'This department already has a plan for that year; amend it instead',
  },
  PLAN_STATE_INVALID: {
    status: 409,
    zh: '计划当前状态不允许此操作',
    en: 'The plan is not in a state that allows this',
  },
  PLAN_READ_ONLY: {
    status: 409,
    zh: '该计划版本已备案、已审核或已被新版本取代，不能修改；如需变更请提交修订',
    en: 'This plan version is filed, approved or superseded and cannot be edited; amend it instead',
  },
  PLAN_EMPTY: {
    status: 409,
    zh: '计划中还没有批次，不能备案',
    en: 'The plan has no batch yet and cannot be filed',
  },
  PLAN_RETURN_REASON_REQUIRED: {
    status: 400,
    zh: '退回计划须填写退回理由',
    en: 'Give the reason for returning the plan',
  },
  PLAN_AMEND_REASON_REQUIRED: {
    status: 400,
    zh: '修订计划须填写修订理由',
    en: 'Give the reason for amending the plan',
  },
  PLAN_AMENDMENT_EXISTS: {
    status: 409,
    zh: '该计划已有一个未完成的修订版本',
    en: 'This plan already has an amendment in progress',
  },
  PLAN_JOINT_OFFICE_ONLY: {
    status: 403,
    zh: '部门联合抽查计划的编制和计划备案审核由联合办公室办理',
    en: 'The joint plan, and the approval of filed plans, are the joint office’s',
  },
  PLAN_NOT_APPROVED: {
    status: 409,
    zh: '计划尚未审核通过，批次不能启动为抽查任务',
    en: 'The plan is not approved: its batches cannot be opened into tasks',
  },
  PLAN_NOT_COMPLETE: {
    status: 409,
    zh: '尚有批次未启动或未公示，计划不能办结',
    en: 'Some batches are not opened or not published yet; the plan cannot be closed',
  },
  PLAN_BATCH_NOT_FOUND: { status: 404, zh: '计划批次不存在', en: 'No such plan batch' },
  PLAN_BATCH_OPENED: {
    status: 409,
    zh: '该批次已启动为抽查任务，不能修改或删除',
    en: 'This batch was opened into a task and cannot be changed or removed',
  },
  PLAN_BATCH_OUTSIDE_YEAR: {
    status: 400,
    zh: '批次的实施时间须在计划年度内',
    en: 'The batch window must lie within the plan year',
  },
  TASK_STATE: {
    status: 409,
    zh: '任务当前状态不允许此操作',
    en: 'The task is not in a state that allows this',
  },
  // task form and draw operations (services/tasks.ts, campaigns/escalation.ts)
  TASK_NOT_DRAFT: {
    status: 409,
    zh: '任务已公布抽取承诺，不能再修改或删除（如需调整，请在抽取页面追加抽取或重新抽取并写明理由）',
    en: 'The task has a published draw commitment and can no longer be edited or deleted (escalate or redraw with a reason instead)',
  },
  SAMPLING_MAX_BELOW_CLASSES: {
    status: 400,
    zh: '最多抽取户数小于风险分类的类数：不免抽，每类至少抽取 1 户，请调大最多抽取户数或改为“每类最多”',
    en: 'The maximum is below the number of risk classes: no class is exempt (不免抽), each needs at least 1; raise the maximum or apply it per class',
  },
  SAMPLING_MAX_MODE_INVALID: {
    status: 400,
    zh: '请选择“最多抽取户数”的含义：合计最多、按类分配或每类最多',
    en: 'Choose what the maximum means: in total, split across classes, or per class',
  },
  DRAW_ESCALATION_REASON_REQUIRED: {
    status: 400,
    zh: '追加抽取须写明理由（将记录并公开）',
    en: 'An escalation needs a written reason (it is recorded and public)',
  },
  DRAW_ESCALATION_INVALID: {
    status: 400,
    zh: '追加抽取户数不合法：请为至少一个抽取层填写不小于 1 的整数，且该层尚有未抽中的检查对象',
    en: 'The escalation is not valid: give a whole number ≥ 1 for at least one stratum that still has entities not drawn',
  },
  DRAW_ESCALATION_STATE: {
    status: 409,
    zh: '只有已完成检查人员匹配的抽取才能追加抽取',
    en: 'Only a draw whose inspectors are matched can be escalated',
  },
  DRAW_MAX_LOAD_INVALID: {
    status: 400,
    zh: '每名检查人员本次最多参与户数须为 1 至 10000 的整数',
    en: 'The per-inspector cap for this draw must be a whole number from 1 to 10000',
  },
  // draws
  DRAW_ROSTER_EMPTY: {
    status: 400,
    zh: '检查对象名录为空，无法抽取',
    en: 'The roster is empty; nothing can be drawn',
  },
  DRAW_STATE: {
    status: 409,
    zh: '抽取当前状态不允许此操作',
    en: 'The draw is not in a state that allows this',
  },
  DRAW_RATIO_INVALID: { status: 400, zh: '抽查比例不合法', en: 'The sampling ratio is out of range' },
  MATCH_INFEASIBLE: {
    status: 409,
    zh: '无法为全部检查对象匹配执法人员',
    en: 'Inspectors cannot be matched to every target',
  },
  DRAW_STRATUM_EMPTY: { status: 400, zh: '某一抽取层内没有检查对象', en: 'A stratum has no entity' },
  DRAW_STRATUM_UNKNOWN: {
    status: 400,
    zh: '检查对象所属层未配置抽查比例（不免抽）',
    en: "An entity's stratum has no configured ratio (no class is exempt)",
  },
  DRAW_DUPLICATE_KEY: { status: 400, zh: '检查对象名录中有重复代码', en: 'The roster has a duplicate key' },
  DRAW_KEY_INVALID: {
    status: 400,
    zh: '检查对象代码不合法（应为 18 位统一社会信用代码，或 13 位数字、15 位数字或字母组成的注册号）',
    en: 'A roster key is neither an 18-character USCC nor a registration number (13 digits, or 15 digits and capital letters)',
  },
  DRAW_INPUT_INVALID: { status: 400, zh: '抽取参数不合法', en: 'The draw input is not valid' },
  DRAW_DICE_TOO_SHORT: { status: 400, zh: '骰子数字串过短', en: 'The dice digit string is too short' },
  DRAW_BEACON_INVALID: {
    status: 400,
    zh: 'drand 随机信标校验失败',
    en: 'The drand beacon does not verify',
  },
  DRAW_SEED_MISMATCH: {
    status: 400,
    zh: '种子输入与承诺中的种子来源不一致',
    en: 'The seed input does not match the seed source fixed in the commitment',
  },
  DRAW_BUNDLE_MISMATCH: {
    status: 422,
    zh: '抽取验证包校验不一致',
    en: 'The verification bundle differs from the recomputation',
  },
  // draw protocol v2: strict validation of a bundle (docs/specs/draw-protocol-v2.md §12)
  BUNDLE_JSON_INVALID: {
    status: 400,
    zh: '验证包不是合规的 JSON（重复的键、小数、孤立代理字符或非 UTF-8 字节）',
    en: 'The bundle is not strict JSON (a duplicate member name, a fraction, a lone surrogate or bytes that are not UTF-8)',
  },
  BUNDLE_FORMAT_UNKNOWN: {
    status: 400,
    zh: '不认识的验证包格式',
    en: 'The bundle format is not known',
  },
  BUNDLE_FIELD_INVALID: {
    status: 422,
    zh: '验证包中某一字段缺失、多余或取值不合法',
    en: 'A field of the bundle is missing, unknown or out of its range',
  },
  BUNDLE_ORDER_INVALID: {
    status: 422,
    zh: '验证包中的列表未按规定顺序排列',
    en: 'A list in the bundle is not in the required order',
  },
  BUNDLE_DUPLICATE: {
    status: 422,
    zh: '验证包中的列表有重复项',
    en: 'A list in the bundle has an entry twice',
  },
  DRAW_DICE_LENGTH: {
    status: 400,
    zh: '骰子数字的位数与承诺中固定的位数不符',
    en: 'The dice digits are not exactly the number of digits fixed in the commitment',
  },
  DRAND_CHAIN_UNKNOWN: {
    status: 422,
    zh: '不认识的 drand 链',
    en: 'The drand chain is not a known chain',
  },
  DRAND_KEY_MISMATCH: {
    status: 422,
    zh: 'drand 公钥与该链的公钥不符',
    en: 'The drand public key is not the key of that chain',
  },
  DRAND_SCHEME_UNKNOWN: {
    status: 422,
    zh: 'drand 签名方案与该链不符或不认识',
    en: 'The drand scheme is unknown or not the scheme of that chain',
  },
  DRAW_CEREMONY_INVALID: {
    status: 400,
    zh: '掷骰记录不完整（地点、时间、掷骰人与见证人）',
    en: 'The dice ceremony record is incomplete (place, time, who rolled, witnesses)',
  },
  // settings (district rules)
  SETTINGS_INVALID: {
    status: 400,
    zh: '规则设置不合法（详见各项提示）',
    en: 'The rules are not valid (see each field)',
  },
  SETTINGS_STALE: {
    status: 409,
    zh: '规则已被他人修改，请刷新后重试',
    en: 'The rules were changed by someone else; reload and retry',
  },
  // organisation and departments
  ORGANISATION_INVALID: {
    status: 400,
    zh: '组织信息不合法：行政区划代码须为 6 位 GB/T 2260 代码，且市、区县代码须属于上级区划（详见各项提示）',
    en: 'The organisation is not valid: region codes are six-digit GB/T 2260 codes and each belongs to the level above (see each field)',
  },
  DEPARTMENT_NOT_FOUND: { status: 404, zh: '部门不存在', en: 'No such department' },
  DEPARTMENT_INVALID: {
    status: 400,
    zh: '部门信息不合法（详见各项提示）',
    en: 'The department is not valid (see each field)',
  },
  DEPARTMENT_PHONE_INVALID: {
    status: 400,
    zh: '联系电话应为 11 位手机号（1 开头）或带区号的固定电话（如 029-87654321）',
    en: 'The phone must be an 11-digit mobile number (starting with 1) or a landline with its area code (e.g. 029-87654321)',
  },
  DEPARTMENT_CODE_TAKEN: { status: 409, zh: '部门代码已被使用', en: 'That department code is taken' },
  DEPARTMENT_NAME_TAKEN: { status: 409, zh: '部门名称已被使用', en: 'That department name is taken' },
  DEPARTMENT_LEAD_EXISTS: {
    status: 409,
    zh: '已有牵头部门；如需更换，请明确选择“改为牵头部门”',
    en: 'There is a lead bureau already; to change it, choose "make lead" explicitly',
  },
  DEPARTMENT_PARENT_INVALID: {
    status: 400,
    zh: '上级部门不合法：须为已启用的、层级更高的部门，且不能形成循环',
    en: 'The parent is not valid: it must be an active department of a higher level, without a cycle',
  },
  DEPARTMENT_HAS_HISTORY: {
    status: 409,
    zh: '该部门已有业务记录，不能删除，只能停用',
    en: 'This department has history; it can be deactivated, not deleted',
  },
  DEPARTMENT_IN_USE: {
    status: 409,
    zh: '该部门仍有启用的下级部门或账号，请先处理后再停用',
    en: 'This department still has active child departments or accounts; deal with them first',
  },
  DEPARTMENT_IMPORT_INVALID: {
    status: 400,
    zh: '部门清单有问题，未导入任何部门（详见逐行提示）',
    en: 'The department list has problems; nothing was imported (see each row)',
  },
  // results
  RESULT_INVALID_CODE: { status: 400, zh: '检查结果代码不合法', en: 'Unknown result code' },
  RESULT_STATE: {
    status: 409,
    zh: '检查结果当前状态不允许此操作',
    en: 'The result is not in a state that allows this',
  },
  // audit
  AUDIT_CHAIN_BROKEN: { status: 500, zh: '审计日志链校验失败', en: 'The audit chain does not verify' },
  // specific refusals the UI shows (issue 8 §6: no English detail reaches the Chinese UI)
  DATE_RANGE_INVALID: {
    status: 400,
    zh: '结束日期早于开始日期',
    en: 'The end date is before the start date',
  },
  RESULT_NOT_ON_TEAM: {
    status: 403,
    zh: '只有该检查对象检查组内的执法人员才能录入其检查结果',
    en: 'Only inspectors on this target’s team may enter its result',
  },
  RESULT_PUBLISHED: {
    status: 409,
    zh: '检查结果已公示，不能修改',
    en: 'A published result cannot be changed',
  },
  RESULT_DRAW_SUPERSEDED: {
    status: 409,
    zh: '该检查对象所属的抽取已被重新抽取取代，不能录入结果',
    en: 'This target belongs to a superseded draw',
  },
  RESULT_DATE_OUTSIDE_WINDOW: {
    status: 400,
    zh: '检查日期早于抽查任务的开始日期',
    en: 'The inspection date is before the task window',
  },
  RESULT_CODES_CONFLICT: {
    status: 400,
    zh: '“未发现问题”不能与发现问题类的结果同时选择',
    en: '“No problem found” cannot be combined with a finding',
  },
  RESULT_REJECT_NOTE_REQUIRED: {
    status: 400,
    zh: '退回检查结果时请写明原因',
    en: 'Say why the result is sent back',
  },
  RESULT_RESPONSE_REQUIRED: {
    status: 400,
    zh: '该检查结果曾被退回：重新提交时请回复退回原因',
    en: 'This result was sent back: answer the reason when you submit it again',
  },
  RESULT_ITEM_NOT_CITED: {
    status: 400,
    zh: '该抽查事项不是本任务中本部门的抽查事项',
    en: 'This item is not one of the task’s items for this department',
  },
  RESULT_ITEMS_INCOMPLETE: {
    status: 400,
    zh: '请为本部门在本任务中的每个抽查事项填写检查结果',
    en: 'Enter a result for each of the department’s items in this task',
  },
  RESULT_ITEM_CODES_CONFLICT: {
    status: 400,
    zh: '有抽查事项不合格时，检查结果不能为“未发现问题”；全部合格时须为“未发现问题”类结果',
    en: 'A failed item needs a finding, and “No problem found” needs every item passed',
  },
  RESULT_FOLLOW_UP_DUE_REQUIRED: {
    status: 400,
    zh: '责令改正须填写改正期限（不早于检查日期）',
    en: 'An order to correct needs a deadline (not before the inspection date)',
  },
  RESULT_FOLLOW_UP_RECEIVER_REQUIRED: {
    status: 400,
    zh: '移送案件线索或抄告相关部门须填写接收部门',
    en: 'A referral or a copy to another department needs the receiving department',
  },
  RESULT_NOT_APPROVED: {
    status: 409,
    zh: '检查结果尚未经本部门审核通过，不能公示',
    en: 'The department has not approved this result yet; it cannot be published',
  },
  RESULT_NOT_PUBLISHED: {
    status: 409,
    zh: '只有已公示的检查结果才能更正；未公示的结果请退回修改',
    en: 'Only a published result can be corrected; send an unpublished one back instead',
  },
  RESULT_CORRECTION_REASON_REQUIRED: {
    status: 400,
    zh: '更正已公示的检查结果须写明更正理由（将一并公示）',
    en: 'A correction of a published result needs a reason (it is published with it)',
  },
  ATTACHMENT_TOO_LARGE: {
    status: 413,
    zh: '单个附件不能超过 10 MB',
    en: 'An attachment may not exceed 10 MB',
  },
  ATTACHMENTS_TOTAL_TOO_LARGE: {
    status: 413,
    zh: '一条检查结果的附件合计不能超过 50 MB',
    en: 'The attachments of one result may not exceed 50 MB in all',
  },
  ATTACHMENT_TYPE_REFUSED: {
    status: 415,
    zh: '只接受照片（JPEG、PNG、WebP）和 PDF 文件（按文件内容判断，而非文件名）',
    en: 'Only photos (JPEG, PNG, WebP) and PDF files are accepted (judged by content, not name)',
  },
  ATTACHMENT_MISSING: { status: 400, zh: '请选择要上传的文件', en: 'Choose a file to upload' },
  FOLLOW_UP_DONE: {
    status: 409,
    zh: '该后续处置已办结',
    en: 'This follow-up action is already completed',
  },
  FOLLOW_UP_RECHECK_REQUIRED: {
    status: 400,
    zh: '责令改正办结时须填写复查日期和复查结果',
    en: 'Completing an order to correct needs the re-check date and outcome',
  },
  DRAW_REDRAW_REASON_REQUIRED: {
    status: 409,
    zh: '本任务已有抽取：重新抽取须写明理由，并公布新的抽取承诺',
    en: 'This task already has a draw; a redraw needs a new commitment with a written reason',
  },
  DRAW_BEACON_ROUND_TOO_SOON: {
    status: 400,
    zh: '所选 drand 信标轮次须在至少一分钟之后才发布，否则其随机数可能已为人所知',
    en: 'The drand round must be published at least a minute from now, or its randomness could already be known',
  },
  // the official working-day calendar (issue 9 §5)
  CALENDAR_DATE_INVALID: {
    status: 400,
    zh: '日期格式不正确，请使用“年-月-日”格式（如 2027-01-04）',
    en: 'Not a valid date; use YYYY-MM-DD (e.g. 2027-01-04)',
  },
  CALENDAR_DAYS_INVALID: {
    status: 400,
    zh: '工作日天数须为 0 至 10000 之间的整数',
    en: 'The number of working days must be a whole number from 0 to 10000',
  },
  CALENDAR_ROW_DATE_INVALID: {
    status: 400,
    zh: '该行的日期无法识别（可用 2027-01-01、2027/1/1、2027年1月1日 或 Excel 日期）',
    en: 'The date of this row cannot be read (use 2027-01-01, 2027/1/1, “2027年1月1日” or an Excel date)',
  },
  CALENDAR_ROW_KIND_INVALID: {
    status: 400,
    zh: '该行的类型须为“休”（放假）或“班”（调休上班）',
    en: 'The kind of this row must be “休” (day off) or “班” (adjusted working day)',
  },
  CALENDAR_ROW_OTHER_YEAR: {
    status: 400,
    zh: '该行的日期不属于所载入的年份（相邻年份的 12 月或 1 月除外）',
    en: 'The date of this row is not in the year being loaded (except the neighbouring December or January)',
  },
  CALENDAR_ROW_CONFLICT: {
    status: 400,
    zh: '同一日期既标为“休”又标为“班”',
    en: 'The same date is marked both “休” and “班”',
  },
  CALENDAR_ROW_DUPLICATE: {
    status: 400,
    zh: '该日期重复出现，已按一次计',
    en: 'This date is repeated; it counts once',
  },
  CALENDAR_ROW_NO_EFFECT: {
    status: 400,
    zh: '该日期是周一至周五，本来就是工作日，标为“班”不起作用',
    en: 'This date is a weekday, a working day anyway: marking it “班” changes nothing',
  },
  CALENDAR_NOTICE_EMPTY: {
    status: 400,
    zh: '文件中没有放假日期（“休”）：请载入国务院办公厅当年的节假日安排通知',
    en: 'The file has no day off (“休”): load the State Council notice of the year',
  },
  CALENDAR_NOTICE_NO_YEAR: {
    status: 400,
    zh: '无法确定文件所属的年份，请指定年份',
    en: 'The year of the file cannot be told; give the year',
  },
  CALENDAR_NOTICE_FORMAT: {
    status: 400,
    zh: '文件格式无法识别：请使用含“日期”“类型（休/班）”两列的 Excel/CSV 文件，或 JSON',
    en: 'Unrecognised file: use an Excel/CSV file with the columns “日期” (date) and “类型” (“休”/“班”), or JSON',
  },
  CALENDAR_NOTICE_INVALID: {
    status: 400,
    zh: '节假日安排有错误，未载入：请按预览中列出的问题修改后重试',
    en: 'The holiday notice has errors and was not loaded; fix the rows listed in the preview',
  },
  CALENDAR_PREVIEW_STALE: {
    status: 409,
    zh: '预览之后该年份的日历已被修改，请重新预览后再确认',
    en: 'The calendar of this year changed after the preview; preview again before confirming',
  },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERROR_TABLE;

/** A failure the user can act on: it carries a stable code and specific details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERROR_TABLE[code].en);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_TABLE[code].status;
    this.details = details;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
