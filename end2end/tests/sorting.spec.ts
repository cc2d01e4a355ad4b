import { test, expect, signIn, waitForHydration } from './fixtures';
import AxeBuilder from '@axe-core/playwright';

test.describe('which bin?', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('a resident finds 电池 by name and by its pinyin initials, and an unknown item is answered kindly', async ({ page }) => {
    await page.goto('/sorting');
    const box = page.getByRole('searchbox');
    await box.fill('电池');
    await page.getByTestId('which-bin-search').click();
    const answers = page.getByTestId('which-bin-answers');
    await expect(answers.locator('li').first()).toContainText('电池');
    await expect(answers.locator('li').first()).toContainText('有害垃圾');
    await expect(answers.locator('li').first()).toHaveClass(/answer-red/);

    await page.getByRole('searchbox').fill('dc');
    await page.getByTestId('which-bin-search').click();
    await expect(page).toHaveURL(/q=dc/);
    await expect(page.getByTestId('which-bin-answers').locator('li').first()).toContainText('电池');

    await page.getByRole('searchbox').fill('月球土壤');
    await page.getByTestId('which-bin-search').click();
    await expect(page.getByTestId('which-bin-none')).toContainText('请问问你的督导员');
  });

  test('a resident sees the collection points of a community, with their bins and whether they are open now', async ({ page }) => {
    await page.goto('/sorting');
    await page.locator('#points-community').selectOption('350203001001');
    await page.getByTestId('points-show').click();
    const points = page.getByTestId('points').locator('li');
    await expect(points).toHaveCount(2);
    await expect(points.first()).toContainText('中山社区1号分类投放点');
    await expect(points.first()).toContainText('07:00-09:00');
    await expect(points.first().getByTestId('point-state')).toHaveText(/开放中，至|开放$|今天已结束/);
    await expect(points.first().locator('.bin-chip')).toHaveCount(4);
  });
});

test.describe('a volunteer on shift', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('logs a shift with +1 taps and an issue photo, and the community figures reflect it', async ({ page }) => {
    const PHOTO = require('node:path').join(__dirname, '..', 'fixtures', 'pothole.jpg');
    // The community's figures before: the demo has six months of shifts, none today.
    const figures = async () => {
      await page.goto('/sorting?c=350203001002#points');
      const rows = page.getByTestId('rates').locator('li');
      const pair = async (i: number) => {
        const m = (await rows.nth(i).textContent())!.match(/\((\d+)\/(\d+)\)/);
        return m ? [Number(m[1]), Number(m[2])] : [0, 0];
      };
      return { participation: await pair(0), accuracy: await pair(1) };
    };
    const before = await figures();
    // 镇海社区's volunteer (the second community in code order).
    await signIn(page, '13900030002');
    await page.goto('/sorting/shift');
    await waitForHydration(page);
    // The form a volunteer uses with one hand must work with a screen reader too.
    const axe = await new AxeBuilder({ page }).analyze();
    const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    expect(bad).toEqual([]);
    const china = new Date(Date.now() + 8 * 3600_000);
    const today = china.toISOString().slice(0, 10);
    await page.locator('input[name="date"]').fill(today);
    if (china.getUTCHours() >= 9) {
      // This morning's window, already over.
      await page.locator('input[name="start"]').fill('07:00');
      await page.locator('input[name="end"]').fill('08:00');
    } else {
      // Too early for a finished window today: a short shift after midnight, with its reason.
      await page.locator('input[name="start"]').fill('00:00');
      await page.locator('input[name="end"]').fill('00:02');
      await page.locator('input[name="reason"]').fill('夜间巡查');
    }
    for (let i = 0; i < 4; i++) await page.getByTestId('plus-households').click();
    await page.getByRole('button', { name: '−1 来投放的户数' }).click();
    await expect(page.locator('#count-households')).toHaveValue('3');
    await page.getByTestId('plus-recyclable_ok').click();
    await page.getByTestId('plus-recyclable_ok').click();
    await page.getByTestId('plus-kitchen_bad').click();
    await page.locator('select[name="issue_kind"]').selectOption('overflowing');
    await page.locator('input[name="issue_note"]').fill('厨余桶满了');
    await page.locator('input[name="photo"]').setInputFiles(PHOTO);
    await page.getByTestId('shift-submit').click();
    await expect(page.getByTestId('shift-done')).toBeVisible();
    await expect(page.getByTestId('shift-history')).toContainText('3 户');
    await expect(page.getByTestId('shift-history')).toContainText('正确 2/3');

    // Today's count at this point (3 of its 160 households) and the 3 inspected drops are added.
    const after = await figures();
    expect(after.participation).toEqual([before.participation[0] + 3, before.participation[1] + 160]);
    expect(after.accuracy).toEqual([before.accuracy[0] + 2, before.accuracy[1] + 3]);
  });
});

test('the 红黑榜 ranks a street\'s communities and each community shows its twelve months', async ({ page }) => {
  await page.goto('/sorting/ranking');
  await page.locator('#ranking-area').selectOption('350203001');
  await page.getByTestId('ranking-show').click();
  await expect(page.getByTestId('city-figure')).toContainText('全市');
  const ranked = page.getByTestId('ranked').locator('tbody tr');
  const unranked = page.getByTestId('unranked').locator('tbody tr');
  expect((await ranked.count()) + (await unranked.count())).toBe(2);
  await page.getByTestId('area-figure').waitFor();
  // No community is on both the red and the black list, and the black list has ranks.
  const names = async (testid: string) =>
    (await page.getByTestId(testid).locator('tbody th').allTextContents().catch(() => [])) as string[];
  const red = (await page.getByTestId('red-list').count()) ? await names('red-list') : [];
  const black = (await page.getByTestId('black-list').count()) ? await names('black-list') : [];
  expect(red.filter((n) => black.includes(n))).toEqual([]);
  for (const rank of await page.getByTestId('black-list').locator('tbody td:first-child').allTextContents()) {
    expect(rank).toMatch(/^\d+$/);
  }
  // The month is chosen from a list; this month is marked as still under way.
  expect(await page.locator('#ranking-month option').count()).toBeGreaterThan(0);
  await expect(page.getByTestId('provisional')).toBeVisible();
  // A month without any logged shift says so instead of showing empty tables.
  await page.goto('/sorting/ranking?area=350203001&month=2001-01');
  await expect(page.getByTestId('no-data')).toContainText('2001-01');
  await expect(page.getByTestId('ranked')).toHaveCount(0);
  await page.goto('/sorting/community/350203001001');
  await expect(page.getByTestId('trend-chart')).toBeVisible();
  await expect(page.getByTestId('trend-table').locator('tbody tr')).toHaveCount(12);
  await expect(page.getByTestId('issues').locator('li').first()).toBeVisible();
});

test.describe('a volunteer without network', () => {
  test.use({
    viewport: { width: 390, height: 844 },
    // While offline, Chromium logs the requests it could not make.
    allowedConsole: [/ERR_INTERNET_DISCONNECTED/],
  });

  test('a shift logged offline is kept on the phone and sent when the network returns', async ({ page, context }) => {
    // 莲花社区's volunteer (the third community in code order).
    await signIn(page, '13900030003');
    await page.goto('/sorting/shift');
    await waitForHydration(page);
    const china = new Date(Date.now() + 8 * 3600_000);
    await page.locator('input[name="date"]').fill(china.toISOString().slice(0, 10));
    await page.locator('input[name="start"]').fill('00:00');
    await page.locator('input[name="end"]').fill('00:03');
    await page.locator('input[name="reason"]').fill('夜间巡查');
    await page.getByTestId('plus-households').click();
    await page.getByTestId('plus-households').click();

    await context.setOffline(true);
    await page.getByTestId('shift-submit').click();
    const notice = page.locator('#draft-notice');
    await expect(notice).toContainText('这班值守记录已保存在手机上');
    await expect(page).toHaveURL(/\/sorting\/shift$/);

    await context.setOffline(false);
    await expect(notice).toContainText('已联网，保存在手机上的记录已发送', { timeout: 20_000 });
    await notice.locator('a').click();
    await expect(page.getByTestId('shift-history')).toContainText('2 户');
  });
});

test.describe('points near a resident', () => {
  test.use({ viewport: { width: 390, height: 844 }, permissions: ['geolocation'] });

  test('"use my location" lists the nearest points on a map, nearest first, open now or when they open', async ({ page, context }) => {
    // Stand about 50 m north of 镇海社区's second point.
    await page.goto('/sorting?c=350203001002#points');
    const target = page.getByTestId('points').locator('li', { hasText: '镇海社区2号分类投放点' });
    const lat = Number(await target.getAttribute('data-lat'));
    const lng = Number(await target.getAttribute('data-lng'));
    await context.setGeolocation({ latitude: lat + 0.00045, longitude: lng });
    await waitForHydration(page);
    await page.getByTestId('points-near-me').click();
    await expect(page).toHaveURL(/near=/);
    await expect(page.getByTestId('points-near')).toBeVisible();
    const first = page.getByTestId('points').locator('li').first();
    await expect(first).toContainText('镇海社区2号分类投放点');
    await expect(first.getByTestId('point-distance')).toContainText(/约 5\d 米 · 镇海社区/);
    await expect(first.getByTestId('point-state')).toHaveText(/开放中，至|开放$|今天已结束/);
    // The map draws each listed point and the resident.
    await expect(page.getByTestId('points-map')).toHaveAttribute('data-map', 'ready');
    // It has a height of its own (it had none, and showed nothing).
    expect((await page.getByTestId('points-map').boundingBox())?.height ?? 0).toBeGreaterThan(200);
    await expect(page.locator('.linli-point')).toHaveCount(await page.getByTestId('points').locator('li').count());
    await expect(page.locator('.linli-me')).toHaveCount(1);
  });
});

test.describe('a council manages its points', () => {
  test.use({
    viewport: { width: 390, height: 844 },
    // The refused form answers 422 on purpose.
    allowedConsole: [/status of 422 \(Unprocessable Entity\) @ \S+\/sorting\/point$/],
  });

  test('adds a point with its volunteers (a bad window is refused and named), and hands a volunteer\'s issue to a department as a case', async ({ page }) => {
    await signIn(page, '13900000013');
    await page.goto('/sorting?c=350203001002#points');
    await page.getByTestId('point-add').click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('新增投放点 · 镇海社区');
    // The point stands where the map is tapped; the pin starts at the community's centre.
    await waitForHydration(page);
    const map = page.locator('#point-map');
    await expect(map).toHaveAttribute('data-map', 'ready', { timeout: 30_000 });
    await map.click();
    await expect(page.locator('input[name="lat"]')).not.toHaveValue('');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await page.locator('input[name="name"]').fill('3号分类投放点');
    await page.locator('input[name="households"]').fill('80');
    await page.getByLabel('厨余垃圾').check();
    await page.getByLabel('其他垃圾').check();
    await page.locator('input[name="windows"]').fill('07:00-09:00, 20:00-18:00');
    await page.locator('textarea[name="volunteers"]').fill('13900030002');
    await page.getByTestId('point-save').click();
    await expect(page.getByTestId('point-refused')).toContainText('时段“20:00-18:00”的结束早于开始');
    // What was typed is still there.
    await expect(page.locator('input[name="name"]')).toHaveValue('3号分类投放点');
    await page.locator('input[name="windows"]').fill('07:00-09:00, 18:00-20:00');
    await page.getByTestId('point-save').click();
    await expect(page.getByTestId('point-saved')).toBeVisible();
    const added = page.getByTestId('points').locator('li', { hasText: '3号分类投放点' });
    await expect(added).toContainText('07:00-09:00、18:00-20:00');
    await expect(added).toContainText('服务 80 户');
    await expect(added.locator('.bin-chip')).toHaveCount(2);

    // A volunteer's open issue becomes a case for the department, linked from the issue.
    await page.goto('/sorting/community/350203001002#issues');
    const handOver = page.locator('[data-testid^="to-case-"]').first();
    await handOver.click();
    const link = page.getByTestId('issue-case').first();
    await expect(link).toContainText('已立案');
    await link.click();
    await expect(page).toHaveURL(/\/case\//);
    await expect(page.locator('body')).toContainText('督导员值守记录');
  });
});

test('the open-data page offers de-identified downloads under a licence, and the API documents itself', async ({ page }) => {
  await page.goto('/open-data');
  await expect(page.getByRole('link', { name: /CC BY 4.0/ })).toHaveAttribute('rel', 'license');
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  const download = page.waitForEvent('download');
  await page.getByTestId('export-geojson').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^linli-cases-.*\.geojson$/);
  const geo = JSON.parse(require('node:fs').readFileSync(await file.path(), 'utf8'));
  expect(geo.type).toBe('FeatureCollection');
  expect(geo.features.length).toBeGreaterThan(0);
  expect(JSON.stringify(geo)).not.toMatch(/139\d{8}/);
  // The API's docs page runs Swagger UI from our own assets and lists the endpoints.
  await page.goto('/api/v1/docs');
  await expect(page.locator('#swagger')).toContainText('/api/v1/cases', { timeout: 30_000 });
});
