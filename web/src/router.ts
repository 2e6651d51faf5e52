// Routes of the console, each with the roles that may open it; the guard restores the cookie
// session once, sends strangers to the login page and shows 无权访问 for the wrong role.
import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import { useSession, type Role } from '@/stores/session';
import { i18n } from '@/i18n';
import { STAFF } from '@/nav';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    roles?: Role[];
    cityAdmin?: boolean;
    titleKey?: string;
  }
}

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true, titleKey: 'login.heading' } },
    {
      path: '/',
      component: () => import('@/layouts/ConsoleLayout.vue'),
      children: [
        { path: '', redirect: '/overview' },
        { path: 'overview', name: 'overview', component: () => import('@/views/OverviewView.vue'), meta: { roles: STAFF, titleKey: 'nav.overview' } },
        { path: 'admin/regions/:code?', name: 'regions', component: () => import('@/views/admin/RegionsView.vue'), meta: { roles: STAFF, titleKey: 'nav.regions' } },
        { path: 'admin/organisations', name: 'organisations', component: () => import('@/views/admin/OrganisationsView.vue'), meta: { roles: STAFF, titleKey: 'nav.organisations' } },
        { path: 'admin/users', name: 'users', component: () => import('@/views/admin/UsersView.vue'), meta: { roles: ['admin'], titleKey: 'nav.users' } },
        { path: 'admin/audit', name: 'audit', component: () => import('@/views/admin/AuditView.vue'), meta: { roles: ['admin'], cityAdmin: true, titleKey: 'nav.audit' } },
        { path: 'forbidden', name: 'forbidden', component: () => import('@/views/ForbiddenView.vue'), meta: { titleKey: 'forbidden.title' } },
        { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue'), meta: { titleKey: 'notFound.title' } },
      ],
    },
  ],
});

function allowed(to: RouteLocationNormalized): boolean {
  const session = useSession();
  if (!session.hasAnyRole(to.meta.roles)) return false;
  return !to.meta.cityAdmin || session.isCityAdmin;
}

router.beforeEach(async (to) => {
  const session = useSession();
  if (!session.checked) {
    try {
      await session.restore();
    } catch {
      // The server is unreachable: the login page says so when the user tries.
    }
  }
  if (to.meta.public) {
    return session.loggedIn && to.name === 'login' ? { path: '/overview' } : true;
  }
  if (!session.loggedIn) {
    return { name: 'login', query: to.fullPath !== '/' && to.fullPath !== '/overview' ? { redirect: to.fullPath } : {} };
  }
  if (!allowed(to)) return { name: 'forbidden' };
  return true;
});

router.afterEach((to) => {
  const { t } = i18n.global;
  document.title = to.meta.titleKey ? `${t(to.meta.titleKey)} · ${t('app.fullTitle')}` : t('app.fullTitle');
});
