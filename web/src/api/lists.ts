// Helpers over the paged list endpoints: whole lists (map layers) and totals (overview figures).
import { api, type Schemas } from './client';

export type Region = Schemas['RegionView'];
export type Org = Schemas['OrgRow'];
export type User = Schemas['UserView'];
export type RegionLevel = Schemas['RegionLevel'];
export type OrgKind = Schemas['OrgKind'];
export type Specialty = Schemas['Specialty'];
export type GridKind = Schemas['GridKind'];

export const REGION_LEVELS: RegionLevel[] = ['city', 'district', 'street', 'community', 'grid'];
export const ORG_KINDS: OrgKind[] = [
  'governance_centre', 'mediation_committee', 'industry_mediation_committee', 'mediator_studio', 'court', 'shared_court',
  'arbitration_commission', 'petition_bureau', 'legal_aid_centre', 'department', 'command_centre',
];
export const SPECIALTIES: Specialty[] = [
  'labour', 'commercial', 'medical', 'traffic', 'finance', 'property', 'family', 'intellectual_property', 'consumer',
  'construction', 'human_resources', 'housing', 'market_regulation', 'police', 'urban_management', 'health',
  'emergency', 'fire_rescue', 'environment', 'education',
];
export const ROLES: Schemas['Role'][] = ['admin', 'intake', 'mediator', 'judge', 'arbitrator', 'grid_worker', 'handler', 'commander', 'analyst', 'citizen'];

/** The API's largest page. */
const MAX_PER_PAGE = 200;

/** Every region of one level in the caller's jurisdiction, page by page. */
export async function allRegions(level: RegionLevel, signal?: AbortSignal): Promise<Region[]> {
  const out: Region[] = [];
  for (let page = 1; ; page += 1) {
    const res = await api.get('/api/v1/regions', { query: { level, page, per_page: MAX_PER_PAGE }, signal });
    out.push(...res.items);
    if (res.items.length === 0 || out.length >= res.total) return out;
  }
}

/** Direct children of a region, page by page. */
export async function childRegions(parentCode: string, signal?: AbortSignal): Promise<Region[]> {
  const out: Region[] = [];
  for (let page = 1; ; page += 1) {
    const res = await api.get('/api/v1/regions', { query: { parent_code: parentCode, page, per_page: MAX_PER_PAGE }, signal });
    out.push(...res.items);
    if (res.items.length === 0 || out.length >= res.total) return out;
  }
}

/** How many records a list would hold (asks for one row and reads `total`). */
export const totals = {
  regions: async (level?: RegionLevel) => (await api.get('/api/v1/regions', { query: { level, per_page: 1 } })).total,
  orgs: async (kind?: OrgKind) => (await api.get('/api/v1/organisations', { query: { kind, per_page: 1 } })).total,
  users: async (role?: Schemas['Role']) => (await api.get('/api/v1/users', { query: { role, per_page: 1 } })).total,
};

export interface ConsoleConfig {
  /** An XYZ tile URL template (`https://…/{z}/{x}/{y}.png`); none by default, so no external server is contacted. */
  map_tile_url?: string | null;
  map_tile_attribution?: string | null;
}

let configPromise: Promise<ConsoleConfig> | null = null;

/** Deployment settings the server hands the console (`/console-config.json`); empty when absent. */
export function consoleConfig(): Promise<ConsoleConfig> {
  configPromise ??= fetch('/console-config.json', { credentials: 'same-origin' })
    .then((res) => (res.ok ? (res.json() as Promise<ConsoleConfig>) : {}))
    .catch(() => ({}));
  return configPromise;
}
