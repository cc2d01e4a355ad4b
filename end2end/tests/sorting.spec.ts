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
});
