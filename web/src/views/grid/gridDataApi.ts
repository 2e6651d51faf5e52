// The grid map, base-data (一库), visits (走访) and grid-index (网格指数) screens' calls: typed
// through the generated client where the OpenAPI document describes the answer, and by hand
// for the raw-body calls (xlsx import, GeoJSON export and geometry edit) and for the base-data
// import report, whose schema name collides with the dispute import's in the OpenAPI document.
import { api, currentToken, readError, type Schemas } from '@/api/client';
import { childRegions, type Region } from '@/api/lists';

export type BaseKind = Schemas['BaseKind'];
export type BaseRecord = Schemas['BaseRecordView'];
export type KindsResponse = Schemas['KindsResponse'];
export type KindInfo = Schemas['KindInfo'];
export type HistoryEntry = Schemas['HistoryEntry'];
export type GridSummary = Schemas['GridSummary'];
export type GridBaseCounts = Schemas['GridBaseCounts'];
export type GridPlace = Schemas['GridPlace'];
export type Visit = Schemas['VisitView'];
export type Campaign = Schemas['CampaignView'];
export type CampaignSummary = Schemas['CampaignSummary'];
export type Formula = Schemas['Formula'];
export type IndexRanking = Schemas['IndexRanking'];
export type IndexEntry = Schemas['IndexEntry'];
export type Duty = Schemas['Duty'];
export type Assessment = Schemas['AssessmentView'];
export type SensitiveField = Schemas['SensitiveField'];

export const BASE_KINDS: BaseKind[] = ['person', 'housing', 'enterprise', 'organisation', 'component'];

/** A GeoJSON Polygon or MultiPolygon as the regions API stores it. */
export interface PolygonGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: number[][][] | number[][][][];
}

/** One problem of one refused row of a base-data import (`routes/basedata/import.rs` `RowError`). */
export interface BaseImportRowError {
  /** Spreadsheet line (the header is line 1). */
  line: number;
  /** The column's header as written in the file. */
  column: string;
  column_letter: string | null;
  field: string;
  code: string;
  message: string;
}

/** The answer of `POST /api/v1/base-data/import/{kind}`. */
export interface BaseImportReport {
  kind: BaseKind;
  total: number;
  written: number;
  refused: number;
  records: { line: number; id: string }[];
  errors: BaseImportRowError[];
}

// ---- grids ----

export function gridSummary(code: string): Promise<GridSummary> {
  return api.get('/api/v1/grids/{code}', { params: { code } });
}

export function gridBaseCounts(code: string): Promise<GridBaseCounts> {
  return api.get('/api/v1/grids/{code}/base-data/counts', { params: { code } });
}

export async function locatePoint(lng: number, lat: number): Promise<GridPlace[]> {
  // The parameters are numbers on the wire; the OpenAPI document types them as such.
  return (await api.get('/api/v1/grids/locate', { query: { lng, lat } })).grids;
}

export async function region(code: string): Promise<Region> {
  return api.get('/api/v1/regions/{code}', { params: { code } });
}

/** The direct children of a region, grids ordered by code. */
export async function regionChildren(code: string): Promise<Region[]> {
  return (await childRegions(code)).sort((a, b) => a.code.localeCompare(b.code));
}

/** Replace a grid's polygon; the server checks it (closed rings, no self-intersection, inside the community). */
export async function saveGridGeometry(code: string, geometry: PolygonGeometry): Promise<Schemas['GeometryChange']> {
  return api.put('/api/v1/grids/{code}/geometry', { params: { code }, body: geometry as unknown as Record<string, never> });
}

export async function exportGrids(under: string | null): Promise<Blob> {
  const query = under ? `?under=${encodeURIComponent(under)}` : '';
  const res = await fetch(`/api/v1/grids/export${query}`, { credentials: 'same-origin', headers: authHeader() });
  if (!res.ok) throw await readError(res);
  return new Blob([await res.text()], { type: 'application/geo+json' });
}

// ---- base data ----

let kindsPromise: Promise<KindsResponse> | null = null;
/** The kinds with their categories, fetched once per page load. */
export function baseKinds(): Promise<KindsResponse> {
  kindsPromise ??= api.get('/api/v1/base-data/kinds').catch((err: unknown) => {
    kindsPromise = null;
    throw err;
  });
  return kindsPromise;
}

export interface RecordQuery {
  kind?: BaseKind;
  region?: string;
  grid?: string;
  q?: string;
  id_number?: string;
  phone?: string;
  credit_code?: string;
  tag?: string;
  category?: string;
  complete?: boolean;
  page?: number;
  per_page?: number;
}

export async function listRecords(query: RecordQuery): Promise<{ items: BaseRecord[]; total: number }> {
  return api.get('/api/v1/base-data', { query });
}

export function recordHistory(id: string): Promise<HistoryEntry[]> {
  return api.get('/api/v1/base-data/{id}/history', { params: { id } });
}

export async function revealRecordField(id: string, field: SensitiveField, reason: string): Promise<string | null> {
  return (await api.post('/api/v1/base-data/{id}/reveal', { params: { id }, body: { field, reason } })).value ?? null;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends one kind's filled-in template; bad rows come back by line and column, good rows are written. */
export async function importRecords(kind: BaseKind, file: File): Promise<BaseImportReport> {
  const res = await fetch(`/api/v1/base-data/import/${encodeURIComponent(kind)}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': XLSX, Accept: 'application/json', ...authHeader() },
    body: file,
  });
  if (!res.ok) throw await readError(res);
  return (await res.json()) as BaseImportReport;
}

export function importTemplateUrl(kind: BaseKind): string {
  return `/api/v1/base-data/import/${encodeURIComponent(kind)}/template.xlsx`;
}

// ---- visits ----

export async function listVisits(query: { region?: string; grid?: string; campaign_id?: string; from?: string; to?: string; page?: number; per_page?: number }): Promise<{ items: Visit[]; total: number }> {
  return api.get('/api/v1/visits', { query });
}

export async function listCampaigns(): Promise<Campaign[]> {
  return (await api.get('/api/v1/visit-campaigns', { query: { per_page: 100 } })).items;
}

export function campaignSummary(id: string): Promise<CampaignSummary> {
  return api.get('/api/v1/visit-campaigns/{id}/summary', { params: { id } });
}

// ---- grid index ----

let formulaPromise: Promise<Formula> | null = null;
export function indexFormula(): Promise<Formula> {
  formulaPromise ??= api.get('/api/v1/grid-index/formula').catch((err: unknown) => {
    formulaPromise = null;
    throw err;
  });
  return formulaPromise;
}

export function indexRanking(month: string, under: string | null): Promise<IndexRanking> {
  return api.get('/api/v1/grid-index', { query: { month, under: under ?? undefined } });
}

export function createAssessment(body: Schemas['NewAssessment']): Promise<Assessment> {
  return api.post('/api/v1/grid-index/assessments', { body });
}

// ---- helpers ----

function authHeader(): Record<string, string> {
  const token = currentToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** `YYYY-MM` of a date in China time. */
export function monthOf(date: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(date);
  const y = parts.find((p) => p.type === 'year')?.value ?? '1970';
  const m = parts.find((p) => p.type === 'month')?.value ?? '01';
  return `${y}-${m}`;
}

/** The codes of a materialised path: `/339900/339902/` → `['339900', '339902']`. */
export function pathCodes(path: string): string[] {
  return path.split('/').filter(Boolean);
}
