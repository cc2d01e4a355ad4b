import { test as base, expect, Page } from '@playwright/test';

// Every test fails on a console error or warning (hydration mismatches, CSP violations, 404s of
// assets) or an uncaught exception in the page.
// A test that expects a particular message (a page that answers 404 logs that status) lists it in
// `allowedConsole`.
export const test = base.extend<{ allowedConsole: RegExp[]; consoleProblems: string[] }>({
  // Each test comes from its own client address (the server trusts this header from 127.0.0.1, see
  // playwright.config.ts), so per-address limits such as 5 login codes a minute apply per test.
  extraHTTPHeaders: async ({}, use, testInfo) => {
    let h = 0;
    for (const c of testInfo.titlePath.join('/')) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    await use({ 'x-forwarded-for': `10.${(h >> 16) & 255}.${(h >> 8) & 255}.${h & 255}` });
  },
  allowedConsole: [[], { option: true }],
  consoleProblems: [
    async ({ page, allowedConsole }, use) => {
      const problems: string[] = [];
      page.on('console', (msg) => {
        const text = `${msg.type()}: ${msg.text()} @ ${msg.location().url}`;
        if ((msg.type() === 'error' || msg.type() === 'warning') && !allowedConsole.some((re) => re.test(text))) {
          problems.push(text);
        }
      });
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      await use(problems);
      expect(problems, 'console errors or warnings').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/// Holds the WASM bundle back for `ms`, as a weak network does, so the server's page can be used
/// before hydration. (Block service workers in the context: one would fetch the bundle itself.)
export async function holdBackScripts(page: Page, ms = 2000) {
  await page.route(/\.wasm$/, async (route) => {
    await new Promise((done) => setTimeout(done, ms));
    await route.continue();
  });
}

/// Waits until the page's islands are hydrated (at once on a page without any: it loads no WASM).
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => (window as any).__linliHydrated === true, null, { timeout: 30_000 });
}

/// Signs in with a demo number: the login page shows the one-time code in demo mode. (Each number
/// may get one code a minute, so tests do not share numbers.)
export async function signIn(page: Page, phone: string) {
  await page.goto('/login');
  await page.getByLabel('手机号').fill(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  const demo = page.getByTestId('demo-code');
  await expect(demo).toBeVisible();
  const code = await demo.getAttribute('data-code');
  expect(code).toMatch(/^\d{6}$/);
  await page.getByLabel('6 位验证码').fill(code!);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(/\/me$/);
}
