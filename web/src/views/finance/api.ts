// 金融智审 API helpers: JSON calls, raw uploads and file downloads through the console's session,
// with the server's error envelope. Types mirror the OpenAPI schemas of the finance routes.
import { currentToken, readError } from '@/api/client';

export interface Figure { label: string; value: string }
export interface CalcAnswer { calculator: string; title: string; figures: Figure[]; explanation: string; result: unknown }
export interface RowError { row: number; column: string; header: string; reason: string }
export interface CaseFigures {
  principal_fen: number; interest_fen: number; penalty_fen: number; compound_fen: number;
  costs_fen: number; total_fen: number; fee_full_fen: number; fee_fen: number;
}
export interface Step { case_id: string; step: 'filing' | 'hearing' | 'enforcement'; on_date: string; note: string; recorded_by: string | null; recorded_at: string }
export interface CaseSummary {
  id: string; seq: number; row: number; contract_no: string; borrower_name: string;
  figures: CaseFigures; status: 'pending' | 'accepted' | 'adjusted' | 'contested'; reason: string | null; steps: Step[];
}
export interface Batch {
  id: string; name: string; filename: string; court_name: string; created_at: string;
  total_rows: number; case_count: number; error_count: number;
  pending: number; accepted: number; adjusted: number; contested: number;
}
export interface BatchDetail { batch: Batch; errors: RowError[]; cases: CaseSummary[] }
export interface Wording {
  claims: string[]; facts: string; judgment_items: string[]; late_performance: string; judgment_costs: string;
  mediation_items: string[]; mediation_costs: string; explanation: string[];
}
export interface Adjustment {
  borrower_raises_cap?: boolean | null; claim_compound?: boolean | null; compute_to?: string | null;
  penalty_rate_percent?: string | null; lawyer_fee?: string | null;
}
export interface CaseDetail {
  summary: CaseSummary;
  case: {
    contract_no: string; reference: string | null; simple_procedure: boolean;
    lender: { name: string; credit_code: string; representative: string; address: string };
    borrower: { name: string; id_masked: string; sex: string; birth_date: string; address: string; phone_masked: string | null };
    loan: { principal: string; start: string; maturity: string; annual_rate_percent: string; penalty_rate_percent: string | null; schedule: string; compute_to: string };
  };
  adjustment: Adjustment | null; wording: Wording; judgment_text: string; decided_by: string | null; decided_at: string | null;
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const token = currentToken();
  return { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...extra };
}

/** A JSON request; failures throw the client's ApiError. */
export async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await readError(res);
  return (await res.json()) as T;
}

/** Uploads a bank's file as the raw body. */
export async function uploadBatch(file: File, name: string): Promise<{ batch: Batch; errors: RowError[] }> {
  const query = name.trim() ? `?name=${encodeURIComponent(name.trim())}` : '';
  const res = await fetch(`/api/v1/finance/batches${query}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: headers({ 'Content-Type': file.type || 'application/octet-stream', 'X-Filename': encodeURIComponent(file.name) }),
    body: file,
  });
  if (!res.ok) throw await readError(res);
  return (await res.json()) as { batch: Batch; errors: RowError[] };
}

/** Fetches a file (GET, or POST with a JSON body) and hands it to the browser as a download. */
export async function download(url: string, filename: string, body?: unknown): Promise<void> {
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    credentials: 'same-origin',
    headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await readError(res);
  const blob = await res.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

export function batchUrl(id: string): string {
  return `/api/v1/finance/batches/${encodeURIComponent(id)}`;
}
