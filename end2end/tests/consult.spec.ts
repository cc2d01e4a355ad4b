import { test, expect, signIn, waitForHydration } from './fixtures';
import type { Browser, Page } from '@playwright/test';
import path from 'node:path';

const PLAN = path.join(__dirname, '..', 'fixtures', 'pothole.jpg');

/// A date `days` from today in China time, as a date input wants it.
function chinaDate(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/// The council member's own phone: a separate browser context, from its own address.
async function councilPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    extraHTTPHeaders: { 'x-forwarded-for': '10.202.0.1' },
  });
  const page = await context.newPage();
  await signIn(page, '13900000004');
  return page;
}

const HEADER = '楼栋,单元,房号,业主姓名,手机号,专有面积,开发商未售\n';

test.describe('共谋 consultations', () => {
  test.use({
    viewport: { width: 390, height: 844 },
    // Refused forms answer 422 on purpose.
    allowedConsole: [/status of 422 \(Unprocessable Entity\) @ \S+\/consult\/\S+$/],
  });

  test('council creates a consultation and imports a roster; an owner is verified, votes, changes the vote and sees the meter; the council closes and publishes the tally', async ({ page, browser }) => {
    const council = await councilPage(browser);

    // A roster with a bad line is refused whole, naming the line.
    await council.goto('/consult/roster');
    await council.locator('input[name="roster"]').setInputFiles({
      name: 'roster.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${HEADER}9,1,101,业主甲,13700000003,-80,否\n`),
    });
    await council.getByTestId('import-roster').click();
    await expect(council.getByTestId('refused-roster')).toContainText('第 2 行');
    // Building 9: the owner (two flats, one vote), a neighbour, and a flat the developer holds.
    await council.locator('input[name="roster"]').setInputFiles({
      name: 'roster.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        `${HEADER}9,1,101,业主甲,13700000003,80.00,否\n9,1,102,业主甲,13700000003,60.50,否\n9,1,201,业主乙,13700000098,90,否\n9,1,202,开发商,,90,是\n`,
      ),
    });
    await council.getByTestId('import-roster').click();
    await expect(council.getByTestId('roster-done')).toContainText('新增 4 套');

    // A consultation whose phases go backwards is refused; then a good one is created.
    await council.goto('/consult');
    await council.getByTestId('new-consultation').click();
    const form = council.getByTestId('consult-form');
    await form.locator('input[name="title"]').fill('9号楼屋顶花园改造');
    await form.locator('textarea[name="body"]').fill('在9号楼屋顶建设花园，费用由公共收益支出。');
    await form.locator('select[name="matter"]').selectOption('other');
    await form.locator('input[name="scope_kind"][value="buildings"]').check();
    await form.locator('input[name="buildings"]').fill('9');
    await form.locator('input[name="comment_from"]').fill(chinaDate(0));
    await form.locator('input[name="vote_from"]').fill(chinaDate(0));
    await form.locator('input[name="vote_until"]').fill(chinaDate(-1));
    await council.getByTestId('create-consultation').click();
    await expect(council.getByTestId('refused-create')).toContainText('表决截止日期不能早于表决开始日期');
    await council.locator('input[name="vote_until"]').fill(chinaDate(10));
    await council.locator('input[name="photo"]').setInputFiles(PLAN);
    await council.getByTestId('create-consultation').click();
    await expect(council.getByTestId('consult-done')).toBeVisible();
    await expect(council.getByTestId('consult-phase')).toHaveText('表决中');
    const consultUrl = council.url().split('?')[0];
    // The plan image is shown (re-encoded, served from the media store).
    await expect(council.getByTestId('consult-photos').locator('img')).toHaveCount(1);

    // The owner signs in, is verified by phone, votes, then changes the vote.
    await signIn(page, '137 0000 0003');
    await page.goto(consultUrl);
    await expect(page.getByTestId('verified-owner')).toContainText('9栋1单元101');
    await expect(page.getByTestId('verified-owner')).toContainText('9栋1单元102');
    await expect(page.getByTestId('meter-heads')).toContainText('0 / 3');
    await page.getByLabel('同意', { exact: true }).check();
    await page.getByTestId('cast-ballot').click();
    await expect(page.getByTestId('consult-done')).toBeVisible();
    await expect(page.getByTestId('my-ballot')).toContainText('同意');
    await page.getByLabel('不同意').check();
    await page.getByTestId('cast-ballot').click();
    await expect(page.getByTestId('my-ballot')).toContainText('不同意');
    // One vote for both flats: 1 of 3 heads, 140.50 of 320.50 m².
    await expect(page.getByTestId('meter-heads')).toContainText('1 / 3');
    await expect(page.getByTestId('meter-area')).toContainText('140.50 m² / 320.50 m²');
    await expect(page.getByTestId('meter')).toContainText('不显示各选项票数');

    // The council enters the neighbour's paper ballot, then closes the vote and publishes.
    await council.goto(consultUrl);
    const paper = council.getByTestId('paper-form');
    await paper.locator('input[name="building"]').fill('9');
    await paper.locator('input[name="stairwell"]').fill('1');
    await paper.locator('input[name="unit"]').fill('101');
    await paper.locator('input[name="paper_ref"]').fill('P-001');
    await council.getByTestId('enter-paper').click();
    await expect(council.getByTestId('refused-paper')).toContainText('该业主已在网上投票');
    await council.locator('input[name="unit"]').fill('201');
    await council.locator('input[name="building"]').fill('9');
    await council.locator('input[name="stairwell"]').fill('1');
    await council.locator('input[name="paper_ref"]').fill('P-002');
    await council.getByTestId('enter-paper').click();
    await expect(council.getByTestId('consult-done')).toBeVisible();
    await council.getByTestId('advance-closed').click();
    await expect(council.getByTestId('consult-phase')).toHaveText('表决结束');
    await council.getByTestId('advance-published').click();
    await expect(council.getByTestId('consult-phase')).toHaveText('结果公示');

    // Everyone sees the tally: 2 of 3 heads and 230.50 of 320.50 m² took part (quorum reached).
    await page.goto(consultUrl);
    await expect(page.getByTestId('result-outcome')).toHaveText('未通过');
    const table = page.getByTestId('result-table');
    await expect(table).toContainText('320.50 m²');
    await expect(table).toContainText('230.50 m²');
    // The rule in words, each threshold as a fraction and a percentage; 2 of 3 owners is exactly
    // two thirds, which "以上" includes.
    await expect(page.getByTestId('result-rule')).toContainText('属于民法典第二百七十八条第一款第');
    await expect(page.getByTestId('result-rule')).toContainText('三分之二以上（≥ 2/3，即 66.7%）');
    await expect(page.getByTestId('result-line')).toContainText('“以上”包含本数');
    await expect(table).toContainText('面积达到 · 人数恰好达到（含本数）');
    await expect(table).not.toContainText('否 / 否');
    await expect(page.getByTestId('voted-units')).toContainText('9栋1单元201');
    await expect(page.getByTestId('result')).toContainText('结果已公示');
    await expect(page.getByTestId('ballot-form')).toHaveCount(0);
  });
});
