// The grid map, base data (一库) and grid index (网格指数) screens against a fresh demo server:
// drill down from the city to a grid of 鼓楼街道 and read its card (worker, base-data counts, open
// events); move one vertex of its polygon and save it, then try an edit the server refuses and
// read its reason; search the registry as a grid worker, reveal an ID number with a reason, and
// import an xlsx with one good and one bad row; and read the ranking with its formula and the
// month-on-month change a manual assessment item makes. Screenshots land in target/screenshots/.
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, login, screenshot, watchConsole } from './helpers';

test.describe.configure({ mode: 'serial' });

const STREET = '339902001';

/** Console problems other than the 401 of asking who is logged in before the login. */
function unexpected(problems: string[]): string[] {
  return problems.filter((p) => !/status of 401/.test(p));
}

async function noToasts(page: Page): Promise<void> {
  await expect(page.locator('.el-message')).toHaveCount(0, { timeout: 15_000 });
}

/** A bearer token for direct API calls that set the scene or read the truth behind a screen. */
async function token(page: Page, username: string): Promise<string> {
  const res = await page.request.post('/api/v1/auth/login', { data: { username, password: DEMO_PASSWORD } });
  expect(res.ok()).toBeTruthy();
  return ((await res.json()) as { token: string }).token;
}

async function apiGet<T>(page: Page, bearer: string, url: string): Promise<T> {
  const res = await page.request.get(url, { headers: { Authorization: `Bearer ${bearer}` } });
  expect(res.ok(), `${url} → ${res.status()}`).toBeTruthy();
  return (await res.json()) as T;
}

interface RegionRow { code: string; name: string; level: string; parent_code: string | null; path: string; geometry: { type: string; coordinates: number[][][] } | null }
interface EventRow { grid_code: string | null; title: string }
interface Summary { grid: RegionRow; workers: { display_name: string; username: string }[]; events: { open: number }; parents: { code: string; name: string }[] }
interface Counts { kinds: { kind: string; count: number; label_zh: string }[] }

// ---- a small xlsx writer: stored (uncompressed) zip entries, inline strings ----

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
function zip(files: [string, string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of files) {
    const data = Buffer.from(text, 'utf8');
    const fileName = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(0, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
function xml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}
function xlsx(rows: string[][]): Buffer {
  const col = (i: number) => String.fromCharCode(65 + i);
  const sheetRows = rows
    .map((cells, r) => `<row r="${r + 1}">${cells.map((v, i) => `<c r="${col(i)}${r + 1}" t="inlineStr"><is><t>${xml(v)}</t></is></c>`).join('')}</row>`)
    .join('');
  const ns = 'http://schemas.openxmlformats.org';
  return zip([
    ['[Content_Types].xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="${ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`],
    ['_rels/.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    ['xl/workbook.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${ns}/officeDocument/2006/relationships"><sheets><sheet name="人口" sheetId="1" r:id="rId1"/></sheets></workbook>`],
    ['xl/_rels/workbook.xml.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`],
    ['xl/worksheets/sheet1.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${ns}/spreadsheetml/2006/main"><sheetData>${sheetRows}</sheetData></worksheet>`],
  ]);
}

/** A resident ID number with a correct GB 11643 check character. */
function residentId(body17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((s, d, i) => s + Number(d) * (weights[i] ?? 0), 0);
  return body17 + ('10X98765432'[sum % 11] ?? '0');
}

// ---- the grid map ----

/** A grid of 鼓楼街道 with a worker and open events (the demo's events are spread over its grids). */
async function gridWithOpenEvents(page: Page, bearer: string): Promise<Summary> {
  const events = await apiGet<{ items: EventRow[] }>(page, bearer, '/api/v1/grid-events?view=jurisdiction&open_only=true&per_page=100');
  const codes = [...new Set(events.items.map((e) => e.grid_code).filter((c): c is string => !!c && c.startsWith(STREET)))];
  for (const code of codes) {
    const s = await apiGet<Summary>(page, bearer, `/api/v1/grids/${code}`);
    if (s.workers.length > 0 && s.events.open > 0) return s;
  }
  throw new Error('no grid of 鼓楼街道 with a worker and open events in the demo');
}

test('grid map: drill down from the city to a grid and read its card', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, 'admin');
  const bearer = await token(page, 'admin');
  const target = await gridWithOpenEvents(page, bearer);
  const counts = await apiGet<Counts>(page, bearer, `/api/v1/grids/${target.grid.code}/base-data/counts`);
  // parents: city, district, street, community.
  const [city, district, street, community] = target.parents;
  expect(community, 'a grid has four parents').toBeTruthy();

  await page.goto('/grid/map');
  await expect(page.getByTestId('grid-map')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('grid-crumbs')).toContainText(city!.name);
  await screenshot(page, 'gridmap-01-city');

  // City → district → street by clicking the regions on the map; street → community from the list.
  for (const step of [district!, street!]) {
    // The middle of a district's bounding box need not lie inside it: the click goes to the path itself.
    await page.locator(`path.fq-region-${step.code}`).dispatchEvent('click');
    await expect(page.getByTestId('grid-crumbs')).toContainText(step.name);
    await expect(page.getByTestId('grid-map')).toHaveAttribute('data-ready', 'true');
  }
  await page.getByTestId('grid-children').getByText(community!.name, { exact: true }).click();
  await expect(page.getByTestId('grid-crumbs')).toContainText(community!.name);
  await expect(page.getByTestId('grid-children')).toContainText(target.grid.name);
  await screenshot(page, 'gridmap-02-community');

  // The grid on the map opens its card.
  await page.locator(`path.fq-region-${target.grid.code}`).click();
  const card = page.getByTestId('grid-card');
  await expect(card.getByTestId('grid-card-name')).toHaveText(target.grid.name);
  await expect(card.getByTestId('grid-worker').first()).toContainText(target.workers[0]!.display_name);
  for (const k of counts.kinds) {
    await expect(card.locator(`[data-kind="${k.kind}"]`)).toContainText(String(k.count));
  }
  await expect(card).toContainText(`未办结事件（${target.events.open}）`);
  await expect(card.getByTestId('grid-open-event')).toHaveCount(Math.min(5, target.events.open));
  await noToasts(page);
  await screenshot(page, 'gridmap-03-grid-card');

  // Breadcrumb back up to the street, then the card's link to the queue filtered by the grid.
  await page.getByTestId('grid-crumbs').locator(`a[data-code="${street!.code}"]`).click();
  await expect(page.getByTestId('grid-children')).toContainText(community!.name);
  await page.goto(`/grid/map?grid=${target.grid.code}&at=${community!.code}`);
  await page.getByTestId('grid-card-queue').click();
  await expect(page).toHaveURL(new RegExp(`/grid/events\\?.*grid=${target.grid.code}`));
  await expect(page.getByTestId('event-table').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('event-table').locator('tbody tr')).toHaveCount(Math.min(20, target.events.open));

  // Locate a point: the middle of the grid is in the grid.
  await page.goto(`/grid/map?at=${community!.code}`);
  await expect(page.getByTestId('grid-map')).toHaveAttribute('data-ready', 'true');
  await page.getByTestId('grid-locate').click();
  await page.locator(`path.fq-region-${target.grid.code}`).click();
  await expect(page.getByTestId('grid-located-item').first()).toContainText(target.grid.name);
  await screenshot(page, 'gridmap-04-locate');
  expect(unexpected(problems)).toEqual([]);
});

test('grid map: move a vertex and save, then a refused edit shows its reason', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, 'admin');
  const bearer = await token(page, 'admin');
  const target = await gridWithOpenEvents(page, bearer);
  const community = target.parents[3]!;
  const before = await apiGet<{ version: number }[]>(page, bearer, `/api/v1/grids/${target.grid.code}/geometry/history`);

  await page.goto(`/grid/map?at=${community.code}&grid=${target.grid.code}`);
  await expect(page.getByTestId('grid-card-name')).toHaveText(target.grid.name);
  await page.getByTestId('grid-edit-boundary').click();
  await expect(page.getByTestId('grid-edit-bar')).toBeVisible();
  const vertices = page.locator('.fq-vertex');
  await expect(vertices.first()).toBeVisible();
  expect(await vertices.count()).toBeGreaterThanOrEqual(3);

  // Drag the first vertex a fifth of the way towards the grid's middle: still inside the community.
  const shape = await page.locator(`path.fq-region-${target.grid.code}`).boundingBox();
  const v0 = await vertices.first().boundingBox();
  if (!shape || !v0) throw new Error('grid or vertex not drawn');
  const from = { x: v0.x + v0.width / 2, y: v0.y + v0.height / 2 };
  const middle = { x: shape.x + shape.width / 2, y: shape.y + shape.height / 2 };
  const to = { x: from.x + (middle.x - from.x) * 0.2, y: from.y + (middle.y - from.y) * 0.2 };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByTestId('grid-save-boundary')).toBeEnabled();
  await screenshot(page, 'gridmap-05-editing');
  await page.getByTestId('grid-save-boundary').click();
  await expect(page.locator('.el-message--success')).toContainText('边界已保存');
  await expect(page.getByTestId('grid-edit-bar')).toHaveCount(0);
  const after = await apiGet<{ version: number }[]>(page, bearer, `/api/v1/grids/${target.grid.code}/geometry/history`);
  expect(after.length).toBeGreaterThan(before.length);
  const saved = await apiGet<RegionRow>(page, bearer, `/api/v1/regions/${target.grid.code}`);
  const oldFirst = target.grid.geometry!.coordinates[0]![0]!;
  const newFirst = saved.geometry!.coordinates[0]![0]!;
  expect(newFirst).not.toEqual(oldFirst);
  await noToasts(page);

  // Now drag the first vertex across the far edge (between the third and fourth vertices) and on
  // beyond it: the ring crosses itself (and leaves the community); the server refuses and says why.
  await page.getByTestId('grid-edit-boundary').click();
  const handles = page.locator('.fq-vertex');
  expect(await handles.count()).toBeGreaterThanOrEqual(4);
  const centreOf = async (i: number) => {
    const b = await handles.nth(i).boundingBox();
    if (!b) throw new Error(`vertex ${i} not drawn`);
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  };
  const [p0, p2, p3] = [await centreOf(0), await centreOf(2), await centreOf(3)];
  const box = await page.locator(`path.fq-region-${target.grid.code}`).boundingBox();
  if (!box) throw new Error('grid not drawn');
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const edgeMiddle = { x: (p2.x + p3.x) / 2, y: (p2.y + p3.y) / 2 };
  const beyond = { x: edgeMiddle.x + (edgeMiddle.x - centre.x) * 0.6, y: edgeMiddle.y + (edgeMiddle.y - centre.y) * 0.6 };
  await page.mouse.move(p0.x, p0.y);
  await page.mouse.down();
  await page.mouse.move(beyond.x, beyond.y, { steps: 10 });
  await page.mouse.up();
  await page.getByTestId('grid-save-boundary').click();
  const refusal = page.getByTestId('grid-save-error');
  await expect(refusal).toContainText('边界未保存');
  await expect(refusal).toContainText('geometry');
  await expect(refusal).toContainText(/outside_parent|self_intersection/);
  await expect(refusal).toContainText(/超出上级社区|自相交/);
  await screenshot(page, 'gridmap-06-refused');
  const unchanged = await apiGet<{ version: number }[]>(page, bearer, `/api/v1/grids/${target.grid.code}/geometry/history`);
  expect(unchanged.length).toBe(after.length);
  expect(unexpected(problems).filter((p) => !/status of 422/.test(p))).toEqual([]);
});

// ---- base data ----

test('base data: search, reveal an ID number with a reason, import with a bad row', async ({ page }) => {
  const problems = watchConsole(page);
  const worker = 'gw_339902001001001';
  const grid = '339902001001001';
  await login(page, worker);
  const bearer = await token(page, worker);
  const people = await apiGet<{ items: { name: string; id_number_masked: string | null }[]; total: number }>(page, bearer, `/api/v1/base-data?kind=person&grid=${grid}&per_page=50`);
  const person = people.items.find((p) => p.id_number_masked);
  if (!person) throw new Error('no person with an ID number in the demo grid');

  await page.goto('/grid/base-data');
  await expect(page.getByTestId('base-table').locator('tbody tr').first()).toBeVisible();
  await page.getByTestId('base-search').fill(person.name);
  await page.getByTestId('base-search-submit').click();
  const row = page.getByTestId('base-table').locator('tbody tr', { hasText: person.name }).filter({ hasText: person.id_number_masked! }).first();
  await expect(row.getByTestId('base-id-masked')).toHaveText(person.id_number_masked!);
  expect(person.id_number_masked).toContain('*');
  await screenshot(page, 'gridmap-07-base-search');

  await row.getByTestId('base-reveal-id').click();
  const dialog = page.getByTestId('base-reveal-dialog');
  await dialog.getByTestId('base-reveal-confirm').click();
  await expect(dialog).toContainText('请填写查看理由');
  await dialog.getByTestId('base-reveal-reason').fill('入户走访核实身份信息');
  await dialog.getByTestId('base-reveal-confirm').click();
  const value = dialog.getByTestId('base-reveal-value');
  await expect(value).toHaveText(/^\d{17}[\dX]$/);
  // The full number agrees with every character the mask shows.
  const masked = person.id_number_masked!;
  const full = (await value.textContent()) ?? '';
  expect(full).toHaveLength(masked.length);
  expect([...masked].every((c, i) => c === '*' || c === full[i])).toBeTruthy();
  await screenshot(page, 'gridmap-08-base-reveal');
  await page.keyboard.press('Escape');

  // An import: one good person, one with a wrong check digit and an unknown category.
  const stamp = String(Date.now() % 1000).padStart(3, '0');
  const goodName = `测试导入${stamp}`;
  const valid = residentId(`33010219900101${stamp}`);
  const wrongCheckDigit = valid.slice(0, 17) + (valid[17] === '1' ? '2' : '1');
  const file = xlsx([
    ['网格代码', '姓名', '身份证号码', '手机号码', '人口类别', '居住地址'],
    [grid, goodName, residentId(`33010219850315${stamp}`), `139${String(Date.now() % 100000000).padStart(8, '0')}`, '流动人口', '鼓楼社区解放路 5 幢 101'],
    [grid, '错误样例', wrongCheckDigit, '13800138000', '火星人口', '鼓楼社区解放路 5 幢 102'],
  ]);
  await page.getByTestId('base-import').click();
  const imp = page.getByTestId('base-import-dialog');
  await imp.getByTestId('base-import-file').setInputFiles({ name: '人口导入.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
  await imp.getByTestId('base-import-submit').click();
  await expect(imp.getByTestId('base-import-summary')).toContainText('已写入 1 行');
  await expect(imp.getByTestId('base-import-summary')).toContainText('未通过 1 行');
  const errors = imp.getByTestId('base-import-errors');
  await expect(errors.locator('tbody tr').first()).toContainText('3');
  await expect(errors).toContainText('身份证号码');
  await expect(errors).toContainText('人口类别');
  await screenshot(page, 'gridmap-09-base-import');
  await page.keyboard.press('Escape');

  // The imported person is in the registry, with its history.
  await page.getByTestId('base-search').fill(goodName);
  await page.getByTestId('base-search-submit').click();
  const imported = page.getByTestId('base-table').locator('tbody tr', { hasText: goodName });
  await expect(imported).toHaveCount(1);
  await imported.getByTestId('base-history').click();
  await expect(page.getByTestId('base-history-drawer').getByTestId('base-history-entry').first()).toContainText('导入');
  await page.keyboard.press('Escape');

  // The visits tab: the demo's campaign with its figures.
  await page.getByRole('tab', { name: '走访' }).click();
  await expect(page.getByTestId('visit-summary')).toBeVisible();
  await expect(page.getByTestId('visit-summary')).toContainText('问题解决率');
  await expect(page.getByTestId('visit-table').locator('tbody tr').first()).toBeVisible();
  await screenshot(page, 'gridmap-10-visits');
  expect(unexpected(problems)).toEqual([]);
});

// ---- grid index ----

interface Ranking { month: string; items: { grid_code: string; grid_name: string; change: number; duties: { duty: string; score: number; weight: number; label_zh: string }[] }[] }

test('grid index: formula, ranking and the month-on-month change of a manual item', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, 'admin');
  const bearer = await token(page, 'admin');
  const before = await apiGet<Ranking>(page, bearer, `/api/v1/grid-index?under=${STREET}`);
  const entry = before.items[0]!;
  // A deduction of 2 on the duty it scores most in moves the total by exactly −2 (no clamping).
  const duty = [...entry.duties].sort((a, b) => b.score - a.score)[0]!;
  expect(duty.score).toBeGreaterThanOrEqual(2);
  const expected = Math.round((entry.change - 2) * 100) / 100;

  await page.goto(`/grid/index?under=${STREET}`);
  const table = page.getByTestId('index-table');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await expect(table.getByTestId('index-grid')).toHaveCount(before.items.length);
  await page.getByTestId('index-formula-toggle').click();
  const formula = page.getByTestId('index-formula');
  await expect(formula).toContainText('源头信息采集');
  await expect(formula).toContainText('满分 100 分');
  await screenshot(page, 'gridmap-11-index-formula');
  await page.getByTestId('index-formula-toggle').click();

  await page.getByTestId('index-assess').click();
  const dialog = page.getByTestId('index-assess-dialog');
  await dialog.getByTestId('assess-grid').click();
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^${entry.grid_name}$`) }).click();
  await dialog.getByTestId('assess-duty').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: duty.label_zh }).first().click();
  await dialog.getByTestId('assess-points').locator('input').fill('-2');
  await dialog.getByTestId('assess-points').locator('input').blur();
  await dialog.getByTestId('assess-reason').fill('月度督查发现台账不全，扣分');
  await dialog.getByTestId('assess-save').click();
  await expect(page.locator('.el-message--success')).toContainText('考核项已录入');

  const row = table.locator('tbody tr').filter({ has: page.getByTestId('index-grid').getByText(entry.grid_name, { exact: true }) });
  const change = row.getByTestId('index-change');
  await expect(change).toHaveAttribute('data-change', String(Number(expected.toFixed(2))));
  await expect(change).toContainText(expected > 0 ? '▲' : expected < 0 ? '▼' : '—');
  await expect(change).toHaveClass(expected > 0 ? /fq-up/ : expected < 0 ? /fq-down/ : /fq-flat/);
  await noToasts(page);
  await screenshot(page, 'gridmap-12-index-ranking');
  expect(unexpected(problems)).toEqual([]);
});
