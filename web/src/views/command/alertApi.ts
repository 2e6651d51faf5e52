// The alerts API as the command-centre screens use it: the inbox list and one alert's detail
// (typed from the OpenAPI document), the loop's steps, and the live feed — an EventSource on
// /api/v1/alerts/stream, authenticated by the session cookie, which reconnects by itself.
import { api, type Schemas } from '@/api/client';

export type AlertItem = Schemas['AlertItem'];
export type AlertDetail = Schemas['AlertDetail'];

export interface AlertStep {
  id: string;
  seq: number;
  action: string;
  from_status: string;
  to_status: string;
  actor_id: string;
  actor_name: string;
  note: string;
  at: number;
}

export type AlertStatus = 'issued' | 'signed' | 'handled' | 'fed_back' | 'closed';
export type AlertLevel = 'red' | 'orange' | 'yellow' | 'blue';
export type AlertAction =
  | 'sign' | 'handle' | 'feedback' | 'close' | 'send_back' | 'dismiss' | 'reopen' | 'assign' | 'spawn_grid_event';

export const STATUSES: AlertStatus[] = ['issued', 'signed', 'handled', 'fed_back', 'closed'];
export const LEVELS: AlertLevel[] = ['red', 'orange', 'yellow', 'blue'];
/** Buttons in this order; the server says which apply to the caller. */
export const ACTIONS: AlertAction[] = ['sign', 'handle', 'feedback', 'close', 'send_back', 'spawn_grid_event', 'assign', 'dismiss', 'reopen'];
/** Which field each action's dialog asks for (none: the step is taken at once). */
export const ACTION_TEXT: Record<AlertAction, 'note' | 'reason' | null> = {
  sign: null,
  handle: 'note',
  feedback: 'note',
  close: null,
  send_back: 'reason',
  dismiss: 'reason',
  reopen: 'reason',
  assign: 'reason',
  spawn_grid_event: 'note',
};

export interface AlertFilters {
  status?: AlertStatus | '';
  level?: AlertLevel | '';
  open?: boolean;
}

export interface AlertPage {
  items: AlertItem[];
  total: number;
}

export async function listAlerts(filters: AlertFilters, page = 1, perPage = 50): Promise<AlertPage> {
  // The page envelope is documented as a plain object; its items are AlertItems.
  const answer: unknown = await api.get('/api/v1/alerts', {
    query: { status: filters.status || undefined, level: filters.level || undefined, open: filters.open || undefined, page, per_page: perPage },
  });
  return answer as AlertPage;
}

export async function getAlert(id: string): Promise<AlertDetail> {
  return api.get('/api/v1/alerts/{id}', { params: { id } });
}

export async function alertStep(id: string, body: Record<string, unknown>): Promise<AlertItem> {
  // The step body is documented as a plain object (its shape depends on `action`).
  return api.post('/api/v1/alerts/{id}/commands', { params: { id }, body: body as Record<string, never> });
}

/** Does an alert pass the inbox's filters (for live items arriving from the feed)? */
export function matches(item: AlertItem, filters: AlertFilters): boolean {
  if (filters.status && item.status !== filters.status) return false;
  if (filters.level && item.level !== filters.level) return false;
  if (filters.open && item.status === 'closed') return false;
  return true;
}

export interface FeedHandlers {
  onAlert: (item: AlertItem) => void;
  onResync: () => void;
  onState: (connected: boolean) => void;
}

/** Opens the live feed; returns the function that closes it. */
export function openFeed(handlers: FeedHandlers): () => void {
  const source = new EventSource('/api/v1/alerts/stream', { withCredentials: true });
  source.addEventListener('ready', () => handlers.onState(true));
  source.addEventListener('alert', (e) => {
    try {
      handlers.onAlert(JSON.parse((e as MessageEvent<string>).data) as AlertItem);
    } catch {
      handlers.onResync();
    }
  });
  source.addEventListener('resync', () => handlers.onResync());
  source.onerror = () => handlers.onState(false);
  return () => source.close();
}

/** Element Plus tag colour of a level. */
export function levelTagType(level: string): 'danger' | 'warning' | 'primary' | 'info' {
  if (level === 'red') return 'danger';
  if (level === 'orange') return 'warning';
  if (level === 'yellow') return 'primary';
  return 'info';
}

/** A short two-tone chime for a red alert, made with WebAudio (no sound file shipped). */
export function chime(): void {
  try {
    const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    const notes = [880, 660, 880];
    notes.forEach((freq, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, ctx.currentTime + i * 0.22);
      gain.gain.exponentialRampToValueAtTime(0.25, ctx.currentTime + i * 0.22 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + i * 0.22 + 0.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + i * 0.22);
      osc.stop(ctx.currentTime + i * 0.22 + 0.21);
    });
    setTimeout(() => void ctx.close(), 1000);
  } catch {
    // Audio may be blocked until the user interacts with the page; the visual cue remains.
  }
}
