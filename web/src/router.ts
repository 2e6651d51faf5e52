// Routes of the console, each with the roles that may open it; the guard restores the cookie
// session once, sends strangers to the login page and shows 无权访问 for the wrong role.
import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import { useSession, type Role } from '@/stores/session';
import { i18n } from '@/i18n';
import { GRID_CENTRE, GRID_REPORTERS, INTAKE, STAFF } from '@/nav';

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
    // The grid worker's phone page: full screen, outside the console frame.
    { path: '/w/report', name: 'grid-phone-report', component: () => import('@/views/grid/PhoneReportView.vue'), meta: { roles: GRID_REPORTERS, titleKey: 'gridEvents.nav.phone' } },
    {
      path: '/',
      component: () => import('@/layouts/ConsoleLayout.vue'),
      children: [
        { path: '', redirect: '/overview' },
        { path: 'overview', name: 'overview', component: () => import('@/views/OverviewView.vue'), meta: { roles: STAFF, titleKey: 'nav.overview' } },
        { path: 'disputes', name: 'queue', component: () => import('@/views/disputes/QueueView.vue'), meta: { roles: STAFF, titleKey: 'disputes.nav.queue' } },
        { path: 'disputes/overdue', name: 'supervision', component: () => import('@/views/disputes/QueueView.vue'), meta: { roles: STAFF, titleKey: 'disputes.nav.supervision' } },
        { path: 'disputes/intake', name: 'intake', component: () => import('@/views/disputes/IntakeView.vue'), meta: { roles: INTAKE, titleKey: 'disputes.nav.intake' } },
        { path: 'disputes/:id', name: 'dispute', component: () => import('@/views/disputes/DetailView.vue'), props: true, meta: { roles: STAFF, titleKey: 'disputes.nav.detail' } },
        { path: 'admin/routing-rules', name: 'routing-rules', component: () => import('@/views/admin/RoutingRulesView.vue'), meta: { roles: ['admin', 'intake', 'commander'], titleKey: 'disputes.nav.routingRules' } },
        { path: 'admin/clocks', name: 'clocks', component: () => import('@/views/admin/ClocksView.vue'), meta: { roles: STAFF, titleKey: 'disputes.nav.clocks' } },
        { path: 'admin/calendar/:year?', name: 'calendar', component: () => import('@/views/admin/CalendarView.vue'), meta: { roles: STAFF, titleKey: 'disputes.nav.calendar' } },
        { path: 'admin/regions/:code?', name: 'regions', component: () => import('@/views/admin/RegionsView.vue'), meta: { roles: STAFF, titleKey: 'nav.regions' } },
        { path: 'admin/organisations', name: 'organisations', component: () => import('@/views/admin/OrganisationsView.vue'), meta: { roles: STAFF, titleKey: 'nav.organisations' } },
        { path: 'admin/users', name: 'users', component: () => import('@/views/admin/UsersView.vue'), meta: { roles: ['admin'], titleKey: 'nav.users' } },
        { path: 'admin/audit', name: 'audit', component: () => import('@/views/admin/AuditView.vue'), meta: { roles: ['admin'], cityAdmin: true, titleKey: 'nav.audit' } },
        { path: 'admin/open311-keys', name: 'open311-keys', component: () => import('@/views/admin/Open311Keys.vue'), meta: { roles: ['admin'], cityAdmin: true, titleKey: 'open311.nav.keys' } },
        { path: 'iot/live', name: 'iot-live', component: () => import('@/views/iot/LiveMapView.vue'), meta: { roles: STAFF, titleKey: 'iot.nav.live' } },
        { path: 'iot/stolen', name: 'iot-stolen', component: () => import('@/views/iot/StolenBoardView.vue'), meta: { roles: STAFF, titleKey: 'iot.nav.stolen' } },
        { path: 'iot/trajectory', name: 'iot-trajectory', component: () => import('@/views/iot/TrajectoryView.vue'), meta: { roles: STAFF, titleKey: 'iot.nav.trajectory' } },
        { path: 'iot/registry', name: 'iot-registry', component: () => import('@/views/iot/RegistryView.vue'), meta: { roles: STAFF, titleKey: 'iot.nav.registry' } },
        { path: 'finance/calculator', name: 'finance-calculator', component: () => import('@/views/finance/CalculatorView.vue'), meta: { roles: STAFF, titleKey: 'finance.nav.calculator' } },
        { path: 'finance/batches', name: 'finance-batches', component: () => import('@/views/finance/BatchesView.vue'), meta: { roles: ['judge', 'intake', 'admin'], titleKey: 'finance.nav.batches' } },
        { path: 'finance/batches/:id', name: 'finance-batch', component: () => import('@/views/finance/BatchJudgeView.vue'), meta: { roles: ['judge', 'intake', 'admin'], titleKey: 'finance.judge.title' } },
        // 网格事件 (views/grid): queue, detail, report, supervision, summons, 12345 import, rules, categories.
        { path: 'grid/events', name: 'grid-events', component: () => import('@/views/grid/EventQueueView.vue'), meta: { roles: STAFF, titleKey: 'gridEvents.nav.queue' } },
        { path: 'grid/events/:id', name: 'grid-event', component: () => import('@/views/grid/EventDetailView.vue'), props: true, meta: { roles: STAFF, titleKey: 'gridEvents.nav.detail' } },
        { path: 'grid/report', name: 'grid-report', component: () => import('@/views/grid/EventReportView.vue'), meta: { roles: GRID_REPORTERS, titleKey: 'gridEvents.nav.report' } },
        { path: 'grid/supervision', name: 'grid-supervision', component: () => import('@/views/grid/EventSupervisionView.vue'), meta: { roles: STAFF, titleKey: 'gridEvents.nav.supervision' } },
        { path: 'grid/summons', name: 'grid-summons', component: () => import('@/views/grid/SummonsBoardView.vue'), meta: { roles: STAFF, titleKey: 'gridEvents.nav.summons' } },
        { path: 'grid/import', name: 'grid-import', component: () => import('@/views/grid/HotlineImportView.vue'), meta: { roles: GRID_CENTRE, titleKey: 'gridEvents.nav.import' } },
        { path: 'grid/dispatch-rules', name: 'grid-dispatch-rules', component: () => import('@/views/grid/DispatchRulesView.vue'), meta: { roles: STAFF, titleKey: 'gridEvents.nav.rules' } },
        { path: 'grid/categories', name: 'grid-categories', component: () => import('@/views/grid/CategoriesView.vue'), meta: { roles: STAFF, titleKey: 'gridEvents.nav.categories' } },
        // 网格地图、一库、网格指数 (views/grid): drill-down map with grid cards, base data and visits, the monthly index.
        { path: 'grid/map', name: 'grid-map', component: () => import('@/views/grid/GridMapView.vue'), meta: { roles: STAFF, titleKey: 'gridData.nav.map' } },
        { path: 'grid/base-data', name: 'grid-base-data', component: () => import('@/views/grid/BaseDataView.vue'), meta: { roles: STAFF, titleKey: 'gridData.nav.baseData' } },
        { path: 'grid/index', name: 'grid-index', component: () => import('@/views/grid/GridIndexView.vue'), meta: { roles: STAFF, titleKey: 'gridData.nav.index' } },
        { path: 'command/alerts', name: 'alert-inbox', component: () => import('@/views/command/AlertInboxView.vue'), meta: { roles: STAFF, titleKey: 'alerts.nav.inbox' } },
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
