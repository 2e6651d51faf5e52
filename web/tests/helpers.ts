// Shared steps of the browser tests: logging in, and screenshots under <repo>/target/screenshots/.
import { expect, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const DEMO_PASSWORD = 'Fengqiao#2026';
export const SCREENSHOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../target/screenshots');

export async function login(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByTestId('user-bar')).toBeVisible();
}

/** Waits for loading masks to go, then saves `<name>.png` at the page's current viewport. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await expect(page.locator('.el-loading-mask:visible')).toHaveCount(0, { timeout: 20_000 });
  // Nothing focused or hovered: a focused button is drawn pale and would look disabled.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400); // let charts finish their entry animation
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}

/** Collects console errors and failed same-origin requests so a test can assert there were none. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return problems;
}
