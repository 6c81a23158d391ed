import type { DemoUser } from './types.ts';

/**
 * Demo logins. Passwords are set by the services layer. `inspectorIndex` points into
 * `generateDistrict().inspectors` (index 0 is always an active market-supervision inspector with a
 * valid certificate and no absences); the services layer may use that inspector's name as display name.
 */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    username: 'admin',
    displayName: '联席办管理员',
    role: 'joint_admin',
    departmentCode: 'SCJG',
    inspectorIndex: null,
  },
  {
    username: 'scjg',
    displayName: '区市场监管局管理员',
    role: 'dept_admin',
    departmentCode: 'SCJG',
    inspectorIndex: null,
  },
  {
    username: 'jyj',
    displayName: '区教育局管理员',
    role: 'dept_admin',
    departmentCode: 'JYJ',
    inspectorIndex: null,
  },
  {
    username: 'wlj',
    displayName: '区文化和旅游体育局管理员',
    role: 'dept_admin',
    departmentCode: 'WLTJ',
    inspectorIndex: null,
  },
  {
    username: 'inspector1',
    displayName: '市场监管执法人员',
    role: 'inspector',
    departmentCode: 'SCJG',
    inspectorIndex: 0,
  },
  {
    username: 'leader',
    displayName: '区政府分管领导',
    role: 'leader',
    departmentCode: null,
    inspectorIndex: null,
  },
  {
    // 监督员 (draw-protocol-v2 §1): read-only; downloads and verifies every draw's full bundle
    username: 'jiandu',
    displayName: '区纪委监委派驻纪检组 监督员',
    role: 'supervisor',
    departmentCode: null,
    inspectorIndex: null,
  },
];
