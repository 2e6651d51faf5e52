// Dates, times and money the Chinese way (2026年11月22日, ¥1,234.56), in the China time zone
// whatever the browser's own zone is; English gets its own conventions.

export type AppLocale = 'zh-CN' | 'en-US';
const CHINA_TIME_ZONE = 'Asia/Shanghai';

function toDate(value: string | number | Date): Date | null {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `2026年11月22日` (zh-CN) or `Nov 22, 2026` (en-US). */
export function formatDate(value: string | number | Date | null | undefined, locale: AppLocale = 'zh-CN'): string {
  if (value === null || value === undefined) return '—';
  const d = toDate(value);
  if (!d) return String(value);
  return new Intl.DateTimeFormat(locale, { timeZone: CHINA_TIME_ZONE, year: 'numeric', month: locale === 'zh-CN' ? 'long' : 'short', day: 'numeric' }).format(d);
}

/** `2026年11月22日 09:30:15` (zh-CN) or `Nov 22, 2026, 09:30:15` (en-US). */
export function formatDateTime(value: string | number | Date | null | undefined, locale: AppLocale = 'zh-CN'): string {
  if (value === null || value === undefined) return '—';
  const d = toDate(value);
  if (!d) return String(value);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: CHINA_TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(d);
  return locale === 'zh-CN' ? `${formatDate(d, locale)} ${time}` : `${formatDate(d, locale)}, ${time}`;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Money held as integer fen (分), never as a float: `123456` → `¥1,234.56`.
 * Accepts a bigint or a safe integer; anything else is shown as-is rather than rounded.
 */
export function formatFen(fen: number | bigint | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  if (typeof fen === 'number' && !Number.isSafeInteger(fen)) return String(fen);
  const value = BigInt(fen);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const yuan = abs / 100n;
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}¥${groupThousands(yuan.toString())}.${cents}`;
}

/** Whole numbers with thousands separators: `12,345`. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return Number.isSafeInteger(n) ? groupThousands(String(n)) : String(n);
}
