// A grid event through the loop against a fresh demo server: a grid worker reports it on the
// phone page (GPS point in the worker's grid, a photo from the camera input), the street's
// governance centre accepts it and dispatches it to the department the rules suggest, the
// department signs for it and feeds back with a photo, the centre verifies and closes it, and
// the queue shows it closed. Then the summons board, supervision, 12345 import, rules and
// categories render with the demo's data. Screenshots land in target/screenshots/.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { deflateSync } from 'node:zlib';
import { DEMO_PASSWORD, login, screenshot, watchConsole } from './helpers';

test.describe.configure({ mode: 'serial' });

const GRID = '339902001001001';
const WORKER = `gw_${GRID}`;
const CENTRE = 'street_intake';
const DEPARTMENT = 'handler_dept_339902_fire_rescue_1';
const DESCRIPTION = `5幢楼道堆放电动车并入户充电，堵塞消防通道（浏览器测试 ${Date.now() % 100000}）`;
const SUMMONS = `鼓楼老旧小区消防通道联合整治（${Date.now() % 100000}）`;
let number = '';

// ---- a small real PNG, as a phone camera would hand over a JPEG ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** A 160×120 picture: sky, a building, the ground, in the given tint. */
function scenePng(tint: [number, number, number]): Buffer {
  const [w, h] = [160, 120];
  const rows: Buffer[] = [];
  for (let y = 0; y < h; y += 1) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x += 1) {
      const px = x >= 50 && x < 110 && y >= 30 && y < 95 ? [200, 190, 170] : y < 60 ? tint : [110, 105, 95];
      row.set(px, 1 + x * 3);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** Console problems other than the 401 of asking who is logged in before the login. */
function unexpected(problems: string[]): string[] {
  return problems.filter((p) => !/status of 401/.test(p));
}

/** Waits until the "done" messages have faded, so they do not cover a screenshot. */
async function noToasts(page: Page): Promise<void> {
  await expect(page.locator('.el-message')).toHaveCount(0, { timeout: 15_000 });
}

/** The middle of the worker's grid, from the regions API (where the phone "is"). */
async function gridCentre(page: Page): Promise<{ latitude: number; longitude: number }> {
  const login = await page.request.post('/api/v1/auth/login', { data: { username: WORKER, password: DEMO_PASSWORD } });
  const token = ((await login.json()) as { token: string }).token;
  const region = await page.request.get(`/api/v1/regions/${GRID}`, { headers: { Authorization: `Bearer ${token}` } });
  const ring = ((await region.json()) as { geometry: { coordinates: number[][][] } }).geometry.coordinates[0] ?? [];
  const pts = ring.slice(0, -1);
  return {
    longitude: pts.reduce((s, p) => s + (p[0] ?? 0), 0) / pts.length,
    latitude: pts.reduce((s, p) => s + (p[1] ?? 0), 0) / pts.length,
  };
}

/** Opens the event by its number from the queue (as each role finds it). */
async function openEvent(page: Page): Promise<void> {
  await page.getByTestId('nav').getByText('网格管理').click();
  await page.getByTestId('nav').getByText('事件办理').click();
  await expect(page).toHaveURL(/\/grid\/events/);
  await page.getByTestId('event-search').fill(number);
  await page.getByTestId('event-search').press('Enter');
  const link = page.getByTestId('event-table').getByTestId('event-number').filter({ hasText: number });
  await expect(link).toHaveCount(1);
  await link.click();
  await expect(page.getByTestId('event-number')).toHaveText(number);
}

/** Opens the action dialog for `name`, fills it, submits and waits for the new status. */
async function act(page: Page, name: string, statusText: string, fill?: (dialog: ReturnType<Page['getByTestId']>) => Promise<void>, shot?: string): Promise<void> {
  await page.getByTestId('event-actions').getByTestId(`act-${name}`).click();
  const dialog = page.getByTestId('event-action-dialog').last();
  await expect(dialog).toBeVisible();
  if (fill) await fill(dialog);
  if (shot) {
    await noToasts(page);
    await screenshot(page, shot);
  }
  await dialog.getByTestId('event-action-submit').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('event-status')).toHaveText(statusText);
}

async function phone(browser: Browser, geolocation: { latitude: number; longitude: number }): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
    permissions: ['geolocation'], geolocation,
  });
  return context.newPage();
}

test('a grid worker reports an event on the phone page with a photo and the GPS point', async ({ browser, page }) => {
  const where = await gridCentre(page);
  const m = await phone(browser, where);
  const problems = watchConsole(m);
  // The phone page asks for a login first and comes back.
  await m.goto('/w/report');
  await expect(m).toHaveURL(/\/login\?redirect=/);
  await m.locator('input[name="username"]').fill(WORKER);
  await m.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await m.getByTestId('login-submit').click();
  await expect(m).toHaveURL(/\/w\/report$/);
  await expect(m.getByTestId('phone-report')).toBeVisible();

  // Sending empty: the form says what is missing.
  await m.getByTestId('phone-submit').click();
  await expect(m.locator('.el-form-item__error', { hasText: '请选择事件类别' })).toBeVisible();

  await m.getByTestId('phone-category').click();
  await m.getByTestId('phone-cat-fire_hazard').click();
  await expect(m.getByTestId('phone-category')).toContainText('消防安全隐患');
  // The category's own question (multiple choice, required).
  await m.getByTestId('attr-hazard').getByText('消防通道堵塞').click();
  await m.getByTestId('attr-hazard').getByText('电动车入户充电').click();
  await m.getByTestId('phone-description').fill(DESCRIPTION);
  await m.getByTestId('phone-photo-input').setInputFiles({ name: 'scene.png', mimeType: 'image/png', buffer: scenePng([90, 140, 190]) });
  await expect(m.locator('.fq-w-photo img')).toHaveCount(1);
  await m.getByTestId('phone-locate').click();
  await expect(m.getByTestId('phone-place')).toContainText('鼓楼社区第一网格');
  await m.getByTestId('phone-address').fill('鼓楼社区5幢1单元楼道');
  await noToasts(m);
  await m.evaluate(() => window.scrollTo({ top: 0 }));
  await screenshot(m, 'grid-phone-report');
  await m.getByTestId('phone-address').scrollIntoViewIfNeeded();
  await screenshot(m, 'grid-phone-report-place');

  await m.getByTestId('phone-submit').click();
  await expect(m.getByTestId('phone-done')).toBeVisible({ timeout: 20_000 });
  number = (await m.getByTestId('phone-number').innerText()).trim();
  expect(number).not.toBe('');
  await expect(m.getByTestId('phone-done')).toContainText('已上传 1 张照片');
  // The worker's list shows it, waiting for the centre.
  await expect(m.getByTestId('phone-mine')).toContainText(number);
  await expect(m.getByTestId('phone-mine')).toContainText('待受理');
  await noToasts(m);
  await screenshot(m, 'grid-phone-done');
  // 401: the page asked who is logged in before the login.
  expect(problems.filter((p) => !/status of (401|422)/.test(p))).toEqual([]);
  await m.context().close();
});

test('the street centre accepts the event and dispatches it as the rules suggest', async ({ page }) => {
  const problems = watchConsole(page);
  page.on('response', (r) => {
    if (r.status() === 404) problems.push(`404 ${r.url()}`);
  });
  await login(page, CENTRE);
  await openEvent(page);
  await expect(page.getByTestId('event-status')).toHaveText('待受理');
  await expect(page.getByTestId('event-description')).toContainText(DESCRIPTION);
  await expect(page.getByTestId('event-clock')).toBeVisible();
  // The scene photo loads through the API with the session.
  await expect(page.getByTestId('event-photos').getByTestId('photo-thumb').first()).toHaveAttribute('data-loaded', 'true');
  await expect(page.getByTestId('point-map')).toHaveAttribute('data-ready', 'true');
  // Only the steps the server allows: a street centre accepts, rejects or turns it into a dispute.
  await expect(page.getByTestId('event-actions').getByTestId('act-sign')).toHaveCount(0);
  await noToasts(page);
  await screenshot(page, 'grid-event-detail');

  await act(page, 'accept', '待派遣', async (d) => d.getByTestId('action-note').fill('情况属实，予以受理'));
  await act(page, 'dispatch', '待签收', async (d) => {
    await expect(d.getByTestId('dispatch-suggestion')).toContainText('消防');
    await expect(d.getByTestId('dispatch-explanation')).toContainText('派遣规则');
    // Choosing another department asks for a reason; the suggestion needs none.
    await d.getByTestId('dispatch-department').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '住房和城乡建设局' }).click();
    await expect(d.getByTestId('action-reason')).toBeVisible();
    await d.getByTestId('event-action-submit').click();
    await expect(d.locator('.el-form-item__error', { hasText: '请填写理由' })).toBeVisible();
    await d.getByTestId('dispatch-department').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '消防' }).first().click();
    await expect(d.getByTestId('action-reason')).toHaveCount(0);
  }, 'grid-dispatch-dialog');
  await expect(page.getByTestId('event-department')).toContainText('消防');
  await expect(page.getByTestId('event-timeline')).toContainText('派往');
  // The place: the point in its grid, drawn without any tile server.
  await noToasts(page);
  await page.getByTestId('point-map').scrollIntoViewIfNeeded();
  await screenshot(page, 'grid-event-map');
  expect(unexpected(problems)).toEqual([]);
});

test('the department signs for it and feeds back with a photo', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, DEPARTMENT);
  await openEvent(page);
  await expect(page.getByTestId('event-status')).toHaveText('待签收');
  await act(page, 'sign', '处置中');
  await act(page, 'feedback', '已反馈待核查', async (d) => {
    // No photo yet: the dialog asks for one before anything is sent.
    await d.getByTestId('action-note').fill('已清理楼道堆放的电动车，张贴禁止入户充电告知，督促物业每日巡查。');
    await d.getByTestId('event-action-submit').click();
    await expect(d.locator('.el-form-item__error', { hasText: '请先上传照片' })).toBeVisible();
    await d.getByTestId('photo-input').setInputFiles({ name: '处置后.png', mimeType: 'image/png', buffer: scenePng([120, 160, 90]) });
    await expect(d.getByTestId('photo-thumb')).toHaveAttribute('data-loaded', 'true');
  }, 'grid-feedback-dialog');
  await expect(page.getByTestId('event-photos').getByTestId('photo-thumb')).toHaveCount(2);
  expect(unexpected(problems)).toEqual([]);
});

test('the centre verifies and closes it, and the queue shows it closed', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, CENTRE);
  await openEvent(page);
  await expect(page.getByTestId('event-status')).toHaveText('已反馈待核查');
  await act(page, 'verify', '已办结', async (d) => {
    await d.getByTestId('verify-approve').click();
    await d.getByTestId('action-note').fill('现场核查，通道已畅通');
  });
  const timeline = page.getByTestId('event-timeline').getByTestId('timeline-action');
  await expect(timeline).toHaveText(['核查通过并办结', '处置反馈', '签收', '派遣', '受理', '上报']);
  await expect(page.getByTestId('event-clock')).toHaveCount(0);
  await noToasts(page);
  await page.evaluate(() => document.querySelector('.fq-main')?.scrollTo({ top: 0 }));
  await screenshot(page, 'grid-event-closed');

  await page.getByTestId('nav').getByText('事件办理').click();
  await page.getByTestId('event-search').fill(number);
  await page.getByTestId('event-search').press('Enter');
  const row = page.getByTestId('event-table').locator('.el-table__row', { hasText: number });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('event-row-status')).toHaveText('已办结');
  // The whole queue with the demo's events and their clocks.
  await page.getByRole('button', { name: '重置' }).click();
  await expect(page.getByTestId('event-table').locator('[data-testid=clock-badge]').first()).toBeVisible();
  await screenshot(page, 'grid-event-queue');
  expect(unexpected(problems)).toEqual([]);
});

test('the summons board shows who reported and answered; a street blows the whistle', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, CENTRE);
  await page.getByTestId('nav').getByText('网格管理').click();
  await page.getByTestId('nav').getByText('吹哨报到').click();
  await expect(page).toHaveURL(/\/grid\/summons$/);
  const cards = page.getByTestId('summons-card');
  await expect(cards.first()).toBeVisible();
  const before = await cards.count();
  await expect(cards.first().getByTestId('summons-departments').locator('.el-table__row').first()).toBeVisible();

  await page.getByTestId('summons-raise').click();
  const dialog = page.getByTestId('summons-raise-dialog');
  await dialog.getByTestId('summons-title').fill(SUMMONS);
  await dialog.getByTestId('summons-description').fill('多处楼道堆物、电动车入户充电，需消防、住建、城管联合整治。');
  await dialog.getByTestId('summons-departments-select').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '消防' }).first().click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '住房和城乡建设局' }).click();
  await page.keyboard.press('Escape');
  await dialog.getByTestId('summons-raise-submit').click();
  await expect(dialog).toBeHidden();
  await expect(cards).toHaveCount(before + 1);
  await expect(page.getByTestId('summons-board')).toContainText(SUMMONS);
  await noToasts(page);
  await screenshot(page, 'grid-summons');
  expect(unexpected(problems)).toEqual([]);
});

test('the summoned department reports in and answers', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, DEPARTMENT);
  await page.goto('/grid/summons');
  const card = page.getByTestId('summons-card').filter({ hasText: SUMMONS });
  await card.getByTestId('summons-report-in').click();
  await expect(card.getByTestId('summons-reported')).toHaveText('报到 1/2');
  await card.getByTestId('summons-answer').click();
  await page.getByTestId('summons-answer-text').fill('本周内联合社区开展楼道清理和入户宣传。');
  await page.getByTestId('summons-answer-submit').click();
  await expect(card.getByTestId('dept-status-answered')).toHaveCount(1);
  expect(unexpected(problems)).toEqual([]);
});

test('grid supervision, 12345 import, dispatch rules and categories render', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, CENTRE);
  await page.goto('/grid/supervision?all=1');
  await expect(page.getByTestId('grid-supervision-table').getByTestId('supervision-event-link').first()).toBeVisible();
  await screenshot(page, 'grid-supervision');

  await page.goto('/grid/import');
  const stamp = Date.now() % 100000;
  const orders = {
    orders: [
      { order_no: `12345-T-${stamp}-1`, content: '小区门口流动摊贩占道经营，影响通行', address: '鼓楼社区东门', region_code: GRID, caller_name: '张先生', caller_phone: '13800003333' },
      { order_no: `12345-T-${stamp}-2`, content: '反映情况', region_code: GRID },
      { order_no: '', content: '没有工单号' },
    ],
  };
  await page.getByTestId('import-file').setInputFiles({ name: 'orders.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(orders)) });
  await page.getByTestId('import-send').click();
  await expect(page.getByTestId('import-created')).toHaveText('新建 1');
  await expect(page.getByTestId('import-refused')).toHaveText('未导入 2');
  await expect(page.getByTestId('import-table')).toContainText('工单编号不能为空');
  await screenshot(page, 'grid-import');

  await page.goto('/grid/dispatch-rules');
  await expect(page.getByTestId('rules-table').locator('.el-table__row').first()).toBeVisible();
  await page.goto('/grid/categories');
  await expect(page.getByTestId('categories-table')).toContainText('消防安全隐患');
  await screenshot(page, 'grid-categories');
  expect(unexpected(problems).filter((p) => !/status of 422/.test(p))).toEqual([]);

  // A city administrator edits a rule (the version goes up).
  await page.context().clearCookies();
  await login(page, 'admin');
  await page.goto('/grid/dispatch-rules');
  await page.getByTestId('rule-edit-dispatch_noise').click();
  const dialog = page.getByTestId('rule-dialog');
  await dialog.getByTestId('rule-name').fill('噪声扰民 → 生态环境（浏览器测试）');
  await dialog.getByTestId('rule-save').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('rules-table')).toContainText('噪声扰民 → 生态环境（浏览器测试）');
  await noToasts(page);
  await page.evaluate(() => document.querySelector('.fq-main')?.scrollTo({ top: 0 }));
  await screenshot(page, 'grid-dispatch-rules');
});
