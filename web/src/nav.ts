// The left menu: what each role sees. Groups whose API does not exist yet stay hidden
// (`available: false`) so the console never shows a screen without real data behind it.
import type { Role } from '@/stores/session';

/** Every staff role: everyone but citizens, who use the /m/ page. */
export const STAFF: Role[] = ['admin', 'intake', 'mediator', 'judge', 'arbitrator', 'grid_worker', 'handler', 'commander', 'analyst'];

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
  // 矛盾纠纷: case intake, routing, mediation, legal clocks — slots in when the dispute API lands.
  { index: 'disputes', titleKey: 'nav.disputes', icon: 'ChatLineSquare', available: false, children: [] },
  // 网格: grid events (派遣→处置→反馈→办结) — after disputes.
  { index: 'grid', titleKey: 'nav.grid', icon: 'Grid', available: false, children: [] },
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
