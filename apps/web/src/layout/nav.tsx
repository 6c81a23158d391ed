/** The navigation tree and who sees what. Routes are enforced with the same table. */
import type { ReactNode } from 'react';
import type { Role } from '@choucha/api';
import {
  AuditOutlined,
  BarChartOutlined,
  CheckSquareOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  ExportOutlined,
  FileSearchOutlined,
  FormOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SettingOutlined,
  UnorderedListOutlined,
  InteractionOutlined,
  ProfileOutlined,
  EyeOutlined,
} from '@ant-design/icons';
import type { DictKey } from '../i18n/index.tsx';

export const ALL_ROLES: readonly Role[] = ['joint_admin', 'dept_admin', 'inspector', 'leader', 'supervisor'];
/** 监督: the draws and their full bundles (draw.verify) */
const VERIFIERS: Role[] = ['supervisor', 'joint_admin', 'dept_admin'];
const ADMINS: Role[] = ['joint_admin', 'dept_admin'];

export interface NavLeaf {
  path: string;
  label: DictKey;
  roles: readonly Role[];
  icon?: ReactNode;
  testId: string;
}
export interface NavGroup {
  key: string;
  label: DictKey;
  icon: ReactNode;
  children: NavLeaf[];
}
export type NavEntry = NavLeaf | NavGroup;

export function isGroup(e: NavEntry): e is NavGroup {
  return 'children' in e;
}

export const NAV: NavEntry[] = [
  {
    path: '/dashboard',
    label: 'nav.dashboard',
    roles: ['joint_admin', 'dept_admin', 'leader'],
    icon: <DashboardOutlined />,
    testId: 'nav-dashboard',
  },
  {
    key: 'directories',
    label: 'nav.directories',
    icon: <DatabaseOutlined />,
    children: [
      { path: '/entities', label: 'nav.entities', roles: ADMINS, testId: 'nav-entities' },
      { path: '/inspectors', label: 'nav.inspectors', roles: ADMINS, testId: 'nav-inspectors' },
      { path: '/departments', label: 'nav.departments', roles: ADMINS, testId: 'nav-departments' },
      { path: '/code-issues', label: 'nav.codeIssues', roles: ADMINS, testId: 'nav-code-issues' },
      { path: '/recusals', label: 'nav.recusals', roles: ADMINS, testId: 'nav-recusals' },
    ],
  },
  { path: '/items', label: 'nav.items', roles: ADMINS, icon: <UnorderedListOutlined />, testId: 'nav-items' },
  {
    path: '/plans',
    label: 'nav.plans',
    roles: ['joint_admin', 'dept_admin', 'leader'],
    icon: <ProfileOutlined />,
    testId: 'nav-plans',
  },
  {
    path: '/tasks',
    label: 'nav.tasks',
    roles: ['joint_admin', 'dept_admin', 'inspector', 'supervisor'],
    icon: <ScheduleOutlined />,
    testId: 'nav-tasks',
  },
  { path: '/draws', label: 'nav.draws', roles: ADMINS, icon: <InteractionOutlined />, testId: 'nav-draws' },
  {
    path: '/supervision',
    label: 'nav.supervision',
    roles: VERIFIERS,
    icon: <EyeOutlined />,
    testId: 'nav-supervision',
  },
  {
    path: '/results',
    label: 'nav.results',
    roles: ['joint_admin', 'dept_admin', 'inspector'],
    icon: <FormOutlined />,
    testId: 'nav-results',
  },
  {
    path: '/my/targets',
    label: 'nav.myTargets',
    roles: ['inspector'],
    icon: <FormOutlined />,
    testId: 'nav-my-targets',
  },
  {
    path: '/my/recusals',
    label: 'nav.myRecusals',
    roles: ['inspector'],
    icon: <SafetyCertificateOutlined />,
    testId: 'nav-my-recusals',
  },
  {
    path: '/review',
    label: 'nav.review',
    roles: ['joint_admin', 'dept_admin'],
    icon: <CheckSquareOutlined />,
    testId: 'nav-review',
  },
  {
    path: '/follow-ups',
    label: 'nav.followUps',
    roles: ['joint_admin', 'dept_admin', 'inspector', 'leader'],
    icon: <CheckSquareOutlined />,
    testId: 'nav-follow-ups',
  },
  {
    path: '/credit',
    label: 'nav.credit',
    roles: ADMINS,
    icon: <SafetyCertificateOutlined />,
    testId: 'nav-credit',
  },
  {
    path: '/joint',
    label: 'nav.joint',
    roles: ['joint_admin', 'dept_admin', 'leader'],
    icon: <InteractionOutlined />,
    testId: 'nav-joint',
  },
  {
    path: '/indicators',
    label: 'nav.indicators',
    roles: ['joint_admin', 'dept_admin', 'leader'],
    icon: <BarChartOutlined />,
    testId: 'nav-indicators',
  },
  {
    path: '/audit',
    label: 'nav.audit',
    roles: ['joint_admin', 'leader', 'supervisor'],
    icon: <AuditOutlined />,
    testId: 'nav-audit',
  },
  {
    key: 'settings',
    label: 'nav.settings',
    icon: <SettingOutlined />,
    children: [
      { path: '/settings/users', label: 'nav.users', roles: ADMINS, testId: 'nav-users' },
      {
        path: '/settings/rules',
        label: 'nav.rules',
        roles: ['joint_admin', 'dept_admin', 'leader'],
        testId: 'nav-rules',
      },
      {
        path: '/settings/calendar',
        label: 'nav.calendar',
        roles: ['joint_admin', 'dept_admin', 'leader'],
        testId: 'nav-calendar',
      },
      {
        path: '/imports',
        label: 'nav.imports',
        roles: ADMINS,
        icon: <FileSearchOutlined />,
        testId: 'nav-imports',
      },
    ],
  },
];

export const PUBLIC_PORTAL_ICON = <ExportOutlined />;

/** Which roles may open a route; the first matching prefix wins. */
const ROUTE_ROLES: [RegExp, readonly Role[]][] = [
  [/^\/dashboard/, ['joint_admin', 'dept_admin', 'leader']],
  [/^\/supervision/, VERIFIERS],
  // a draw's page, read-only for the supervisor (the wizard shows no action without draw.write)
  [/^\/draws\/\d+/, [...ADMINS, 'supervisor']],
  [/^\/(entities|inspectors|departments|items|draws|credit|imports|code-issues|recusals)/, ADMINS],
  [/^\/my\/(recusals|targets)/, ['inspector']],
  [/^\/plans/, ['joint_admin', 'dept_admin', 'leader']],
  [/^\/tasks\/new/, ADMINS],
  [/^\/tasks/, ['joint_admin', 'dept_admin', 'inspector', 'supervisor']],
  [/^\/results/, ['joint_admin', 'dept_admin', 'inspector']],
  [/^\/review/, ['joint_admin', 'dept_admin']],
  [/^\/follow-ups/, ['joint_admin', 'dept_admin', 'inspector', 'leader']],
  [/^\/indicators/, ['joint_admin', 'dept_admin', 'leader']],
  [/^\/joint/, ['joint_admin', 'dept_admin', 'leader']],
  [/^\/audit/, ['joint_admin', 'leader', 'supervisor']],
  [/^\/settings\/users/, ADMINS],
  [/^\/settings\/rules/, ['joint_admin', 'dept_admin', 'leader']],
  [/^\/settings\/calendar/, ['joint_admin', 'dept_admin', 'leader']],
];

export function rolesFor(path: string): readonly Role[] {
  for (const [re, roles] of ROUTE_ROLES) if (re.test(path)) return roles;
  return ALL_ROLES;
}

/** The page a role lands on after login. */
export function homeFor(role: Role): string {
  if (role === 'inspector') return '/tasks';
  if (role === 'supervisor') return '/supervision';
  return '/dashboard';
}
