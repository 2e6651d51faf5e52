// The grid-event API as the grid screens use it: shapes of the answers the OpenAPI document
// leaves as plain objects (events, steps, photos, summonses, rules), the statuses and sources,
// which step each button is, photos fetched with the bearer token into object URLs, and the
// raw-body calls (photo upload, 12345 import) the typed client has no body type for.
import { api, currentToken, readError, type Schemas } from '@/api/client';
import { compareClocks, uploadFile, type ClockItem, type Micros } from '@/api/disputes';
import { orgNames } from '@/api/names';

export type { ClockItem, Micros };

export type EventStatus =
  | 'reported' | 'solved_on_spot' | 'accepted' | 'returned' | 'dispatched' | 'handling' | 'fed_back'
  | 'closed' | 'evaluated' | 'rejected' | 'transferred_to_dispute';
export type EventSource = 'grid_worker' | 'citizen' | 'hotline_12345' | 'open311' | 'video' | 'visit';
export type EventView = 'jurisdiction' | 'department' | 'mine';
export type EventAction =
  | 'accept' | 'reject' | 'solve_on_spot' | 'dispatch' | 'sign' | 'return' | 'feedback' | 'verify' | 'evaluate' | 'reopen'
  | 'transfer_to_dispute';

export const STATUSES: EventStatus[] = [
  'reported', 'solved_on_spot', 'accepted', 'returned', 'dispatched', 'handling', 'fed_back', 'closed', 'evaluated', 'rejected',
  'transferred_to_dispute',
];
export const SOURCES: EventSource[] = ['grid_worker', 'citizen', 'hotline_12345', 'open311', 'video', 'visit'];
/** Buttons in this order on the detail page; the server says which apply. */
export const ACTIONS: EventAction[] = ['accept', 'dispatch', 'sign', 'feedback', 'solve_on_spot', 'verify', 'evaluate', 'reopen', 'return', 'reject', 'transfer_to_dispute'];
/** Steps drawn as a red (plain) button: they refuse or send back. */
export const DANGER_ACTIONS: EventAction[] = ['reject', 'return'];

/** Element Plus tag colour of a status: blue waiting for the centre, orange with a department, green done, grey ended. */
export function statusTagType(status: string): 'primary' | 'success' | 'warning' | 'info' | 'danger' {
  if (['reported', 'solved_on_spot', 'accepted', 'fed_back'].includes(status)) return 'primary';
  if (['dispatched', 'handling'].includes(status)) return 'warning';
  if (status === 'returned') return 'danger';
  if (['closed', 'evaluated'].includes(status)) return 'success';
  return 'info';
}

export function isOpenStatus(status: string): boolean {
  return !['closed', 'evaluated', 'rejected', 'transferred_to_dispute'].includes(status);
}

export interface GridEventRow {
  id: string;
  /** 事件编号, e.g. `WG2611220001`. */
  number: string;
  category: string;
  title: string;
  description: string;
  source: EventSource;
  status: EventStatus;
  lat: number | null;
  lng: number | null;
  address: string;
  grid_code: string | null;
  /** JSON list of every grid containing the point. */
  grid_codes: string;
  region_path: string;
  reporter_user_id: string | null;
  reporter_name: string;
  reporter_phone_masked: string | null;
  external_id: string | null;
  dedup_key: string | null;
  department_org_id: string | null;
  dispatch_json: string | null;
  dispute_id: string | null;
  attributes_json: string;
  urgent: boolean;
  evaluation_score: number | null;
  evaluation_comment: string | null;
  created_at: Micros;
  updated_at: Micros;
  closed_at: Micros | null;
}

export interface StepRow {
  id: string;
  event_id: string;
  at: Micros;
  actor_user_id: string | null;
  actor_org_id: string | null;
  /** `centre`, `department`, `reporter`, `staff` or `system`. */
  actor_kind: string;
  action: string;
  from_status: EventStatus | null;
  to_status: EventStatus;
  note: string;
  detail_json: string;
  public: boolean;
}

export interface PhotoMeta {
  id: string;
  event_id: string;
  step_id: string | null;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_by: string | null;
  uploaded_at: Micros;
}

export interface GridClockRow {
  id: string;
  event_id: string;
  clock_id: string;
  step: string;
  started_at: Micros;
  stopped_at: Micros | null;
}

export interface EventDetail {
  event: GridEventRow;
  steps: StepRow[];
  photos: PhotoMeta[];
  clocks: GridClockRow[];
  status_label: string;
  clock: ClockItem | null;
  allowed_actions: EventAction[];
}

export interface EventPage {
  items: GridEventRow[];
  total: number;
  page: number;
  per_page: number;
}

export interface CategoryAttribute {
  code: string;
  /** `string`, `number`, `datetime`, `text`, `singlevaluelist` or `multivaluelist`. */
  datatype: string;
  required: boolean;
  description: string;
  order: number;
  /** [key, name] pairs for the list types. */
  values: [string, string][];
}

export interface Category {
  code: string;
  name_zh: string;
  group_zh: string;
  description: string;
  dispute_type: string | null;
  attributes: CategoryAttribute[];
  keywords: string[];
  public: boolean;
  active: boolean;
}

export interface DispatchChoice {
  rule_id: string;
  rule_name: string;
  org_id: string;
  org_name: string;
  explanation: string;
  trace: string[];
}

export interface DispatchRule {
  id: string;
  priority: number;
  name_zh: string;
  categories: string[];
  region_prefix: string | null;
  specialty: Schemas['Specialty'];
}

export interface RuleView {
  rule: DispatchRule;
  version: number;
  active: boolean;
}

export interface ReportOutcome {
  event: GridEventRow;
  replayed: boolean;
  /** Numbers of open events that look like the same matter. */
  possible_duplicates: string[];
}

export interface SummonsRow {
  id: string;
  region_code: string;
  region_path: string;
  title: string;
  description: string;
  event_id: string | null;
  raised_by: string | null;
  raised_by_org_id: string | null;
  clock_id: string;
  status: 'open' | 'closed';
  created_at: Micros;
  closed_at: Micros | null;
}

export interface SummonsDepartment {
  summons_id: string;
  org_id: string;
  org_name: string;
  /** `pending` → `reported` (报到) → `answered` (答复). */
  status: 'pending' | 'reported' | 'answered';
  reported_at: Micros | null;
  reported_by: string | null;
  answer: string;
  answered_at: Micros | null;
  overdue: boolean;
}

export interface SummonsView {
  summons: SummonsRow;
  report_due: string | null;
  departments: SummonsDepartment[];
  reported: number;
  answered: number;
  overdue: number;
}

export interface ImportOutcome {
  line: number;
  order_no: string;
  outcome: 'created' | 'replayed' | 'refused';
  event_id: string | null;
  number: string | null;
  category_by: 'code' | 'name' | 'keywords' | null;
  possible_duplicates: string[];
  problems: { field: string; message: string }[];
}

export interface ImportReport {
  created: number;
  replayed: number;
  refused: number;
  outcomes: ImportOutcome[];
}

export interface TransferParty {
  role: Schemas['PartyRole'];
  kind: Schemas['PartyKind'];
  name: string;
  id_number: string | null;
  credit_code: string | null;
  phone: string | null;
  address: string;
  legal_representative: string | null;
}

export interface Transferred {
  event_id: string;
  dispute_id: string;
  code: string;
  access_secret: string;
}

export interface ReportBody {
  category: string;
  title?: string;
  description: string;
  lat?: number | null;
  lng?: number | null;
  address?: string;
  region_code?: string | null;
  urgent?: boolean;
  attributes?: Record<string, unknown>;
  reporter_name?: string | null;
  reporter_phone?: string | null;
}

// ---- events ----

export async function listEvents(query: {
  view?: EventView;
  status?: string;
  open_only?: boolean;
  category?: string;
  source?: string;
  grid_code?: string;
  q?: string;
  page?: number;
  per_page?: number;
}): Promise<EventPage> {
  return (await api.get('/api/v1/grid-events', { query })) as unknown as EventPage;
}

export async function getEvent(id: string): Promise<EventDetail> {
  return (await api.get('/api/v1/grid-events/{id}', { params: { id } })) as unknown as EventDetail;
}

export async function runEventCommand(id: string, command: { action: EventAction } & Record<string, unknown>): Promise<GridEventRow> {
  return (await api.post('/api/v1/grid-events/{id}/commands', { params: { id }, body: command as unknown as Record<string, never> })) as unknown as GridEventRow;
}

export async function dispatchSuggestion(id: string): Promise<DispatchChoice> {
  return (await api.get('/api/v1/grid-events/{id}/dispatch-suggestion', { params: { id } })) as unknown as DispatchChoice;
}

export async function transferToDispute(id: string, body: { dispute_type: string | null; parties: TransferParty[]; claims: string; amount_fen: number; note: string }): Promise<Transferred> {
  return (await api.post('/api/v1/grid-events/{id}/transfer-to-dispute', { params: { id }, body: body as never })) as unknown as Transferred;
}

export async function reportEvent(body: ReportBody, idempotencyKey: string): Promise<ReportOutcome> {
  // The typed client has no header option; a report is repeat-safe with its key (a double tap
  // on a phone with a weak signal files one event).
  const res = await fetch('/api/v1/grid-events', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': idempotencyKey, ...authHeader() },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await readError(res);
  return (await res.json()) as ReportOutcome;
}

export function uploadEventPhoto(id: string, file: File): Promise<PhotoMeta> {
  return uploadFile(`/api/v1/grid-events/${encodeURIComponent(id)}/photos`, file) as unknown as Promise<PhotoMeta>;
}

export function photoUrl(eventId: string, photoId: string): string {
  return `/api/v1/grid-events/${encodeURIComponent(eventId)}/photos/${encodeURIComponent(photoId)}`;
}

/** Object URLs of photos fetched with the bearer token, kept per photo for the page's life. */
const photoCache = new Map<string, Promise<string>>();
export function photoObjectUrl(eventId: string, photoId: string): Promise<string> {
  const key = `${eventId}/${photoId}`;
  let hit = photoCache.get(key);
  if (!hit) {
    hit = fetch(photoUrl(eventId, photoId), { credentials: 'same-origin', headers: authHeader() }).then(async (res) => {
      if (!res.ok) throw await readError(res);
      return URL.createObjectURL(await res.blob());
    });
    hit.catch(() => photoCache.delete(key));
    photoCache.set(key, hit);
  }
  return hit;
}

// ---- catalogue ----

let categoriesPromise: Promise<Category[]> | null = null;
/** The categories, fetched once per page load (`refresh` after an edit). */
export function categories(refresh = false): Promise<Category[]> {
  if (refresh) categoriesPromise = null;
  categoriesPromise ??= api
    .get('/api/v1/grid-event-categories')
    .then((rows) => rows as unknown as Category[])
    .catch((err: unknown) => {
      categoriesPromise = null;
      throw err;
    });
  return categoriesPromise;
}

/** Categories grouped as the pickers show them (市容环境, 安全隐患 …), in the catalogue's order. */
export function groupCategories(list: Category[]): { group: string; items: Category[] }[] {
  const groups = new Map<string, Category[]>();
  for (const c of list) {
    const arr = groups.get(c.group_zh) ?? [];
    arr.push(c);
    groups.set(c.group_zh, arr);
  }
  return [...groups.entries()].map(([group, items]) => ({ group, items }));
}

export async function dispatchRules(): Promise<RuleView[]> {
  return (await api.get('/api/v1/grid-dispatch-rules')) as unknown as RuleView[];
}

export async function saveDispatchRule(rule: DispatchRule, active: boolean, expectedVersion: number | null): Promise<RuleView> {
  return (await api.put('/api/v1/grid-dispatch-rules/{id}', {
    params: { id: rule.id },
    body: { rule, active, expected_version: expectedVersion } as never,
  })) as unknown as RuleView;
}

export async function saveCategory(code: string, body: Omit<Category, 'code'>): Promise<Category> {
  return (await api.put('/api/v1/grid-event-categories/{code}', { params: { code }, body: body as never })) as unknown as Category;
}

export interface Department {
  id: string;
  name: string;
  region_path: string;
  specialty: Schemas['Specialty'] | null;
}

let departmentsPromise: Promise<Department[]> | null = null;
/**
 * The departments serving my area (those above it too: a street dispatches to and summons the
 * district's departments), fetched once; their names also fill the shared organisation names.
 */
export function departments(): Promise<Department[]> {
  departmentsPromise ??= api
    .get('/api/v1/grid-departments')
    .then((rows) => {
      const list = rows as unknown as Department[];
      for (const d of list) orgNames.remember(d.id, d.name);
      return list;
    })
    .catch((err: unknown) => {
      departmentsPromise = null;
      throw err;
    });
  return departmentsPromise;
}

// ---- clocks ----

/** Running grid-event clocks in my area or with my department, worst first per event. */
export async function gridClocks(overdueOnly = false): Promise<{ byEvent: Map<string, ClockItem[]>; list: Schemas['SupervisionList'] }> {
  const list = await api.get('/api/v1/supervision', { query: { subject: 'grid_event', overdue_only: overdueOnly || undefined } });
  const byEvent = new Map<string, ClockItem[]>();
  for (const item of list.items) {
    if (item.subject !== 'grid_event') continue;
    const arr = byEvent.get(item.dispute_id) ?? [];
    arr.push(item);
    byEvent.set(item.dispute_id, arr);
  }
  for (const arr of byEvent.values()) arr.sort(compareClocks);
  return { byEvent, list };
}

// ---- summons ----

export async function listSummons(openOnly: boolean): Promise<SummonsView[]> {
  return (await api.get('/api/v1/summons', { query: { open_only: openOnly || undefined } })) as unknown as SummonsView[];
}

export async function raiseSummons(body: { title: string; description: string; department_ids: string[]; event_id: string | null }): Promise<SummonsView> {
  return (await api.post('/api/v1/summons', { body })) as unknown as SummonsView;
}

export async function answerSummons(id: string, answer: { action: 'report' } | { action: 'answer'; text: string }): Promise<SummonsView> {
  return (await api.post('/api/v1/summons/{id}/answers', { params: { id }, body: answer as unknown as Record<string, never> })) as unknown as SummonsView;
}

export async function closeSummons(id: string, note: string): Promise<SummonsView> {
  return (await api.post('/api/v1/summons/{id}/close', { params: { id }, body: { note } })) as unknown as SummonsView;
}

// ---- 12345 import ----

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends an xlsx export or a JSON `{"orders":[…]}` file as it is; the answer is per line. */
export async function importOrders(file: File): Promise<ImportReport> {
  const isXlsx = file.name.toLowerCase().endsWith('.xlsx') || file.type === XLSX;
  const res = await fetch('/api/v1/grid-events/import', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': isXlsx ? XLSX : 'application/json', Accept: 'application/json', ...authHeader() },
    body: file,
  });
  if (!res.ok) throw await readError(res);
  return (await res.json()) as ImportReport;
}

export const IMPORT_TEMPLATE_URL = '/api/v1/grid-events/import/template.xlsx';

/** Downloads a file the API serves behind the bearer token under `filename`. */
export async function download(url: string, filename: string): Promise<void> {
  const res = await fetch(url, { credentials: 'same-origin', headers: authHeader() });
  if (!res.ok) throw await readError(res);
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

// ---- helpers ----

function authHeader(): Record<string, string> {
  const token = currentToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** The last code of a region path: `/339900/339902/` → `339902`. */
export function lastCode(path: string): string {
  return path.split('/').filter(Boolean).pop() ?? '';
}

/** Whether a GeoJSON Polygon / MultiPolygon contains the point (ray casting on lng/lat). */
export function containsPoint(geometry: unknown, lng: number, lat: number): boolean {
  const g = geometry as { type?: string; coordinates?: unknown } | null;
  if (!g || !g.coordinates) return false;
  const inRing = (ring: number[][]): boolean => {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      const [xi = 0, yi = 0] = ring[i] ?? [];
      const [xj = 0, yj = 0] = ring[j] ?? [];
      if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
  const inPolygon = (rings: number[][][]): boolean => rings.length > 0 && inRing(rings[0] ?? []) && !rings.slice(1).some(inRing);
  if (g.type === 'Polygon') return inPolygon(g.coordinates as number[][][]);
  if (g.type === 'MultiPolygon') return (g.coordinates as number[][][][]).some(inPolygon);
  return false;
}

/** The middle of a polygon's outer ring (average of its corners), as [lat, lng]. */
export function centreOf(geometry: unknown): [number, number] | null {
  const g = geometry as { type?: string; coordinates?: unknown } | null;
  if (!g || !g.coordinates) return null;
  const ring = g.type === 'Polygon' ? (g.coordinates as number[][][])[0] : g.type === 'MultiPolygon' ? (g.coordinates as number[][][][])[0]?.[0] : undefined;
  if (!ring || ring.length === 0) return null;
  const pts = ring.length > 1 ? ring.slice(0, -1) : ring;
  const lng = pts.reduce((s, p) => s + (p[0] ?? 0), 0) / pts.length;
  const lat = pts.reduce((s, p) => s + (p[1] ?? 0), 0) / pts.length;
  return [lat, lng];
}

/** `11月23日 08:15` (with the year when it is not this year), China time, for dense lists. */
export function shortDateTime(micros: Micros, locale: string): string {
  const d = new Date(Math.floor(micros / 1000));
  const zone = 'Asia/Shanghai';
  const year = (x: Date) => new Intl.DateTimeFormat('en', { timeZone: zone, year: 'numeric' }).format(x);
  const opts: Intl.DateTimeFormatOptions = { timeZone: zone, month: locale === 'zh-CN' ? 'long' : 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (year(d) !== year(new Date())) opts.year = 'numeric';
  return new Intl.DateTimeFormat(locale, opts).format(d);
}

/** A fresh key per report form. */
export function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
