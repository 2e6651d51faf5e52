// The left menu: what each role sees. Groups whose API does not exist yet stay hidden
// (`available: false`) so the console never shows a screen without real data behind it.
import type { Role } from '@/stores/session';

/** Every staff role: everyone but citizens, who use the /m/ page. */
export const STAFF: Role[] = ['admin', 'intake', 'mediator', 'judge', 'arbitrator', 'grid_worker', 'handler', 'commander', 'analyst'];

/** Roles that may register a dispute (the API's intake roles). */
export const INTAKE: Role[] = ['intake', 'grid_worker', 'judge', 'commander', 'admin', 'mediator'];

/** The centre's side of the grid-event loop: accept, dispatch, verify, summon, import 12345 orders. */
export const GRID_CENTRE: Role[] = ['commander', 'intake', 'admin'];

/** Roles that may report a grid event from the console (the API also takes residents' reports). */
export const GRID_REPORTERS: Role[] = ['grid_worker', 'commander', 'intake', 'admin'];

export interface NavItem {
  /** Route path for a leaf; a group's own key otherwise. */
  index: string;
  titleKey: string;
  icon?: string;
  /** Shown to users holding any of these roles (everyone when absent). */
  roles?: Role[];
  /** Only for administrators of a city-level organisation. */
  cityAdmin?: boolean;
  /** False until the API behind it exists. */
  available: boolean;
  children?: NavItem[];
}

export const NAV: NavItem[] = [
  { index: '/overview', titleKey: 'nav.overview', icon: 'DataAnalysis', roles: STAFF, available: true },
  // 指挥中枢: the alert inbox (every source's alerts and their loop, live).
  {
    index: 'command',
    titleKey: 'alerts.nav.group',
    icon: 'Bell',
    roles: STAFF,
    available: true,
    children: [{ index: '/command/alerts', titleKey: 'alerts.nav.inbox', icon: 'BellFilled', roles: STAFF, available: true }],
  },
  // 矛盾纠纷: intake at the window, the work queue of each body, cases overdue on their clocks.
  {
    index: 'disputes',
    titleKey: 'nav.disputes',
    icon: 'ChatLineSquare',
    roles: STAFF,
    available: true,
    children: [
      { index: '/disputes/intake', titleKey: 'disputes.nav.intake', icon: 'EditPen', roles: INTAKE, available: true },
      { index: '/disputes', titleKey: 'disputes.nav.queue', icon: 'Tickets', roles: STAFF, available: true },
      { index: '/disputes/overdue', titleKey: 'disputes.nav.supervision', icon: 'AlarmClock', roles: STAFF, available: true },
    ],
  },
  // 物联感知: device registry, live map, trajectories, the stolen-vehicle board.
  {
    index: 'iot',
    titleKey: 'iot.nav.group',
    icon: 'Location',
    roles: STAFF,
    available: true,
    children: [
      { index: '/iot/live', titleKey: 'iot.nav.live', icon: 'MapLocation', roles: STAFF, available: true },
      { index: '/iot/stolen', titleKey: 'iot.nav.stolen', icon: 'Warning', roles: STAFF, available: true },
      { index: '/iot/trajectory', titleKey: 'iot.nav.trajectory', icon: 'Guide', roles: STAFF, available: true },
      { index: '/iot/registry', titleKey: 'iot.nav.registry', icon: 'Cpu', roles: STAFF, available: true },
    ],
  },
  // 金融智审: legal calculators for every staff member; bank-loan batches for the courts.
  {
    index: 'finance',
    titleKey: 'finance.nav.group',
    icon: 'Money',
    roles: STAFF,
    available: true,
    children: [
      { index: '/finance/calculator', titleKey: 'finance.nav.calculator', icon: 'Histogram', roles: STAFF, available: true },
      { index: '/finance/batches', titleKey: 'finance.nav.batches', icon: 'Files', roles: ['judge', 'intake', 'admin'], available: true },
    ],
  },
  // 网格管理: the grid map, grid events (上报→受理→派遣→处置→反馈→核查→办结), their clocks, the
  // street summons board, 12345 work orders, base data and visits (一库、走访), the grid index, and
  // the dispatch rules and categories behind them.
  {
    index: 'grid',
    titleKey: 'nav.grid',
    icon: 'Grid',
    roles: STAFF,
    available: true,
    children: [
      { index: '/grid/map', titleKey: 'gridData.nav.map', icon: 'MapLocation', roles: STAFF, available: true },
      { index: '/grid/report', titleKey: 'gridEvents.nav.report', icon: 'EditPen', roles: GRID_REPORTERS, available: true },
      { index: '/grid/events', titleKey: 'gridEvents.nav.queue', icon: 'Tickets', roles: STAFF, available: true },
      { index: '/grid/supervision', titleKey: 'gridEvents.nav.supervision', icon: 'AlarmClock', roles: STAFF, available: true },
      { index: '/grid/summons', titleKey: 'gridEvents.nav.summons', icon: 'Bell', roles: STAFF, available: true },
      { index: '/grid/import', titleKey: 'gridEvents.nav.import', icon: 'Upload', roles: GRID_CENTRE, available: true },
      { index: '/grid/base-data', titleKey: 'gridData.nav.baseData', icon: 'Coin', roles: STAFF, available: true },
      { index: '/grid/index', titleKey: 'gridData.nav.index', icon: 'TrendCharts', roles: STAFF, available: true },
      { index: '/grid/dispatch-rules', titleKey: 'gridEvents.nav.rules', icon: 'Share', roles: STAFF, available: true },
      { index: '/grid/categories', titleKey: 'gridEvents.nav.categories', icon: 'CollectionTag', roles: STAFF, available: true },
    ],
  },
  {
    index: 'admin',
    titleKey: 'nav.admin',
    icon: 'Setting',
    roles: STAFF,
    available: true,
    children: [
      // Staff read regions and organisations (to route work); only administrators change them.
      { index: '/admin/regions', titleKey: 'nav.regions', icon: 'MapLocation', roles: STAFF, available: true },
      { index: '/admin/organisations', titleKey: 'nav.organisations', icon: 'OfficeBuilding', roles: STAFF, available: true },
      { index: '/admin/users', titleKey: 'nav.users', icon: 'User', roles: ['admin'], available: true },
      { index: '/admin/audit', titleKey: 'nav.audit', icon: 'Document', roles: ['admin'], cityAdmin: true, available: true },
      { index: '/admin/open311-keys', titleKey: 'open311.nav.keys', icon: 'Key', roles: ['admin'], cityAdmin: true, available: true },
      { index: '/admin/routing-rules', titleKey: 'disputes.nav.routingRules', icon: 'Share', roles: ['admin', 'intake', 'commander'], available: true },
      { index: '/admin/clocks', titleKey: 'disputes.nav.clocks', icon: 'Timer', roles: STAFF, available: true },
      { index: '/admin/calendar', titleKey: 'disputes.nav.calendar', icon: 'Calendar', roles: STAFF, available: true },
    ],
  },
];

/** The menu as one user may see it. */
export function visibleNav(items: NavItem[], canSee: (item: NavItem) => boolean): NavItem[] {
  return items
    .filter((item) => item.available && canSee(item))
    .map((item) => (item.children ? { ...item, children: visibleNav(item.children, canSee) } : item))
    .filter((item) => !item.children || item.children.length > 0);
}
