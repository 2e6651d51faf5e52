// A dispute through the console and the citizen page against a fresh demo server: window staff
// register it with several parties (identifiers checked as typed), see the suggested routing and
// route it, print the acceptance notice; the mediator accepts it, records a session and an
// agreement, and closes it after the follow-up visit; the party finds it by code on the phone
// page and evaluates; the overview figures move. Screenshots of each screen land in
// target/screenshots/.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { login, screenshot, watchConsole } from './helpers';

test.describe.configure({ mode: 'serial' });

const STREET_COMMITTEE = '鼓楼街道人民调解委员会';
const TITLE = `楼上漏水致楼下吊顶受损（浏览器测试 ${Date.now() % 100000}）`;
let code = '';
let secret = '';
let before = { total: 0, evaluations: 0 };

/** The number on a dispute figure card (`1,234` or `4.50 / 5`). */
async function figure(page: Page, key: string): Promise<string> {
  const value = page.getByTestId(`dstat-${key}`).locator('.fq-stat-value');
  await expect(value).toBeVisible();
  return value.innerText();
}
async function evaluationCount(page: Page): Promise<number> {
  const sub = await page.getByTestId('dstat-satisfaction').locator('.fq-stat-sub').innerText();
  return Number(/(\d+)/.exec(sub)?.[1] ?? '0');
}

/** Waits until the "done" messages have faded, so they do not cover a screenshot. */
async function noToasts(page: Page): Promise<void> {
  await expect(page.locator('.el-message')).toHaveCount(0, { timeout: 15_000 });
}

/** Opens the action dialog for `name`, fills it with `fill`, submits and waits for the new stage. */
async function act(page: Page, name: string, stageText: string, fill?: (dialog: ReturnType<Page['getByTestId']>) => Promise<void>): Promise<void> {
  const button = page.getByTestId('case-actions').getByTestId(`act-${name}`);
  await button.click();
  const dialog = page.getByTestId('action-dialog').last();
  await expect(dialog).toBeVisible();
  if (fill) await fill(dialog);
  await dialog.getByTestId('action-submit').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('case-stage')).toHaveText(stageText);
}

async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  return context.newPage();
}

test('window staff register a dispute with several parties and route it', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, 'street_intake');
  // The overview's dispute figures before anything happens.
  await expect(page.getByTestId('dispute-figures')).toBeVisible();
  before = { total: Number((await figure(page, 'total')).replace(/,/g, '')), evaluations: await evaluationCount(page) };

  await page.getByTestId('nav').getByText('矛盾纠纷').click();
  await page.getByTestId('nav').getByText('登记受理').click();
  await expect(page).toHaveURL(/\/disputes\/intake$/);

  // Submitting empty: server field errors appear at their fields.
  await page.getByTestId('intake-submit').click();
  await expect(page.locator('.el-form-item__error').first()).toBeVisible();

  await page.getByTestId('intake-title').fill(TITLE);
  await page.getByTestId('intake-type').click();
  await page.locator('.el-select-dropdown__item', { hasText: /^邻里$/ }).click();
  await page.getByTestId('intake-facts').fill('楼上住户卫生间防水层老化，连续两周漏水，楼下住户吊顶和墙面受损。');
  await page.getByTestId('intake-claims').fill('修复防水层，赔偿吊顶修复费用 3,200 元。');
  await page.getByTestId('intake-amount').fill('3200');
  await page.getByTestId('intake-address').fill('鼓楼街道中山路 18 号 2 单元');
  // Region: drill into the street and choose its first community.
  await page.getByTestId('intake-region').locator('.el-cascader').click();
  const menus = page.locator('.el-cascader-menu:visible');
  await menus.first().locator('.el-cascader-node').first().click();
  await menus.nth(1).locator('.el-cascader-node').first().locator('.el-radio').click();
  await page.keyboard.press('Escape');

  // Parties: two applicants (a couple) and the upstairs neighbour; identifiers checked as typed.
  const p0 = page.getByTestId('party-0');
  await p0.getByTestId('party-name').fill('陈建华');
  await p0.getByTestId('party-phone').fill('1390571');
  await expect(p0.locator('.el-form-item__error', { hasText: '手机号应为 11 位' })).toBeVisible();
  await p0.getByTestId('party-phone').fill('13905712345');
  await expect(p0.locator('.el-form-item__error')).toHaveCount(0);
  await p0.getByTestId('party-id').fill('110105194912310021');
  await expect(p0.locator('.el-form-item__error', { hasText: '校验位' })).toBeVisible();
  await p0.getByTestId('party-id').fill('11010519491231002X');
  await expect(p0.locator('.el-form-item__error')).toHaveCount(0);
  const p1 = page.getByTestId('party-1');
  await p1.locator('.el-radio-button', { hasText: '被申请人' }).click();
  await p1.getByTestId('party-name').fill('林国栋');
  await p1.getByTestId('party-phone').fill('13905719876');
  await page.getByTestId('add-applicant').click();
  const p2 = page.getByTestId('party-2');
  await p2.getByTestId('party-name').fill('王秀英');
  await p2.getByTestId('party-phone').fill('13905716543');
  await screenshot(page, 'dispute-intake');

  await page.getByTestId('intake-submit').click();
  const result = page.getByTestId('intake-result');
  await expect(result).toBeVisible({ timeout: 20_000 });
  code = (await page.getByTestId('intake-code').innerText()).trim();
  secret = (await page.getByTestId('intake-secret').innerText()).trim();
  expect(code).toMatch(/^\d{4}-\d{4}-\d{4}-\d$/);
  expect(secret).toMatch(/^\d{6}$/);
  // The suggested routing comes with its explanation.
  await expect(page.getByTestId('routing-explanation')).not.toBeEmpty();

  // The acceptance notice is a real PDF.
  const noticeRequest = page.context().waitForEvent('request', (r) => r.url().includes('/documents/acceptance_notice/pdf'));
  await page.getByTestId('print-notice').click();
  const pdfUrl = (await noticeRequest).url();
  for (const other of page.context().pages()) if (other !== page) await other.close();
  expect(pdfUrl).toMatch(/\/documents\/acceptance_notice\/pdf$/);
  const pdf = await page.request.get(pdfUrl);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

  // Route to the street's mediation committee (joint handling is possible; one body here).
  const orgs = page.getByTestId('route-orgs');
  await orgs.locator('.el-select__wrapper').click();
  for (const tag of await orgs.locator('.el-tag__close').all()) await tag.click();
  await orgs.locator('input').fill('鼓楼街道人民调解');
  await page.locator('.el-select-dropdown__item:visible', { hasText: STREET_COMMITTEE }).first().click();
  await page.keyboard.press('Escape');
  await screenshot(page, 'dispute-intake-result');
  await page.getByTestId('confirm-route').click();
  await expect(page.getByTestId('routed')).toContainText(STREET_COMMITTEE);
  // Expected: the login page's session check (401) and the deliberately empty submit (422).
  expect(problems.filter((p) => !/status of (401|422)/.test(p))).toEqual([]);
});

test('the mediator accepts, records a session and an agreement, and closes the case', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, 'mediator');
  await page.goto('/disputes?scope=mine');
  const table = page.getByTestId('queue-table');
  const row = table.locator('tr', { hasText: code });
  await expect(row).toBeVisible();
  await expect(row.locator('.fq-stage')).toHaveText('待受理');
  // The acceptance clock runs on the official calendar.
  await expect(row.getByTestId('clock-badge')).toHaveAttribute('data-status', /green|yellow|red/);
  await screenshot(page, 'dispute-queue');

  await row.getByTestId('queue-code').click();
  await expect(page.getByTestId('case-code')).toHaveText(code);
  await expect(page.getByTestId('case-party')).toHaveCount(3);
  // Identifiers are masked.
  await expect(page.getByTestId('case-party').first()).toContainText('****');
  await expect(page.locator('body')).not.toContainText('13905712345');

  await act(page, 'accept', '已受理');
  await act(page, 'start_mediation', '调解中');
  await act(page, 'record_session', '调解中', async (d) => {
    await d.getByTestId('session-place').fill('鼓楼街道矛盾纠纷调解中心 2 号调解室');
    await d.getByTestId('session-participants').fill('陈建华、林国栋，李桂芳');
    await d.getByTestId('action-note').fill('双方到场，确认漏水原因为楼上防水层老化；楼上同意修复并承担吊顶费用。');
  });
  await expect(page.getByTestId('case-timeline')).toContainText('鼓楼街道矛盾纠纷调解中心 2 号调解室');
  await expect(page.getByTestId('case-timeline')).toContainText('陈建华、林国栋、李桂芳');
  await noToasts(page);
  await screenshot(page, 'dispute-detail-mediating');
  await act(page, 'reach_agreement', '达成协议', async (d) => {
    await d.getByTestId('action-note').fill('林国栋于 7 日内修复防水层并赔偿 3,200 元。');
  });
  await act(page, 'start_performance', '履行中');
  await act(page, 'follow_up', '已办结', async (d) => {
    await expect(d.getByTestId('action-performed')).toBeVisible();
  });
  // The mediation agreement is a document of the case.
  await page.getByRole('tab', { name: '文书' }).click();
  await expect(page.getByTestId('doc-mediation_agreement-pdf')).toBeVisible();
  await page.getByRole('tab', { name: '办理经过' }).click();
  await noToasts(page);
  await screenshot(page, 'dispute-detail');
  expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
});

test('the party finds the case by code on the phone and evaluates it', async ({ browser }) => {
  const page = await phonePage(browser);
  const problems = watchConsole(page);
  await page.goto('/m/');
  await expect(page.getByRole('heading', { name: '查询案件进度' })).toBeVisible();
  await page.getByTestId('tracking-code').fill(code);
  await page.getByTestId('track-factor').fill('000000');
  await page.getByTestId('track-submit').click();
  await expect(page.locator('.el-form-item__error, [data-testid=track-error]').filter({ hasText: '不正确' }).first()).toBeVisible();
  await page.getByTestId('track-factor').fill(secret);
  await page.getByTestId('track-submit').click();
  await expect(page.getByTestId('case-view')).toContainText(TITLE);
  await expect(page.getByTestId('case-stage-text')).toHaveText('已办结');
  await expect(page.getByTestId('public-timeline')).toContainText('已达成调解协议');
  // Internal notes stay internal.
  await expect(page.locator('body')).not.toContainText('防水层老化；楼上同意');
  await screenshot(page, 'citizen-case');
  await page.getByTestId('eval-rate').locator('.el-rate__item').nth(4).click();
  await page.getByTestId('eval-comment').fill('调解员很耐心，处理及时。');
  await page.getByTestId('eval-submit').click();
  await expect(page.getByTestId('eval-done')).toBeVisible();
  await expect(page.getByTestId('case-stage-text')).toHaveText('已办结并评价');
  await page.getByTestId('track-back').click();
  await screenshot(page, 'citizen');
  expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
  await page.context().close();
});

test('the overview figures count the case and its evaluation', async ({ page }) => {
  await login(page, 'street_intake');
  await expect(page.getByTestId('dispute-figures')).toBeVisible();
  await expect.poll(async () => Number((await figure(page, 'total')).replace(/,/g, ''))).toBe(before.total + 1);
  await expect.poll(() => evaluationCount(page)).toBe(before.evaluations + 1);
  await expect(page.getByTestId('chart-stages').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('dstat-success').locator('.fq-stat-value')).toContainText('%');
  await screenshot(page, 'overview-disputes');
});

test('administrators see the routing rules, test one, and read the clocks and the calendar', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, 'admin');
  await page.goto('/admin/routing-rules');
  const rules = page.getByTestId('rules-table');
  await expect(rules.locator('tbody tr').first()).toBeVisible();
  await screenshot(page, 'routing-rules');
  await page.getByTestId('rules-test').click();
  const dialog = page.getByTestId('test-dialog');
  await dialog.getByTestId('test-type').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '劳动争议' }).first().click();
  // A community of the first street: city → district → street → community.
  await dialog.getByTestId('test-region').locator('.el-cascader').click();
  const menus = page.locator('.el-cascader-menu:visible');
  for (let level = 0; level < 3; level += 1) {
    await menus.nth(level).locator('.el-cascader-node').first().click();
    await expect(menus.nth(level + 1)).toBeVisible();
  }
  await menus.nth(3).locator('.el-cascader-node').first().locator('.el-radio').click();
  await page.keyboard.press('Escape');
  await dialog.getByTestId('test-run').click();
  // A labour case goes to the district's labour committee, and the rule says why.
  await expect(dialog.getByTestId('test-result')).toContainText('劳动');
  await expect(dialog.getByTestId('test-result')).toContainText('命中规则');
  await screenshot(page, 'routing-rule-test');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Edit a rule: the explanation changes and the version goes up by one.
  const first = rules.locator('tbody tr').first();
  const version = Number(/v(\d+)/.exec(await first.locator('.fq-mono').innerText())?.[1]);
  await first.getByTestId('rule-edit').click();
  const editor = page.getByTestId('rule-dialog');
  await expect(editor).toBeVisible();
  const explanation = editor.locator('textarea').last();
  await explanation.fill(`${await explanation.inputValue()}（浏览器测试修订）`);
  await editor.getByTestId('rule-save').click();
  await expect(editor).toBeHidden();
  await expect(first.locator('.fq-mono')).toContainText(`v${version + 1}`);

  await page.goto('/admin/clocks');
  await expect(page.getByTestId('clocks-law')).toContainText('劳动争议调解仲裁法');
  await expect(page.getByTestId('clocks-targets')).toContainText('内部目标');
  await screenshot(page, 'legal-clocks');

  await page.goto('/admin/calendar/2026');
  await expect(page.getByTestId('calendar-summary')).toContainText('工作日');
  await expect(page.locator('[data-date="2026-10-01"]')).toHaveAttribute('data-kind', 'holiday');
  await expect(page.locator('[data-date="2026-01-04"]')).toHaveAttribute('data-kind', /workday/);
  await expect(page.getByTestId('calendar-holiday').first()).toBeVisible();
  await screenshot(page, 'calendar');
  // An unpublished year is refused, not guessed.
  await page.goto('/admin/calendar/2027');
  await expect(page.getByTestId('calendar-refused')).toBeVisible();
  expect(problems.filter((p) => !/status of (401|422)/.test(p))).toEqual([]);
});

test('the supervision view lists overdue work or says there is none', async ({ page }) => {
  await login(page, 'district_commander');
  await page.getByTestId('nav').getByText('矛盾纠纷').click();
  await page.getByTestId('nav').getByText('时限督办').click();
  await expect(page).toHaveURL(/\/disputes\/overdue$/);
  await expect(page.getByTestId('overdue-table')).toBeVisible();
  await screenshot(page, 'dispute-supervision');
});
