// The staff console in a real browser against a fresh demo server: login, overview figures and
// map, each admin screen, server field errors, jurisdiction scoping, lockout, logout.
import { expect, test, type Page } from '@playwright/test';
import { login, screenshot, watchConsole } from './helpers';

/** The number shown on an overview card. */
async function stat(page: Page, key: string): Promise<number> {
  const text = await page.getByTestId(`stat-${key}`).locator('.fq-stat-value').innerText();
  return Number(text.replace(/,/g, ''));
}

/** Console errors other than the expected 401 of the session check on a logged-out page. */
function unexpected(problems: string[]): string[] {
  return problems.filter((p) => !/status of 401/.test(p));
}

test('login page renders in Chinese', async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: '用户登录' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await screenshot(page, 'login');
  expect(unexpected(problems)).toEqual([]);
});

test('admin sees the overview figures and the grid map', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, 'admin');
  await expect(page.getByTestId('user-bar')).toContainText('临江市社会治理中心');
  await expect(page.getByTestId('user-bar')).toContainText('管理员');
  await expect(page.getByTestId('stat-regions').locator('.fq-stat-value')).toBeVisible();
  expect(await stat(page, 'regions')).toBeGreaterThan(300);
  expect(await stat(page, 'grids')).toBeGreaterThan(200);
  expect(await stat(page, 'orgs')).toBeGreaterThan(100);
  expect(await stat(page, 'users')).toBeGreaterThan(100);
  // The date under the greeting is written the Chinese way.
  await expect(page.locator('.fq-sub')).toContainText(/\d{4}年\d{1,2}月\d{1,2}日/);

  const map = page.getByTestId('region-map');
  await expect(map).toHaveAttribute('data-ready', 'true');
  const grids = map.locator('path.leaflet-interactive');
  await expect(grids.first()).toBeVisible();
  expect(await grids.count()).toBeGreaterThan(200);
  await expect(map.locator('.fq-map-label', { hasText: '江城区' })).toBeVisible();
  // No tile server by default: nothing but our own polygons is drawn.
  await expect(map.locator('img.leaflet-tile')).toHaveCount(0);

  await expect(page.locator('.el-loading-mask')).toHaveCount(0);
  await grids.nth(40).click({ force: true });
  const popup = page.locator('.leaflet-popup .fq-popup');
  await expect(popup).toBeVisible();
  await expect(popup).toContainText(/编码\s*\d{15}/);
  await expect(popup).toContainText('人口');
  await expect(page.getByTestId('grid-info')).toContainText(/\d{15}/);
  await page.locator('.leaflet-popup-close-button').click();
  await screenshot(page, 'overview');
  expect(unexpected(problems)).toEqual([]);
});

test('regions drill down from the city to a grid', async ({ page }) => {
  await login(page, 'admin');
  await page.getByTestId('nav').getByText('区域与网格').click();
  await expect(page).toHaveURL(/\/admin\/regions$/);
  const children = page.getByTestId('region-children');
  await expect(children).toContainText('江城区');
  await children.getByRole('link', { name: '江城区' }).click();
  await expect(page).toHaveURL(/\/admin\/regions\/339902$/);
  await expect(page.getByTestId('region-detail')).toContainText('区县');
  await children.getByRole('link', { name: '鼓楼街道' }).click();
  await expect(page.getByTestId('region-detail')).toContainText('街道/乡镇');
  await children.getByRole('link', { name: '鼓楼社区' }).click();
  await expect(page.getByTestId('region-detail')).toContainText('社区/村');
  await expect(page.getByTestId('region-map')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('region-map').locator('path').first()).toBeVisible();
  await expect(page.locator('.fq-trail')).toContainText('临江市');
  await expect(page.locator('.fq-trail')).toContainText('鼓楼社区');
  await screenshot(page, 'regions');
  await children.locator('a.fq-link').first().click();
  await expect(page.getByTestId('region-detail')).toContainText('网格');
  await expect(children).toContainText('没有下级区域');
});

/** Opens the region picker inside `scope` and walks the cascader down the named regions. */
async function pickRegion(page: Page, testid: string, path: string[]): Promise<void> {
  await page.getByTestId(testid).click();
  const panel = page.locator('.el-cascader__dropdown:visible');
  for (const name of path.slice(0, -1)) {
    await panel.locator('.el-cascader-node', { hasText: name }).first().locator('.el-cascader-node__label').click();
  }
  const last = path[path.length - 1] ?? '';
  await panel.locator('.el-cascader-node', { hasText: last }).first().locator('.el-radio').click();
  await page.keyboard.press('Escape');
}

test('creating an organisation shows the server error at the field, then succeeds', async ({ page }) => {
  await login(page, 'admin');
  await page.goto('/admin/organisations');
  await expect(page.getByTestId('org-table')).toContainText('临江市');
  await page.getByTestId('org-create').click();
  const dialog = page.getByTestId('org-dialog');
  const name = `鼓楼测试调解委员会${Date.now() % 100000}`;
  await dialog.getByTestId('org-name').fill(name);
  await dialog.getByTestId('org-kind').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^人民调解委员会$/ }).click();
  // A mediation committee cannot sit in a grid: the server says so at the region field.
  await pickRegion(page, 'org-region', ['临江市', '江城区', '鼓楼街道', '鼓楼社区', '网格']);
  await dialog.getByTestId('org-save').click();
  const regionError = dialog.getByTestId('org-region-item').locator('.el-form-item__error');
  await expect(regionError).toBeVisible();
  await expect(regionError).toContainText('不能设在所选层级');
  await screenshot(page, 'organisations-field-error');
  // Fix it: the community itself.
  await pickRegion(page, 'org-region', ['临江市', '江城区', '鼓楼街道', '鼓楼社区']);
  await expect(regionError).toHaveCount(0);
  await dialog.getByTestId('org-save').click();
  await expect(dialog).toBeHidden();
  await page.getByTestId('filter-q').fill(name);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByTestId('org-table').locator('.el-table__body tr')).toHaveCount(1);
  await expect(page.getByTestId('org-table')).toContainText(name);
  await expect(page.getByTestId('org-table')).toContainText('鼓楼社区');
});

test('organisations screen filters and pages', async ({ page }) => {
  await login(page, 'admin');
  await page.goto('/admin/organisations');
  await expect(page.locator('.el-pagination__total')).toContainText(/共 \d+ 条/);
  await page.getByTestId('filter-kind').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^人民法院$/ }).click();
  await page.getByRole('button', { name: '查询' }).click();
  const kinds = page.getByTestId('org-table').locator('.el-table__body tr td:nth-child(2)');
  await expect(kinds.first()).toHaveText('人民法院');
  for (const text of await kinds.allInnerTexts()) expect(text).toBe('人民法院');
  await page.getByRole('button', { name: '重置' }).click();
  await page.getByTestId('filter-q').fill('没有这样的机构');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByTestId('org-empty')).toContainText('新建机构');
  await page.getByRole('button', { name: '重置' }).click();
  await expect(page.getByTestId('org-table').locator('.el-table__body tr').first()).toBeVisible();
  await screenshot(page, 'organisations');
});

test('street intake sees only the organisations of its street', async ({ page }) => {
  await login(page, 'street_intake');
  await expect(page.getByTestId('user-bar')).toContainText('鼓楼街道');
  const nav = page.getByTestId('nav');
  await expect(nav).toContainText('机构');
  await expect(nav).not.toContainText('用户');
  await expect(nav).not.toContainText('审计日志');
  await nav.getByText('机构').click();
  await expect(page).toHaveURL(/\/admin\/organisations$/);
  await expect(page.getByTestId('org-create')).toHaveCount(0);
  const regionCells = page.getByTestId('org-table').locator('.el-table__body tr td:nth-child(3)');
  await expect(regionCells.first()).toContainText('鼓楼街道');
  const texts = await regionCells.allInnerTexts();
  expect(texts.length).toBeGreaterThan(2);
  for (const text of texts) expect(text).toContain('鼓楼街道');
  // The API agrees: nothing outside the street, whatever the page size.
  const answer = await page.request.get('/api/v1/organisations?per_page=200');
  const body = (await answer.json()) as { total: number; items: { region_path: string }[] };
  expect(body.total).toBeGreaterThan(0);
  for (const org of body.items) expect(org.region_path).toMatch(/\/339902\d{3}\//);
  await expect(page.locator('.el-pagination__total')).toContainText(`共 ${body.total} 条`);
  // Admin-only screens answer 无权访问.
  await page.goto('/admin/users');
  await expect(page.locator('.el-result__title')).toHaveText('无权访问');
});

test('users: identifiers are checked as typed, and a phone is revealed with a reason', async ({ page }) => {
  await login(page, 'admin');
  await page.goto('/admin/users');
  await expect(page.getByTestId('user-table')).toContainText('admin');
  await screenshot(page, 'users');

  await page.getByTestId('user-create').click();
  const dialog = page.getByTestId('user-dialog');
  const phone = dialog.getByTestId('user-phone');
  await phone.fill('1381234');
  await expect(dialog.getByTestId('user-phone-item').locator('.el-form-item__error')).toContainText('手机号应为 11 位');
  await phone.fill('12812345678');
  await expect(dialog.getByTestId('user-phone-item').locator('.el-form-item__error')).toContainText('不是手机号段');
  await phone.fill('13812345678');
  await expect(dialog.getByTestId('user-phone-item').locator('.el-form-item__error')).toHaveCount(0);
  const id = dialog.getByTestId('user-id-number');
  await id.fill('110105194912310021');
  await expect(dialog.getByTestId('user-id-item').locator('.el-form-item__error')).toContainText('校验位应为 X');
  await id.fill('11010519491231002X');
  await expect(dialog.getByTestId('user-id-item').locator('.el-form-item__error')).toHaveCount(0);
  // A weak password comes back from the server and is shown at its field.
  const username = `tester${Date.now() % 100000}`;
  await dialog.getByTestId('user-username').fill(username);
  await dialog.getByTestId('user-display-name').fill('测试用户');
  await dialog.getByTestId('user-org').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '鼓楼街道综治中心' }).first().click();
  await dialog.getByTestId('user-roles').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^受理窗口$/ }).click();
  await page.keyboard.press('Escape');
  await dialog.getByTestId('user-password').fill('short');
  await dialog.getByTestId('user-save').click();
  await expect(dialog.locator('.el-form-item__error', { hasText: '密码须为' })).toBeVisible();
  await dialog.getByTestId('user-password').fill('Gulou2026ok');
  await dialog.getByTestId('user-save').click();
  await expect(dialog).toBeHidden();

  await page.locator('.fq-filters input').first().fill(username);
  await page.getByRole('button', { name: '查询' }).click();
  const row = page.getByTestId('user-table').locator('.el-table__body tr').first();
  await expect(row).toContainText(username);
  await expect(row).toContainText('138****5678');
  await expect(row).toContainText('110105********002X');
  await row.getByTestId('reveal-phone').click();
  const reveal = page.getByTestId('reveal-dialog');
  await reveal.getByTestId('reveal-confirm').click();
  await expect(reveal.locator('.el-form-item__error')).toContainText('请填写查看原因');
  await reveal.getByTestId('reveal-reason').fill('核实身份后回访');
  await reveal.getByTestId('reveal-confirm').click();
  await expect(reveal.getByTestId('reveal-value')).toHaveText('13812345678');
});

test('audit log lists entries and verifies the hash chain', async ({ page }) => {
  await login(page, 'admin');
  await page.getByTestId('nav').getByText('审计日志').click();
  await expect(page.getByTestId('audit-table')).toContainText('登录');
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-verify-result')).toContainText('哈希链完整');
  await screenshot(page, 'audit');
});

test('five wrong passwords lock the account and say until when', async ({ page }) => {
  await page.goto('/login');
  const error = page.getByTestId('login-error');
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    await page.locator('input[name="username"]').fill('analyst');
    await page.locator('input[name="password"]').fill(`wrong-${attempt}`);
    await page.getByTestId('login-submit').click();
    if (attempt < 5) await expect(error).toContainText('用户名或密码错误');
  }
  await expect(error).toContainText('账户已锁定');
  await expect(error).toContainText(/锁定至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  // Even the right password is refused while locked.
  await page.locator('input[name="username"]').fill('analyst');
  await page.locator('input[name="password"]').fill('Fengqiao#2026');
  await page.getByTestId('login-submit').click();
  await expect(error).toContainText('账户已锁定');
  await expect(page).toHaveURL(/\/login/);
  await screenshot(page, 'login-locked');
});

test('logout ends the session, and a reload keeps a live one', async ({ page }) => {
  await login(page, 'district_intake');
  await page.reload();
  await expect(page.getByTestId('user-bar')).toContainText('江城区社会治理中心');
  await page.getByTestId('logout-button').click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/overview');
  await expect(page).toHaveURL(/\/login/);
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);
});

test('the console switches to English', async ({ page }) => {
  await login(page, 'admin');
  await page.getByTestId('user-menu').click();
  await page.locator('.el-dropdown-menu__item', { hasText: 'English' }).click();
  await expect(page.getByTestId('nav')).toContainText('Overview');
  await expect(page.locator('.fq-sub')).toContainText(/[A-Z][a-z]{2} \d{1,2}, \d{4}/);
  await page.getByTestId('user-menu').click();
  await page.locator('.el-dropdown-menu__item', { hasText: '简体中文' }).click();
  await expect(page.getByTestId('nav')).toContainText('概览');
});

test('a citizen account is pointed to the citizen page', async ({ page }) => {
  await page.goto('/login');
  await page.locator('input[name="username"]').fill('citizen');
  await page.locator('input[name="password"]').fill('Fengqiao#2026');
  await page.getByTestId('login-submit').click();
  await expect(page.locator('.el-result__title')).toHaveText('无权访问');
  await expect(page.locator('a[href="/m/"]')).toContainText('前往群众服务页面');
  await expect(page.getByTestId('nav')).not.toContainText('概览');
});
