import { lazy, Suspense, useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { I18nProvider, useI18n } from './i18n/index.tsx';
import { AuthProvider, useAuth } from './auth/AuthContext.tsx';
import { errorDetail, setErrorReporter } from './api/client.ts';
import { AppLayout, PageSpinner } from './layout/AppLayout.tsx';
import { homeFor } from './layout/nav.tsx';
import { NotFoundPage } from './components/common.tsx';
import { SetupGate } from './pages/admin/SetupGate.tsx';

const Login = lazy(() => import('./pages/Login.tsx'));
const ChangePassword = lazy(() => import('./pages/ChangePassword.tsx'));
const Dashboard = lazy(() => import('./pages/Dashboard.tsx'));
const EntityList = lazy(() => import('./pages/entities/EntityList.tsx'));
const EntityDetail = lazy(() => import('./pages/entities/EntityDetail.tsx'));
const Inspectors = lazy(() => import('./pages/Inspectors.tsx'));
const InspectorDetail = lazy(() => import('./pages/InspectorDetail.tsx'));
const CodeIssues = lazy(() => import('./pages/codeIssues/CodeIssues.tsx'));
const Departments = lazy(() => import('./pages/Departments.tsx'));
const Items = lazy(() => import('./pages/Items.tsx'));
const TaskList = lazy(() => import('./pages/tasks/TaskList.tsx'));
const PlanList = lazy(() => import('./pages/plans/PlanList.tsx'));
const PlanDetail = lazy(() => import('./pages/plans/PlanDetail.tsx'));
const TaskNew = lazy(() => import('./pages/tasks/TaskNew.tsx'));
const TaskDetail = lazy(() => import('./pages/tasks/TaskDetail.tsx'));
const DrawList = lazy(() => import('./pages/draws/DrawList.tsx'));
const DrawPage = lazy(() => import('./pages/draws/DrawPage.tsx'));
const Results = lazy(() => import('./pages/Results.tsx'));
const Review = lazy(() => import('./pages/Review.tsx'));
const FollowUps = lazy(() => import('./pages/results/FollowUps.tsx'));
const Credit = lazy(() => import('./pages/Credit.tsx'));
const Indicators = lazy(() => import('./pages/Indicators.tsx'));
const JointPage = lazy(() => import('./pages/joint/JointPage.tsx'));
const Audit = lazy(() => import('./pages/Audit.tsx'));
const Users = lazy(() => import('./pages/settings/Users.tsx'));
const Recusals = lazy(() => import('./pages/people/Recusals.tsx'));
const MyRecusals = lazy(() => import('./pages/people/MyRecusals.tsx'));
const MyTargets = lazy(() => import('./pages/people/MyTargets.tsx'));
const Rules = lazy(() => import('./pages/admin/Rules.tsx'));
const CalendarPage = lazy(() => import('./pages/admin/Calendar.tsx'));
const Setup = lazy(() => import('./pages/admin/Setup.tsx'));
const ImportList = lazy(() => import('./pages/imports/ImportList.tsx'));
const ImportNew = lazy(() => import('./pages/imports/ImportNew.tsx'));
const ImportDetailPage = lazy(() => import('./pages/imports/ImportDetailPage.tsx'));
const PublicHome = lazy(() => import('./pages/public/PublicHome.tsx'));
const PublicDrawPage = lazy(() => import('./pages/public/PublicDrawPage.tsx'));
const PublicItems = lazy(() => import('./pages/public/PublicItems.tsx'));
const PublicAudit = lazy(() => import('./pages/public/PublicAudit.tsx'));
const PublicVerify = lazy(() => import('./pages/public/PublicVerify.tsx'));
const Supervision = lazy(() => import('./pages/supervision/Supervision.tsx'));

/** Routes API errors to antd notifications (in the current language). */
function ErrorBridge() {
  const { notification } = AntApp.useApp();
  const { t } = useI18n();
  useEffect(() => {
    setErrorReporter((err) => {
      const detail = errorDetail(err);
      notification.error({
        key: `${err.code}:${err.requestId ?? ''}`,
        title: err.message,
        description: (
          <div data-testid="error-notification" data-code={err.code}>
            {detail ? <div>{detail}</div> : null}
            <div style={{ color: '#888', fontSize: 12, marginTop: 4 }}>
              {t('error.code')}: {err.code}
              {err.requestId ? ` · ${t('error.requestId')}: ${err.requestId}` : ''}
            </div>
          </div>
        ),
        placement: 'topRight',
        duration: 6,
      });
    });
  }, [notification, t]);
  return null;
}

function Home() {
  const { user } = useAuth();
  if (user === undefined) return <PageSpinner />;
  if (user === null) return <Navigate to="/login" replace />;
  return <Navigate to={homeFor(user.role)} replace />;
}

function Themed() {
  const { lang } = useI18n();
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zhCN : enUS}
      theme={{
        token: {
          colorPrimary: '#1456b8',
          colorLink: '#1456b8',
          borderRadius: 4,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
        },
        components: { Layout: { headerHeight: 60 } },
      }}
    >
      <AntApp>
        <ErrorBridge />
        <AuthProvider>
          <BrowserRouter>
            <Suspense fallback={<PageSpinner />}>
              <Routes>
                <Route path="/login" element={<Login />} />
                <Route path="/change-password" element={<ChangePassword />} />
                <Route path="/setup" element={<Setup />} />
                <Route path="/public" element={<PublicHome />} />
                <Route path="/public/draws/:id" element={<PublicDrawPage />} />
                <Route path="/public/items" element={<PublicItems />} />
                <Route path="/public/audit" element={<PublicAudit />} />
                <Route path="/verify" element={<PublicVerify />} />
                <Route path="/" element={<Home />} />
                <Route element={<SetupGate />}>
                  <Route element={<AppLayout />}>
                    <Route path="/dashboard" element={<Dashboard />} />
                    <Route path="/entities" element={<EntityList />} />
                    <Route path="/entities/:id" element={<EntityDetail />} />
                    <Route path="/inspectors" element={<Inspectors />} />
                    <Route path="/inspectors/:id" element={<InspectorDetail />} />
                    <Route path="/code-issues" element={<CodeIssues />} />
                    <Route path="/departments" element={<Departments />} />
                    <Route path="/items" element={<Items />} />
                    <Route path="/plans" element={<PlanList />} />
                    <Route path="/plans/:id" element={<PlanDetail />} />
                    <Route path="/tasks" element={<TaskList />} />
                    <Route path="/tasks/new" element={<TaskNew />} />
                    <Route path="/tasks/:id/edit" element={<TaskNew />} />
                    <Route path="/tasks/:id" element={<TaskDetail />} />
                    <Route path="/draws" element={<DrawList />} />
                    <Route path="/draws/:id" element={<DrawPage />} />
                    <Route path="/results" element={<Results />} />
                    <Route path="/review" element={<Review />} />
                    <Route path="/follow-ups" element={<FollowUps />} />
                    <Route path="/credit" element={<Credit />} />
                    <Route path="/indicators" element={<Indicators />} />
                    <Route path="/joint" element={<JointPage />} />
                    <Route path="/audit" element={<Audit />} />
                    <Route path="/supervision" element={<Supervision />} />
                    <Route path="/settings" element={<Navigate to="/settings/users" replace />} />
                    <Route path="/settings/users" element={<Users />} />
                    <Route path="/recusals" element={<Recusals />} />
                    <Route path="/my/recusals" element={<MyRecusals />} />
                    <Route path="/my/targets" element={<MyTargets />} />
                    <Route path="/settings/rules" element={<Rules />} />
                    <Route path="/settings/calendar" element={<CalendarPage />} />
                    <Route path="/imports" element={<ImportList />} />
                    <Route path="/imports/new" element={<ImportNew />} />
                    <Route path="/imports/:id" element={<ImportDetailPage />} />
                    <Route path="*" element={<NotFoundPage />} />
                  </Route>
                </Route>
              </Routes>
            </Suspense>
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export default function App() {
  return (
    <I18nProvider>
      <Themed />
    </I18nProvider>
  );
}
