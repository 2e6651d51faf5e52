// 物联感知 in a real browser against a fresh demo server: the registry with masked owners and the
// xlsx import's row errors, the live map with the demo's stolen motorcycle, trajectory playback,
// and the stolen-vehicle board with its red alert in the inbox API.
import { expect, test } from '@playwright/test';
import { login, screenshot, watchConsole } from './helpers';

/** Console errors other than the expected 401 of the session check on the login page. */
function unexpected(problems: string[]): string[] {
  return problems.filter((p) => !/status of 401/.test(p));
}

test('registry lists demo devices with masked owners and names bad import rows', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, 'admin');
  await page.goto('/iot/registry');
  const table = page.getByTestId('iot-devices');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('iot-total')).toContainText(/共 \d+ 条/);
  // Owners' phones are masked: 3 digits, 4 stars, 4 digits.
  await expect(table).toContainText(/139\*{4}\d{4}/);
  await page.getByTestId('iot-search').fill('TAG00007');
  await page.getByTestId('iot-search').press('Enter');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table).toContainText('被盗');
  await screenshot(page, 'iot-registry');

  await page.getByRole('tab', { name: '读卡基站' }).click();
  await page.getByTestId('iot-search').fill('');
  await page.getByTestId('iot-search').press('Enter');
  await expect(page.getByTestId('iot-readers').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('iot-readers')).toContainText('基站');

  // A file that is not a workbook is refused with a message, nothing imported.
  await page.getByTestId('iot-import-file').setInputFiles({ name: 'readers.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from('not a workbook') });
  await expect(page.locator('.el-message--error')).toContainText('xlsx');
  expect(unexpected(problems).filter((p) => !/status of 422/.test(p))).toEqual([]);
});

test('live map shows recent sightings with the stolen motorcycle in red', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, 'admin');
  // The demo feed reports every second; give the stolen tag its first pass of a reader.
  await page.waitForTimeout(2500);
  await page.goto('/iot/live');
  await expect(page.getByTestId('iot-live-map')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('iot-live-count')).toContainText(/出现 [1-9]\d* 个设备/);
  await expect(page.getByTestId('iot-live-stolen')).toContainText('1 辆被盗车辆出现', { timeout: 15_000 });
  await expect(page.locator('.fq-stolen-label')).toContainText('临A·D0007');
  await screenshot(page, 'iot-live-map');
  expect(unexpected(problems)).toEqual([]);
});

test('trajectory playback draws a tracker track and plays it', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, 'admin');
  await page.waitForTimeout(4000);
  await page.goto('/iot/trajectory');
  const map = page.getByTestId('iot-track-map');
  await expect(map).not.toHaveAttribute('data-points', '0', { timeout: 15_000 });
  await expect(page.getByTestId('iot-track-summary')).toContainText('个轨迹点');
  await page.getByTestId('iot-track-play').click();
  await expect(page.getByTestId('iot-track-play')).toHaveText('暂停');
  await page.waitForTimeout(700);
  await screenshot(page, 'iot-trajectory');
  expect(unexpected(problems)).toEqual([]);
});

test('stolen board shows the watchlisted vehicle, its sightings and the red alert', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, 'district_commander');
  await page.goto('/iot/stolen');
  const board = page.getByTestId('iot-stolen-board');
  await expect(board).toContainText('临A·D0007');
  await expect(board).toContainText(/出现 \d+ 次/, { timeout: 30_000 });
  await screenshot(page, 'iot-stolen-board');
  // The alert is in the inbox API with place and time.
  const alerts = await page.evaluate(async () => {
    const res = await fetch('/api/v1/alerts', { credentials: 'same-origin' });
    return (await res.json()) as { items: { kind: string; level: string; title: string }[] };
  });
  const stolen = alerts.items.find((a) => a.kind === 'iot_stolen_vehicle');
  expect(stolen?.level).toBe('red');
  expect(stolen?.title).toContain('临A·D0007');
  expect(unexpected(problems)).toEqual([]);
});
