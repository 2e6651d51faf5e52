// The command centre's alert inbox against a fresh demo server: the district commander has the
// inbox open; window staff file a neighbour dispute and, days later in the story, a second one
// between the same parties with threats in it; the 民转刑 rule raises a red alert that appears
// in the open inbox without a reload (banner and row), and the commander signs for it, records
// the handling and the feedback, and closes it. Screenshots land in target/screenshots/.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { DEMO_PASSWORD, login, screenshot, watchConsole } from './helpers';

const COMMUNITY = '339902001001';
const RUN = Date.now() % 100000;
const RESPONDENT = `邻居周某${RUN}`;
const PHONE = `139${String(RUN).padStart(8, '0')}`;

async function token(request: APIRequestContext, username: string): Promise<string> {
  const res = await request.post('/api/v1/auth/login', { data: { username, password: DEMO_PASSWORD } });
  expect(res.ok()).toBeTruthy();
  return ((await res.json()) as { token: string }).token;
}

async function fileDispute(request: APIRequestContext, bearer: string, facts: string): Promise<void> {
  const res = await request.post('/api/v1/disputes', {
    headers: { Authorization: `Bearer ${bearer}` },
    data: {
      title: `与${RESPONDENT}的邻里纠纷`, dispute_type: 'neighbour', facts, claims: '请求调解。', amount_fen: 0,
      region_code: COMMUNITY, channel: 'window',
      parties: [
        { role: 'applicant', kind: 'person', name: '钱大伯', phone: PHONE },
        { role: 'respondent', kind: 'person', name: RESPONDENT },
      ],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
}

test('an alert raised by a new filing reaches the open inbox live and is worked to closure', async ({ page, request }) => {
  await login(page, 'district_commander');
  // Watched from here: the login page's session probe answers 401 by design.
  const problems = watchConsole(page);
  await page.goto('/command/alerts');
  await expect(page.getByTestId('feed-state')).toContainText('实时推送中');
  await expect(page.getByTestId('alert-table')).toBeVisible();

  const intake = await token(request, 'street_intake');
  await fileDispute(request, intake, `${RESPONDENT}在楼道堆放杂物，多次协商未果。`);
  await fileDispute(request, intake, `${RESPONDENT}仍不清理，钱大伯扬言要砍死他，大不了同归于尽。`);

  // No reload: the banner and the row arrive over the live feed.
  const banner = page.getByTestId('red-banner').filter({ hasText: '民转刑风险' });
  await expect(banner).toBeVisible({ timeout: 15_000 });
  const row = page.getByTestId('alert-table').locator('tr', { hasText: '民转刑风险' }).first();
  await expect(row).toBeVisible();
  await screenshot(page, 'alert-inbox-live');

  await row.click();
  const detail = page.getByTestId('alert-detail');
  await expect(detail.getByTestId('alert-status')).toHaveText('待签收');
  await expect(detail.getByTestId('alert-explanation')).toContainText('同归于尽');
  await detail.getByTestId('alert-action-sign').click();
  await expect(detail.getByTestId('alert-status')).toHaveText('处置中');

  await detail.getByTestId('alert-action-handle').click();
  await page.getByTestId('alert-text').fill('社区民警与人民调解员上门，双方情绪已稳定，约定次日调解。');
  await page.getByTestId('alert-submit').click();
  await expect(detail.getByTestId('alert-status')).toHaveText('待反馈');

  await detail.getByTestId('alert-action-feedback').click();
  await page.getByTestId('alert-text').fill('已调解成功，杂物清理完毕，签订人民调解协议。');
  await page.getByTestId('alert-submit').click();
  await expect(detail.getByTestId('alert-status')).toHaveText('待办结');

  await detail.getByTestId('alert-action-close').click();
  await expect(detail.getByTestId('alert-status')).toHaveText('已办结');
  await expect(detail.locator('.el-timeline-item')).toHaveCount(5);
  await screenshot(page, 'alert-closed');
  expect(problems).toEqual([]);
});
