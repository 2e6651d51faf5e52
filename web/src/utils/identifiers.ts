// Client-side checks of Chinese identifiers, mirroring fengqiao-domain's parsers so a form can
// say what is wrong while the user types; the server checks again and has the last word.

/** Result of a check: `null` when valid, otherwise an i18n key and its parameters. */
export interface IdentifierProblem {
  key: string;
  params?: Record<string, string | number>;
}

/** Full-width digits, letters and the ideographic space fold to ASCII (as the server does). */
export function foldFullWidth(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    if (code === 0x3000) out += ' ';
    else if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else out += c;
  }
  return out;
}

/** Mainland mobile: 11 digits starting 13–19, optionally written +86 / 0086 / 86 and with spaces or dashes. */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/** The 11 national digits of a mobile number, or a problem. */
export function checkMobile(input: string): IdentifierProblem | null {
  let compact = '';
  for (const c of foldFullWidth(input.trim())) {
    if (c >= '0' && c <= '9') compact += c;
    else if (c === '+' && compact === '') compact += c;
    else if (c === ' ' || c === '\t' || c === '-') continue;
    else return { key: 'validation.phone.nonDigit', params: { found: c } };
  }
  if (compact === '') return { key: 'validation.phone.empty' };
  let national = compact;
  if (compact.startsWith('+')) {
    if (!compact.startsWith('+86')) return { key: 'validation.phone.notMainland' };
    national = compact.slice(3);
  } else if (compact.length === 15 && compact.startsWith('0086')) {
    national = compact.slice(4);
  } else if (compact.length === 13 && compact.startsWith('86')) {
    national = compact.slice(2);
  }
  if (national.length !== 11) return { key: 'validation.phone.length', params: { found: national.length } };
  if (!MAINLAND_MOBILE.test(national)) return { key: 'validation.phone.prefix', params: { prefix: national.slice(0, 2) } };
  return null;
}

/** GB 11643 weights for the first 17 digits (2^(18-i) mod 11). */
const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_ID_CHECK = '10X98765432';

/** The GB 11643 check character for 17 digits. */
export function residentIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (RESIDENT_ID_WEIGHTS[i] ?? 0);
  return RESIDENT_ID_CHECK[sum % 11] ?? '?';
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * Checks an 18-character resident ID (居民身份证号码, GB 11643): digits, a real birth date from
 * 1900 on and not after `today`, and the mod-11 check character.
 */
export function checkResidentId(input: string, today: Date = new Date()): IdentifierProblem | null {
  const chars = [...foldFullWidth(input.trim())];
  if (chars.length !== 18) return { key: 'validation.idNumber.length', params: { found: chars.length } };
  for (let i = 0; i < 17; i += 1) {
    const c = chars[i] ?? '';
    if (!(c >= '0' && c <= '9')) return { key: 'validation.idNumber.nonDigit', params: { position: i + 1, found: c } };
  }
  const last = (chars[17] ?? '').toUpperCase();
  if (!(last === 'X' || (last >= '0' && last <= '9'))) return { key: 'validation.idNumber.checkForm', params: { found: last } };
  const digits = chars.slice(0, 17).join('');
  const year = Number(digits.slice(6, 10));
  const month = Number(digits.slice(10, 12));
  const day = Number(digits.slice(12, 14));
  if (!isRealDate(year, month, day)) return { key: 'validation.idNumber.birthDate' };
  if (year < 1900) return { key: 'validation.idNumber.before1900' };
  const birth = Date.UTC(year, month - 1, day);
  const todayUtc = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  if (birth > todayUtc) return { key: 'validation.idNumber.future' };
  const expected = residentIdCheckCharacter(digits);
  if (expected !== last) return { key: 'validation.idNumber.checkMismatch', params: { expected, found: last } };
  return null;
}
