import { test, expect, holdBackScripts, signIn, waitForHydration } from './fixtures';
import type { Browser, Page } from '@playwright/test';
import path from 'node:path';

const PHOTO = path.join(__dirname, '..', 'fixtures', 'pothole.jpg');

/// A staff member's own phone: a separate browser context, from its own address.
async function staffPage(browser: Browser, phone: string, address: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    extraHTTPHeaders: { 'x-forwarded-for': address },
    // A service worker would fetch the script bundle out of a route's reach (see the slow network).
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  await signIn(page, phone);
  return page;
}

/// Opens an action's form on the staff case page.
async function openAction(page: Page, action: string) {
  const form = page.getByTestId(`action-${action}`);
  await form.locator('summary').click();
  return form;
}

test.describe('the city workflow', () => {
  test.use({
    viewport: { width: 390, height: 844 },
    // The refused action answers 422 on purpose.
    allowedConsole: [/status of 422 \(Unprocessable Entity\) @ \S+\/staff\/case\/XM-\S+$/],
  });

  test('operator registers and dispatches, department records a result with a photo, inspector passes, the resident sees each step and rates', async ({ page, browser }) => {
    // A resident reports cooking fumes (城管执法局, 3 working days) from the lists.
    await signIn(page, '137 0000 0002');
    await page.goto('/report');
    await waitForHydration(page);
    await page.getByText('无法使用地图？').click();
    await page.locator('#community').selectOption('350203001001');
    await page.locator('#address').fill('中山路 8 号');
    await page.locator('#category').selectOption('S0501');
    await page.locator('#description').fill('楼下烧烤店油烟很大，窗户都不能开。');
    await page.getByTestId('report-submit').click();
    const code = (await page.getByTestId('tracking-code').textContent())!.trim();
    expect(code).toMatch(/^XM-\d{4}-\d{6}$/);
    const casePage = page.url();

    // The operator finds it in the queue and registers it with a one-tap reply.
    const operator = await staffPage(browser, '13900000012', '10.201.0.1');
    await operator.goto('/staff');
    await operator.getByTestId('queue-operator').locator(`li[data-code="${code}"] a`).click();
    await expect(operator.getByTestId('staff-state')).toHaveText('待受理');
    await waitForHydration(operator);
    const register = await openAction(operator, 'register');
    await register.locator('button.template').first().click();
    await expect(register.locator('textarea[name="public_reply"]')).toHaveValue(/已受理立案/);
    await register.getByTestId('do-register').click();
    await expect(operator.getByTestId('staff-done')).toBeVisible();
    await expect(operator.getByTestId('staff-state')).toHaveText('已立案，待派遣');

    // Dispatching without a public reply is refused and says so; then it goes through. The refusal
    // comes back on a slow network: the reply is typed before the page's script has run, and
    // hydration must not wipe it.
    await holdBackScripts(operator);
    let dispatch = await openAction(operator, 'dispatch');
    await dispatch.getByTestId('do-dispatch').click();
    await expect(operator.getByTestId('staff-errors')).toContainText('请填写公开答复。');
    dispatch = operator.getByTestId('action-dispatch');
    const reply = dispatch.locator('textarea[name="public_reply"]');
    await reply.fill('已派遣城管执法局，3 个工作日内处置。');
    await waitForHydration(operator);
    await operator.unroute(/\.wasm$/);
    await expect(reply).toHaveValue('已派遣城管执法局，3 个工作日内处置。');
    await dispatch.getByTestId('do-dispatch').click();
    await expect(operator.getByTestId('staff-state')).toHaveText('处置中');
    await expect(operator.getByTestId('staff-department')).toHaveText('城市管理行政执法局');

    // The department records the result with a photo.
    const department = await staffPage(browser, '13900000006', '10.201.0.2');
    await department.goto('/staff');
    await department.getByTestId('queue-department').locator(`li[data-code="${code}"] a`).click();
    const result = await openAction(department, 'record_result');
    await result.locator('textarea[name="public_reply"]').fill('已责令店主加装油烟净化设备，现场已整改。');
    await result.locator('input[type="file"]').setInputFiles(PHOTO);
    await result.getByTestId('do-record_result').click();
    await expect(department.getByTestId('staff-state')).toHaveText('待核查');
    await expect(department.getByTestId('staff-timeline').locator('img.case-photo')).toHaveCount(1);

    // The inspector passes it, which closes the case with a public reply.
    const inspector = await staffPage(browser, '13900000007', '10.201.0.3');
    await inspector.goto('/staff');
    await inspector.getByTestId('queue-inspector').locator(`li[data-code="${code}"] a`).click();
    const pass = await openAction(inspector, 'pass');
    await pass.locator('textarea[name="public_reply"]').fill('经现场核查，油烟问题已整改到位，予以结案。');
    await pass.getByTestId('do-pass').click();
    await expect(inspector.getByTestId('staff-state')).toHaveText('已结案');

    // The resident sees every step with its public reply, and rates once.
    await page.goto(casePage.replace(/[?&]new=1/, ''));
    await expect(page.getByTestId('case-stage')).toHaveText('结案');
    const timeline = page.locator('ol.timeline');
    await expect(timeline.locator('li[data-action="register"]')).toContainText('已受理立案');
    await expect(timeline.locator('li[data-action="dispatch"]')).toContainText('已派遣城管执法局');
    await expect(timeline.locator('li[data-action="record_result"]')).toContainText('加装油烟净化设备');
    await expect(timeline.locator('li[data-action="record_result"] img.case-photo')).toHaveCount(1);
    await expect(timeline.locator('li[data-action="pass"]')).toContainText('予以结案');
    await page.getByTestId('rate-satisfied').click();
    await expect(page.getByTestId('rated')).toHaveText('感谢你的评价！');
    await expect(page.getByTestId('rate')).toHaveCount(0);
    await expect(timeline.locator('li[data-action="rate_satisfied"]')).toContainText('评价：满意');

    // A signed-out visitor sees the replies but never the resident's phone or notes.
    const visitor = await browser.newContext();
    const anon = await visitor.newPage();
    await anon.goto(`/case/${code}`);
    await expect(anon.locator('ol.timeline')).toContainText('予以结案');
    await expect(anon.getByTestId('rate')).toHaveCount(0);
    await visitor.close();
    for (const p of [operator, department, inspector]) await p.context().close();
  });

});

test.describe('the performance board without JavaScript', () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });

  test('shows each district with its figures, a chart and a CSV of the same table', async ({ page, request }) => {
    await page.goto('/track');
    await page.getByTestId('board-link').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('办理绩效榜（共评）');
    const table = page.getByTestId('board');
    await expect(table.locator('tbody tr')).toHaveCount(6);
    await expect(table.locator('tfoot tr')).toContainText('全市');
    // The demo city has months of cases: the city's on-time rate is a real figure.
    await expect(table.locator('tfoot [data-testid="on-time"]')).toHaveText(/^\d+\.\d% \(\d+\/\d+\)$/);
    await expect(page.getByTestId('board-chart').locator('rect.chart-bar')).toHaveCount(6);
    // Streets of an earlier month.
    const months = page.locator('#board-month option');
    const earlier = await months.nth(2).getAttribute('value');
    await page.locator('#board-month').selectOption(earlier!);
    await page.locator('#board-level').selectOption('street');
    await page.getByRole('button', { name: '查看' }).click();
    await expect(page).toHaveURL(new RegExp(`month=${earlier}&level=street`));
    await expect(table.locator('tbody tr')).toHaveCount(12);
    const csvUrl = await page.getByTestId('board-csv').getAttribute('href');
    const csv = await (await request.get(csvUrl!)).text();
    const lines = csv.trim().split('\n');
    expect(lines[0]).toContain('code,name_zh,name_en,received');
    expect(lines).toHaveLength(12 + 2);
    expect(lines[13]).toMatch(/^city,全市,City,/);
  });
});
