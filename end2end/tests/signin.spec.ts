import { test, expect, signIn } from './fixtures';

test('a resident signs in with the demo code, sees 我的, and signs out', async ({ page }) => {
  await signIn(page, '139 0000 0001');
  await expect(page.getByTestId('signed-in-as')).toHaveText('已登录：139****0001');
  await expect(page.locator('[data-role="resident"]')).toBeVisible();
  await expect(page.getByRole('link', { name: '进入工作台' })).toHaveCount(0);
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/me');
  await expect(page.getByRole('link', { name: '登录' })).toBeVisible();
});

test('signing in from a page that needs an account comes back to that page', async ({ page }) => {
  await page.goto('/sorting/shift');
  await expect(page.getByText('督导员请先登录。')).toBeVisible();
  await page.getByRole('main').getByRole('link', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/login\?next=\/sorting\/shift$/);
  await expect(page.getByTestId('returns-to')).toBeVisible();
  await page.getByLabel('手机号').fill('137 0000 0007');
  await page.getByRole('button', { name: '获取验证码' }).click();
  const code = await page.getByTestId('demo-code').getAttribute('data-code');
  await page.getByLabel('6 位验证码').fill(code!);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(/\/sorting\/shift$/);
  await expect(page.getByText('督导员请先登录。')).toHaveCount(0);
});

test.describe('the staff area', () => {
  test.use({ allowedConsole: [/status of 403 \(Forbidden\) @ \S+\/staff$/] });

  test('an operator reaches it; a resident is refused with a clear 403 page', async ({ page, browser }) => {
    await signIn(page, '13900000005');
    await page.getByRole('link', { name: '进入工作台' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('城市管理工作台');

    const other = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const resident = await other.newPage();
    // A number never seen before: its first sign-in creates a plain resident account. (Each number
    // may get one code a minute, so tests do not share numbers.)
    await signIn(resident, '137 0000 0001');
    const res = await resident.goto('/staff');
    expect(res?.status()).toBe(403);
    await expect(resident.getByTestId('forbidden')).toContainText('工作台仅限城市管理工作人员使用');

    // The same resident downloads their data, then deletes the account (PIPL).
    await resident.goto('/me');
    const download = resident.waitForEvent('download');
    await resident.getByTestId('export').click();
    const file = await (await download).path();
    const data = JSON.parse(require('node:fs').readFileSync(file, 'utf8'));
    expect(data.account.phone).toBe('+8613700000001');
    // 注销账号 sits apart from 退出登录, behind a second step.
    await expect(resident.getByTestId('delete-account')).toBeHidden();
    await resident.getByTestId('delete-open').click();
    await resident.getByLabel(/我确认注销账号/).check();
    await resident.getByTestId('delete-account').click();
    await expect(resident).toHaveURL(/\/\?deleted=1$/);
    await resident.goto('/me');
    await expect(resident.getByRole('link', { name: '登录' })).toBeVisible();
    await other.close();
  });
});

test.describe('limits', () => {
  test.use({ allowedConsole: [/status of 429 \(Too Many Requests\) @ \S+\/login\/code$/] });

  test('sending again within the minute is refused with 429 and a clear wait', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('手机号').fill('13900000003');
    await page.getByRole('button', { name: '获取验证码' }).click();
    await expect(page.getByTestId('demo-code')).toBeVisible();
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/login/code')),
      page.getByRole('button', { name: '重新发送' }).click(),
    ]);
    expect(res.status()).toBe(429);
    expect(Number(res.headers()['retry-after'])).toBeGreaterThan(0);
    await expect(page.getByTestId('login-error')).toContainText('发送太频繁了');
    // The page hydrates cleanly (no console errors) and still offers the code form.
    await page.waitForFunction(() => (window as any).__linliHydrated === true);
    await expect(page.getByLabel('6 位验证码')).toBeVisible();
  });
});

test('a wrong code is explained and the number is kept', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('手机号').fill('13900000002');
  await page.getByRole('button', { name: '获取验证码' }).click();
  const code = await page.getByTestId('demo-code').getAttribute('data-code');
  await page.getByLabel('6 位验证码').fill(code === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByTestId('login-error')).toHaveText('验证码不对，还可以再试 4 次。');
  await expect(page.getByText('验证码已发送至 139****0002')).toBeVisible();
});
