import { test, expect } from './fixtures';

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
