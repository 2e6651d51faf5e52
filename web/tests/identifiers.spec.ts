// The console's identifier checks and money/date formatting, run in Node by the same runner.
import { expect, test } from '@playwright/test';
import { checkMobile, checkResidentId, residentIdCheckCharacter } from '../src/utils/identifiers';
import { formatDate, formatFen } from '../src/utils/format';

test('GB 11643 check character matches the standard\'s worked example', () => {
  expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
  expect(checkResidentId('11010519491231002X')).toBeNull();
  expect(checkResidentId('11010519491231002x')).toBeNull();
  expect(checkResidentId('110105194912310021')).toEqual({ key: 'validation.idNumber.checkMismatch', params: { expected: 'X', found: '1' } });
  expect(checkResidentId('11010519491331002X')?.key).toBe('validation.idNumber.birthDate');
  expect(checkResidentId('1101051949123100')?.key).toBe('validation.idNumber.length');
  expect(checkResidentId('110105205012310025', new Date(2026, 10, 22))?.key).toBe('validation.idNumber.future');
  expect(checkResidentId('１１０１０５１９４９１２３１００２Ｘ')).toBeNull();
});

test('mainland mobile numbers accept the usual ways of writing them', () => {
  for (const ok of ['13812345678', '+86 138-1234-5678', '008613812345678', '8613812345678', '19912345678']) expect(checkMobile(ok)).toBeNull();
  expect(checkMobile('12812345678')?.key).toBe('validation.phone.prefix');
  expect(checkMobile('1381234567')?.key).toBe('validation.phone.length');
  expect(checkMobile('+85291234567')?.key).toBe('validation.phone.notMainland');
  expect(checkMobile('138x2345678')?.key).toBe('validation.phone.nonDigit');
});

test('money and dates are written the Chinese way', () => {
  expect(formatFen(123456)).toBe('¥1,234.56');
  expect(formatFen(5)).toBe('¥0.05');
  expect(formatFen(-100000000n)).toBe('-¥1,000,000.00');
  expect(formatDate('2026-11-22T01:30:15.123456Z')).toBe('2026年11月22日');
  // 20:00 UTC is already the next day in China.
  expect(formatDate('2026-11-22T20:00:00Z')).toBe('2026年11月23日');
  expect(formatDate('2026-11-22T01:30:15Z', 'en-US')).toBe('Nov 22, 2026');
});
