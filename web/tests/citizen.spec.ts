// The citizen page at /m/ on a phone-sized screen: the tracking form checks what is typed before
// asking the server, refuses a wrong code politely; a citizen files a dispute online and follows it.
// (The whole party journey — query, timeline, evaluation — is in disputes.spec.ts.)
import { expect, test } from '@playwright/test';
import { screenshot, watchConsole } from './helpers';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test('citizen page checks the tracking form and refuses an unknown code', async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto('/m/');
  await expect(page.getByRole('heading', { name: '查询案件进度' })).toBeVisible();
  await page.getByTestId('track-submit').click();
  await expect(page.locator('.el-form-item__error', { hasText: '请填写解纷码' })).toBeVisible();
  await page.getByTestId('tracking-code').fill('1234-5678');
  await page.getByTestId('track-factor').fill('12a');
  await page.getByTestId('track-submit').click();
  await expect(page.locator('.el-form-item__error', { hasText: '解纷码为 13 位' })).toBeVisible();
  await expect(page.locator('.el-form-item__error', { hasText: '请输入 6 位查询密码或 4 位手机尾号' })).toBeVisible();
  // Thirteen digits that are no case: the server's answer never tells whether the code exists.
  await page.getByTestId('tracking-code').fill('1234-5678-9012-3');
  await page.getByTestId('track-factor').fill('1234');
  await page.getByTestId('track-submit').click();
  await expect(page.locator('.el-form-item__error, [data-testid=track-error]').filter({ hasText: /\S/ }).first()).toBeVisible();
  await expect(page.locator('body')).not.toContainText('办理中');
  await screenshot(page, 'citizen-track');
  expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
});

test('/m without the slash lands on the citizen page', async ({ page }) => {
  await page.goto('/m');
  await expect(page).toHaveURL(/\/m\/$/);
  await expect(page.getByRole('heading', { name: '查询案件进度' })).toBeVisible();
});

test('a citizen files a dispute online and follows it with the code', async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto('/m/');
  await page.getByTestId('tab-file').click();
  await expect(page.getByTestId('file-panel')).toBeVisible();
  // Empty form: the server names each missing field at the field.
  await page.getByTestId('file-submit').click();
  await expect(page.locator('.el-form-item__error').first()).toBeVisible();
  await page.getByTestId('file-name').fill('林秀英');
  await page.getByTestId('file-phone').fill('13905716688');
  await page.getByTestId('file-respondent').fill('楼上住户');
  await page.getByTestId('file-place').click();
  await page.locator('.el-select-dropdown__item:visible').first().click();
  await page.getByTestId('file-type').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '邻里' }).first().click();
  await page.getByTestId('file-title').fill('楼上装修噪音扰民');
  await page.getByTestId('file-facts').fill('楼上住户装修每天早上七点开始施工，多次沟通无果。');
  await page.getByTestId('file-claims').fill('按规定时间施工。');
  await screenshot(page, 'citizen-file');
  await page.getByTestId('file-submit').click();
  await expect(page.getByTestId('filed-code')).toHaveText(/\d{4}-\d{4}-\d{4}-\d/);
  await expect(page.getByTestId('filed-secret')).toHaveText(/^\d{6}$/);
  await screenshot(page, 'citizen-filed');
  await page.getByText('查看办理进度').click();
  await expect(page.getByTestId('case-view')).toContainText('楼上装修噪音扰民');
  expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
});
