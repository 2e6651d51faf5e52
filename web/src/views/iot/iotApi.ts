// Calls of the IoT pages (物联感知). Plain fetch with the session's token and the API's error
// shape, like the upload helpers: the xlsx import sends a raw body the typed client cannot.
import { currentToken, readError } from '@/api/client';

export interface DeviceView {
  id: string;
  identifier: string;
  protocol: string;
  role: string;
  vehicle_id: string | null;
  plate: string | null;
  vehicle_kind: string | null;
  stolen: boolean | null;
  owner_name: string | null;
  owner_phone_masked: string | null;
  region_path: string;
  last_at: number | null;
  last_lat_e6: number | null;
  last_lon_e6: number | null;
  last_source: string | null;
}
export interface VehicleView {
  id: string;
  plate: string;
  kind: string;
  description: string;
  owner_id: string | null;
  owner_name: string | null;
  owner_phone_masked: string | null;
  region_path: string;
  stolen: boolean;
  stolen_at: number | null;
  stolen_note: string | null;
}
export interface ReaderView {
  id: string;
  code: string;
  name: string;
  lat_e6: number;
  lon_e6: number;
  radius_m: number;
  address: string;
  region_path: string;
}
export interface LivePosition {
  device_key: string;
  device_id: string | null;
  role: string | null;
  plate: string | null;
  vehicle_id: string | null;
  stolen: boolean | null;
  at: string;
  lat_e6: number;
  lon_e6: number;
  speed_kmh_x10: number | null;
  source: string;
  reader_code: string | null;
}
export interface TrackPoint {
  at: string;
  lat_e6: number;
  lon_e6: number;
  speed_kmh_x10: number | null;
  course: number | null;
  source: string;
  reader_code: string | null;
  checksum_ok: boolean;
}
export interface Trajectory {
  device: DeviceView;
  from: string;
  to: string;
  points: TrackPoint[];
}
export interface StolenView extends VehicleView {
  alert_id: string | null;
  hits: number;
  last_seen: { place?: string; at?: string; lat?: number; lon?: number; reader?: string | null; source?: string } | null;
}
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const token = currentToken();
  return { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...extra };
}

function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.append(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await readError(res);
  return (await res.json()) as T;
}

export const iot = {
  devices: (p: { q?: string; page?: number; per_page?: number; stolen_only?: boolean }) => call<Page<DeviceView>>('GET', `/api/v1/iot/devices${query(p)}`),
  device: (id: string) => call<DeviceView>('GET', `/api/v1/iot/devices/${encodeURIComponent(id)}`),
  vehicles: (p: { q?: string; page?: number; per_page?: number; stolen_only?: boolean }) => call<Page<VehicleView>>('GET', `/api/v1/iot/vehicles${query(p)}`),
  readers: (p: { q?: string; page?: number; per_page?: number }) => call<Page<ReaderView>>('GET', `/api/v1/iot/readers${query(p)}`),
  live: (minutes: number) => call<LivePosition[]>('GET', `/api/v1/iot/live${query({ minutes })}`),
  trajectory: (id: string, from: string, to: string) => call<Trajectory>('GET', `/api/v1/iot/devices/${encodeURIComponent(id)}/trajectory${query({ from, to })}`),
  stolen: () => call<StolenView[]>('GET', '/api/v1/iot/stolen'),
  setStolen: (id: string, stolen: boolean, note?: string) => call<VehicleView>('POST', `/api/v1/iot/vehicles/${encodeURIComponent(id)}/stolen`, { stolen, note: note || null }),
  async importXlsx(entity: 'devices' | 'readers', file: File): Promise<{ imported: number }> {
    const res = await fetch(`/api/v1/iot/import/${entity}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: headers({ 'Content-Type': file.type || 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
      body: file,
    });
    if (!res.ok) throw await readError(res);
    return (await res.json()) as { imported: number };
  },
};

/** Micro-degrees to [lat, lon] degrees for Leaflet. */
export function latLng(lat_e6: number, lon_e6: number): [number, number] {
  return [lat_e6 / 1e6, lon_e6 / 1e6];
}
