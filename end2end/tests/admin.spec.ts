import { test, expect } from './fixtures';

test('an admin finds a person, grants a role on a community, and sees it in the audit log', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('手机号').fill('13900000011');
  await page.getByRole('button', { name: '获取验证码' }).click();
  const code = await page.getByTestId('demo-code').getAttribute('data-code');
  await page.getByLabel('6 位验证码').fill(code!);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(/\/me$/);

  await page.goto('/admin');
  await page.getByLabel('按手机号或姓名查找').fill('13900000001');
  await page.getByRole('button', { name: '查询' }).click();
  const person = page.getByTestId('people').locator('li.person').first();
  await expect(person).toContainText('+8613900000001');
  await person.getByLabel('角色').selectOption('volunteer');
  await person.getByLabel(/范围/).fill('350203001001');
  await person.getByRole('button', { name: '授予' }).click();
  await expect(page.getByTestId('admin-done')).toHaveText('已授予，并记入审计日志。');
  await expect(page.getByTestId('people').locator('li.person').first()).toContainText('督导员');
  await expect(page.getByTestId('audit').locator('tbody tr').first()).toContainText('role.grant');

  // A scope that does not exist is refused with a message, nothing granted.
  const again = page.getByTestId('people').locator('li.person').first();
  await again.getByLabel('角色').selectOption('council');
  await again.getByLabel(/范围/).fill('350203001999');
  await again.getByRole('button', { name: '授予' }).click();
  await expect(page.getByTestId('admin-done')).toHaveText('没有这个区划或部门。');
});
