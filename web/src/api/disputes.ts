// The dispute API as the console uses it: shapes of the answers the OpenAPI document leaves as
// plain objects (case rows, details, intake results), the stage machine's commands and which of
// them a screen offers, clocks by case, and document/attachment URLs (the session cookie
// authenticates plain links, so downloads need no script).
import { api, currentToken, readError, type Schemas } from './client';

export type Stage = Schemas['Stage'];
export type Channel = Schemas['Channel'];
export type PartyRole = Schemas['PartyRole'];
export type PartyKind = Schemas['PartyKind'];
export type Command = Schemas['Command'];
export type CommandName = Command['command'];
export type ClockItem = Schemas['ClockItem'];
export type PublicCase = Schemas['PublicCase'];
export type PartyInput = Schemas['PartyInput'];

/** Micro-seconds since the epoch, as the case tables store instants. */
export type Micros = number;

export function microsToDate(micros: Micros | null | undefined): Date | null {
  return micros === null || micros === undefined ? null : new Date(Math.floor(micros / 1000));
}

export interface DisputeRow {
  id: string;
  code: string;
  title: string;
  dispute_type: string;
  facts: string;
  claims: string;
  amount_fen: number;
  region_code: string;
  region_path: string;
  address: string;
  channel: Channel;
  /** `,mass,complex,` — see `flagList`. */
  flags: string;
  stage: Stage;
  stage_before_merge: Stage | null;
  merged_into: string | null;
  group_key: string | null;
  respondent_key: string | null;
  routing_json: string | null;
  created_by: string | null;
  created_at: Micros;
  updated_at: Micros;
  closed_at: Micros | null;
}

export interface PartyRow {
  id: string;
  seq: number;
  role: PartyRole;
  kind: PartyKind;
  name: string;
  id_number_masked: string | null;
  credit_code: string | null;
  phone_masked: string | null;
  address: string;
  legal_representative: string | null;
}

export interface AssignmentRow {
  org_id: string;
  /** `handler` (works the case) or `court` (invited for guidance). */
  kind: string;
  assigned_at: Micros;
  org_name: string;
}

export interface EventRow {
  id: string;
  at: Micros;
  actor_user_id: string | null;
  actor_kind: string;
  command: string;
  from_stage: Stage | null;
  to_stage: Stage;
  detail_json: string;
  public_note: string;
}

export interface ClockRow {
  id: string;
  clock_id: string;
  event: string;
  started_at: Micros;
  paused_since: Micros | null;
  stopped_at: Micros | null;
}

export interface DisputeDetail {
  dispute: DisputeRow;
  parties: PartyRow[];
  assignments: AssignmentRow[];
  events: EventRow[];
  clocks: ClockRow[];
}

export interface DisputePage {
  items: DisputeRow[];
  total: number;
  page: number;
  per_page: number;
}

export interface DisputeType {
  code: string;
  name_zh: string;
  specialty: string | null;
  legal_clock: string | null;
  active: boolean;
}

export interface RoutedTarget {
  org_id: string;
  org_name: string;
  reason_zh: string;
}

export interface RuleTrace {
  rule_id: string;
  rule_version: number;
  matched: boolean;
  failed_condition: string | null;
  unresolved_target: string | null;
}

export interface RoutingDecision {
  rule_id: string;
  rule_version: number;
  rule_name_zh: string;
  targets: RoutedTarget[];
  explanation_zh: string;
  considered: RuleTrace[];
}

export interface RoutingSuggestion {
  org_ids: string[];
  explanation_zh: string;
  decision: RoutingDecision | null;
  escalated: boolean;
}

export interface DuplicateHint {
  id: string;
  code: string;
  stage: Stage;
  region_code: string;
}

export interface IntakeResult {
  dispute: DisputeRow;
  /** The 6-digit secret printed for the party; shown once, never again. */
  access_secret: string;
  duplicates: DuplicateHint[];
  replayed: boolean;
  alert: { id: string; title: string; case_count: number; claimant_count: number; total_fen: number } | null;
  routing: RoutingSuggestion;
}

export interface AttachmentMeta {
  id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_by: string;
  uploaded_at: Micros;
}

export interface SubmissionView {
  id: string;
  at: string;
  side: string;
  text: string;
  attachment_ids: string[];
}

export const STAGES: Stage[] = [
  'registered', 'triaged', 'accepted', 'mediating', 'paused', 'agreement', 'confirmation_requested', 'confirmed',
  'confirmation_rejected', 'performing', 'closed', 'evaluated', 'arbitration', 'litigation', 'petition', 'withdrawn',
  'rejected', 'merged',
];
export const CHANNELS: Channel[] = ['window', 'online', 'grid_worker', 'hotline12345', 'court_diversion', 'open311', 'bulk_import'];
export const PARTY_ROLES: PartyRole[] = ['applicant', 'respondent', 'third_party'];
/** Risk flags intake may set; routing rules look at them. */
export const FLAGS = ['mass', 'complex', 'violence_risk', 'vulnerable_party'] as const;

const CLOSED_STAGES: Stage[] = ['closed', 'evaluated', 'withdrawn', 'rejected', 'merged'];
export function isOpen(stage: Stage): boolean {
  return !CLOSED_STAGES.includes(stage);
}

/** Element Plus tag colour of a stage: blue while waiting, orange in work, green done, grey ended. */
export function stageTagType(stage: Stage): 'primary' | 'success' | 'warning' | 'info' | 'danger' {
  if (['registered', 'triaged'].includes(stage)) return 'primary';
  if (['accepted', 'mediating', 'paused', 'agreement', 'confirmation_requested', 'confirmed', 'performing'].includes(stage)) return 'warning';
  if (['closed', 'evaluated'].includes(stage)) return 'success';
  if (['confirmation_rejected', 'rejected'].includes(stage)) return 'danger';
  return 'info';
}

export function flagList(flags: string): string[] {
  return flags.split(',').filter((f) => f !== '');
}

export async function listDisputes(query: {
  stage?: Stage;
  dispute_type?: string;
  mine?: boolean;
  open_only?: boolean;
  q?: string;
  page?: number;
  per_page?: number;
}): Promise<DisputePage> {
  return (await api.get('/api/v1/disputes', { query })) as unknown as DisputePage;
}

export async function getDispute(id: string): Promise<DisputeDetail> {
  return (await api.get('/api/v1/disputes/{id}', { params: { id } })) as unknown as DisputeDetail;
}

let typesPromise: Promise<DisputeType[]> | null = null;
/** The taxonomy, fetched once per page load. */
export function disputeTypes(): Promise<DisputeType[]> {
  typesPromise ??= api
    .get('/api/v1/dispute-types')
    .then((rows) => rows as unknown as DisputeType[])
    .catch((err: unknown) => {
      typesPromise = null;
      throw err;
    });
  return typesPromise;
}

export async function createDispute(body: Schemas['CreateDisputeRequest'], idempotencyKey: string): Promise<IntakeResult> {
  // The typed client has no header option; intake is the one call that needs one (retry safety).
  const res = await fetch('/api/v1/disputes', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': idempotencyKey, ...authHeader() },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as IntakeResult;
}

export async function runCommand(id: string, command: Command, note = '', details: Record<string, unknown> = {}): Promise<DisputeRow> {
  return (await api.post('/api/v1/disputes/{id}/commands', { params: { id }, body: { command, note, details: details as Record<string, never> } })) as unknown as DisputeRow;
}

export async function routingFor(id: string): Promise<RoutingSuggestion> {
  return (await api.get('/api/v1/disputes/{id}/routing', { params: { id } })) as unknown as RoutingSuggestion;
}

/** Running clocks of every open case in scope, keyed by case, worst first. */
export async function clocksByCase(query: { overdue_only?: boolean; dispute_id?: string } = {}): Promise<{ byCase: Map<string, ClockItem[]>; list: Schemas['SupervisionList'] }> {
  // Cases only: grid-event clocks have their own supervision page (views/grid).
  const list = await api.get('/api/v1/supervision', { query: { ...query, subject: 'dispute' } });
  const byCase = new Map<string, ClockItem[]>();
  for (const item of list.items) {
    const arr = byCase.get(item.dispute_id) ?? [];
    arr.push(item);
    byCase.set(item.dispute_id, arr);
  }
  for (const arr of byCase.values()) arr.sort(compareClocks);
  return { byCase, list };
}

const STATUS_RANK: Record<string, number> = { red: 0, yellow: 1, green: 2 };
/** Red before yellow before green; legal limits before internal targets; sooner first. */
export function compareClocks(a: ClockItem, b: ClockItem): number {
  return (STATUS_RANK[a.status] ?? 3) - (STATUS_RANK[b.status] ?? 3)
    || Number(b.is_law) - Number(a.is_law)
    || a.due.localeCompare(b.due);
}

export const DOCUMENTS = ['acceptance_notice', 'mediation_agreement', 'confirmation_application', 'filing_package'] as const;
export type DocumentKey = (typeof DOCUMENTS)[number];

export function documentUrl(id: string, key: DocumentKey, format: 'docx' | 'pdf'): string {
  return `/api/v1/disputes/${encodeURIComponent(id)}/documents/${key}/${format}`;
}

export function attachmentUrl(id: string, attachmentId: string): string {
  return `/api/v1/disputes/${encodeURIComponent(id)}/attachments/${encodeURIComponent(attachmentId)}`;
}

export function qrUrl(id: string): string {
  return `/api/v1/disputes/${encodeURIComponent(id)}/qr.svg`;
}

/** Uploads a file as the raw body (the API takes `Content-Type` and a percent-encoded `X-Filename`). */
export async function uploadFile(url: string, file: File, extraHeaders: Record<string, string> = {}): Promise<AttachmentMeta> {
  const res = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': file.type || 'application/octet-stream', 'X-Filename': encodeURIComponent(file.name), Accept: 'application/json', ...authHeader(), ...extraHeaders },
    body: file,
  });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as AttachmentMeta;
}

// ---- raw fetch helpers sharing the typed client's token and error shape ----
function authHeader(): Record<string, string> {
  const token = currentToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

const errorOf = readError;

/** A fresh key per intake form, so a double click or a retry registers one case. */
export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** `2611483105729` → `2611-4831-0572-9`, the way codes are read aloud and printed. */
export function groupCode(code: string): string {
  const digits = code.replace(/[^0-9]/g, '');
  return digits.length === 13 ? (digits.match(/.{1,4}/g) ?? [digits]).join('-') : code;
}
