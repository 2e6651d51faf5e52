// The citizen page at /m/ on a phone-sized screen: the tracking form, honest about not being open yet.
import { expect, test } from '@playwright/test';
import { screenshot, watchConsole } from './helpers';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test('citizen page shows the tracking form and says the service is coming', async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto('/m/');
  await expect(page.getByRole('heading', { name: '查询案件进度' })).toBeVisible();
  await expect(page.getByTestId('coming-soon')).toContainText('功能即将开放');
  await page.getByTestId('track-submit').click();
  await expect(page.locator('.el-form-item__error', { hasText: '请填写解纷码' })).toBeVisible();
  await page.getByTestId('tracking-code').fill('JF3399020001');
  await page.getByTestId('phone-last4').fill('12a');
  await page.getByTestId('track-submit').click();
  await expect(page.locator('.el-form-item__error', { hasText: '请输入 4 位数字' })).toBeVisible();
  await page.getByTestId('phone-last4').fill('1234');
  await page.getByTestId('track-submit').click();
  await expect(page.getByTestId('track-result')).toContainText('没有发送或保存');
  // Nothing pretends to be a case.
  await expect(page.locator('body')).not.toContainText('办理中');
  await screenshot(page, 'citizen');
  expect(problems).toEqual([]);
});

test('/m without the slash lands on the citizen page', async ({ page }) => {
  await page.goto('/m');
  await expect(page).toHaveURL(/\/m\/$/);
  await expect(page.getByRole('heading', { name: '查询案件进度' })).toBeVisible();
});
