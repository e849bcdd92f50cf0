import { useFieldNames } from '../components/field-names';
import { Button, Result } from 'antd';
import { type ReactNode, Suspense, useEffect } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { ErrorState, PageLoading } from '../components/page-states';
import { DistrictFilterProvider } from './district-filter';
import { HomePage } from './home/HomePage';
import { ConsoleLayout } from './layout/ConsoleLayout';
import { LoginPage } from './login/LoginPage';
import { MenuProvider, useMenu } from './menu';
import { type PageRoute, pageRoutes, publicRoutes } from './routes';
import { SessionProvider, useSession } from './session';

const APP_TITLE = '卫健 · 城市卫生健康综合管理平台';

export function App() {
  useFieldNames();
  return (
    <SessionProvider>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        {publicRoutes.map((r) => (
          <Route
            key={r.path}
            path={r.path}
            element={
              <Suspense fallback={<PageLoading />}>
                <r.page />
              </Suspense>
            }
          />
        ))}
        <Route element={<SignedIn />}>
          <Route
            index
            element={
              <Titled title="首页">
                <HomePage />
              </Titled>
            }
          />
          {pageRoutes.map((r) => (
            <Route key={r.path} path={`${r.path}/*`} element={<GuardedPage route={r} />} />
          ))}
          <Route path="*" element={<NotBuilt />} />
        </Route>
      </Routes>
    </SessionProvider>
  );
}

/** Everything behind sign-in: the shell, its menu and the district filter. */
function SignedIn() {
  const { status } = useSession();
  const location = useLocation();
  if (status === 'loading') return <PageLoading tip="正在验证登录状态…" />;
  if (status === 'signedOut') return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return (
    <MenuProvider>
      <DistrictFilterProvider>
        <ConsoleLayout />
      </DistrictFilterProvider>
    </MenuProvider>
  );
}

function Titled({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} - ${APP_TITLE}`;
  }, [title]);
  return <>{children}</>;
}

function GuardedPage({ route }: { route: PageRoute }) {
  const menu = useMenu();
  const navigate = useNavigate();
  if (menu.loading) return <PageLoading />;
  if (menu.error) return <ErrorState error={menu.error} onRetry={menu.reload} />;
  const item = menu.itemFor(route.path);
  if (!item) {
    return (
      <Result
        status="403"
        title="无权访问"
        subTitle="您的角色没有此页面的权限。如需使用，请联系管理员调整角色。"
        extra={
          <Button type="primary" onClick={() => navigate('/')}>
            返回首页
          </Button>
        }
      />
    );
  }
  const Page = route.page;
  return (
    <Titled title={item.title}>
      <Suspense fallback={<PageLoading />}>
        <Page />
      </Suspense>
    </Titled>
  );
}

function NotBuilt() {
  const menu = useMenu();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  if (menu.loading) return <PageLoading />;
  const item = menu.itemFor(pathname);
  return item ? (
    <Titled title={item.title}>
      <Result status="info" title={`${item.title}`} subTitle="该功能页面正在建设中，接口已可通过 API 文档（/api/docs）调用。" />
    </Titled>
  ) : (
    <Result
      status="404"
      title="页面不存在"
      subTitle="您访问的页面不存在，或不在您的菜单中。"
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          返回首页
        </Button>
      }
    />
  );
}
