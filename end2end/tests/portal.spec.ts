import AxeBuilder from '@axe-core/playwright';
import { test, expect, waitForHydration } from './fixtures';

const PAGES = ['/', '/map', '/report', '/track', '/consult', '/consult/1', '/consult/2', '/sorting', '/sorting?q=电池', '/sorting/ranking?area=350203001', '/sorting/community/350203001001', '/me', '/login', '/board'];

test('home page is in Chinese by default and shows the city from the store', async ({ page }) => {
  const res = await page.goto('/');
  expect(res?.status()).toBe(200);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('共同缔造 美好家园');
  await expect(page.locator('[data-stat="districts"] .stat-number')).toHaveText('6');
  await expect(page.locator('[data-stat="grids"] .stat-number')).toHaveText('96');
  const nav = page.getByRole('navigation', { name: '主导航' });
  for (const label of ['报事', '进度', '共谋', '分类', '我的']) {
    await expect(nav.getByRole('link', { name: label })).toBeVisible();
  }
});

test('bottom navigation leads to each section and marks where the resident is', async ({ page }) => {
  await page.goto('/');
  await waitForHydration(page);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '分类' }).click();
  await expect(page).toHaveURL(/\/sorting$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('垃圾分四类');
  await expect(page.getByRole('link', { name: '分类' })).toHaveAttribute('aria-current', 'page');
});

test('the English switch translates every page and comes back', async ({ page }) => {
  await page.goto('/report');
  await waitForHydration(page);
  await page.getByTestId('lang-switch').click();
  await expect(page).toHaveURL(/\/report$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Report a problem');
  await expect(page.getByText('Missing or broken manhole cover')).toBeAttached();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A better neighbourhood, built together');
  await waitForHydration(page);
  await page.getByTestId('lang-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

test('large-text mode survives a reload and applies on other pages', async ({ page }) => {
  await page.goto('/');
  const fontSize = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  expect(await fontSize()).toBe('16px');
  await page.getByTestId('text-switch').click();
  await expect(page.locator('html')).toHaveClass(/large-text/);
  expect(await fontSize()).toBe('20px');
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/large-text/);
  expect(await fontSize()).toBe('20px');
  await page.goto('/me');
  await expect(page.getByText('大字模式已开启')).toBeVisible();
  await page.getByTestId('text-switch').click();
  await expect(page.locator('html')).not.toHaveClass(/large-text/);
});

test('the map is created by Leaflet after hydration and draws every grid outline', async ({ page }) => {
  await page.goto('/map');
  const map = page.locator('#city-map');
  await expect(map).toHaveAttribute('data-map', 'ready', { timeout: 30_000 });
  await expect(map).toHaveClass(/leaflet-container/);
  await expect(page.locator('#city-map path.linli-grid')).toHaveCount(96);
  await expect(page.locator('#city-map path.linli-district')).toHaveCount(6);
  // With no tile provider, no tile images are requested: outlines on a plain background.
  await expect(page.locator('#city-map img.leaflet-tile')).toHaveCount(0);
  // Zooming in works (the map is live, not a picture): Leaflet re-projects the outlines.
  const firstGrid = page.locator('#city-map path.linli-grid').first();
  const before = await firstGrid.getAttribute('d');
  await page.locator('.leaflet-control-zoom-in').click();
  await expect.poll(() => firstGrid.getAttribute('d')).not.toBe(before);
});

test('leaving the map page removes the map and coming back creates it again', async ({ page }) => {
  await page.goto('/map');
  await expect(page.locator('#city-map')).toHaveAttribute('data-map', 'ready', { timeout: 30_000 });
  await waitForHydration(page);
  await page.getByRole('link', { name: '报事' }).click();
  await expect(page).toHaveURL(/\/report$/);
  await page.goBack();
  await expect(page.locator('#city-map')).toHaveAttribute('data-map', 'ready', { timeout: 30_000 });
  await expect(page.locator('#city-map path.linli-grid')).toHaveCount(96);
});

test.describe('without JavaScript', () => {
  // The WASM preload hint is unused when scripts are off; Chromium says so.
  test.use({ javaScriptEnabled: false, allowedConsole: [/was preloaded using link preload but not used/] });

  test('pages still show their content', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('[data-stat="grids"] .stat-number')).toHaveText('96');
    await page.goto('/report');
    await expect(page.getByText('夜间烧烤')).toBeAttached();
    await page.goto('/map');
    await expect(page.getByText('思明区')).toBeVisible();
    await expect(page.getByText('上方列表列出了全部区划')).toBeVisible();
    // Preferences are plain links, so they work too.
    await page.getByTestId('lang-switch').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByText('Siming District')).toBeVisible();
  });
});

test.describe('unknown addresses', () => {
  test.use({ allowedConsole: [/status of 404 \(Not Found\) @ \S+\/no-such-page$/] });

  test('get a styled 404 page in the reader\'s language', async ({ page }) => {
  const res = await page.goto('/no-such-page');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面不存在');
  await expect(page.getByRole('link', { name: '返回首页' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
  });
});

for (const lang of ['zh-CN', 'en']) {
  test.describe(`accessibility (${lang})`, () => {
  test.use({ allowedConsole: [/status of 404 \(Not Found\) @ \S+\/no-such-page$/] });
  test(`no serious or critical accessibility violations on any page (${lang})`, async ({ page, context }) => {
    await context.addCookies([{ name: 'linli_lang', value: lang, url: 'http://127.0.0.1' }]);
    for (const path of [...PAGES, '/no-such-page']) {
      await page.goto(path);
      if (path === '/map') {
        await expect(page.locator('#city-map')).toHaveAttribute('data-map', 'ready', { timeout: 30_000 });
      }
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(bad).toEqual([]);
    }
  });
  });
}
