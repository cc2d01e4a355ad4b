import { test, expect, holdBackScripts, waitForHydration } from './fixtures';
import path from 'node:path';

const PHOTO = path.join(__dirname, '..', 'fixtures', 'pothole.jpg');

/// The fixture photo with an EXIF block saying it was taken at 24°30' N, 118°6' E (湖里区).
function photoWithGps(): Buffer {
  const jpeg = require('node:fs').readFileSync(PHOTO) as Buffer;
  const t = Buffer.alloc(128);
  t.write('MM', 0, 'latin1');
  t.writeUInt16BE(42, 2);
  t.writeUInt32BE(8, 4);
  t.writeUInt16BE(1, 8); // IFD0: one entry, the GPS pointer
  t.writeUInt16BE(0x8825, 10);
  t.writeUInt16BE(4, 12);
  t.writeUInt32BE(1, 14);
  t.writeUInt32BE(26, 18);
  t.writeUInt32BE(0, 22);
  t.writeUInt16BE(4, 26); // GPS IFD: four entries
  const entry = (i: number, tag: number, type: number, count: number, value: (o: number) => void) => {
    const o = 28 + i * 12;
    t.writeUInt16BE(tag, o);
    t.writeUInt16BE(type, o + 2);
    t.writeUInt32BE(count, o + 4);
    value(o + 8);
  };
  entry(0, 1, 2, 2, (o) => t.write('N', o, 'latin1'));
  entry(1, 2, 5, 3, (o) => t.writeUInt32BE(80, o));
  entry(2, 3, 2, 2, (o) => t.write('E', o, 'latin1'));
  entry(3, 4, 5, 3, (o) => t.writeUInt32BE(104, o));
  [24, 1, 30, 1, 0, 1, 118, 1, 6, 1, 0, 1].forEach((v, i) => t.writeUInt32BE(v, 80 + i * 4));
  const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t]);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(exif.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), app1, exif, jpeg.subarray(2)]);
}

test.describe('reporting on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  // The refused follow-up answers 422 on purpose.
  test.use({ allowedConsole: [/status of 422 \(Unprocessable Entity\) @ \S+\/case\/XM-\S+$/] });

  test('tap the map, add a photo, get a code, see the case without the phone; a neighbour says me too', async ({ page, browser }) => {
    await page.goto('/report');
    await waitForHydration(page);
    const map = page.locator('#report-map');
    await expect(map).toHaveAttribute('data-map', 'ready', { timeout: 30_000 });
    await expect(page.getByTestId('pin-status')).toHaveText('还没有选择位置。');
    await map.click();
    await expect(page.getByTestId('pin-status')).toContainText('已选位置');
    await expect(page.locator('#report-map path.linli-pin')).toHaveCount(1);
    await page.locator('#category-search').fill('井盖');
    await page.locator('#category').selectOption('B0101');
    // 井盖 asks how dangerous it is: one tap on a choice.
    const questions = page.getByTestId('category-questions');
    await expect(questions).toContainText('井口现在的情况');
    await questions.getByText('井口敞开，有人车坠落危险').click();
    await expect(questions.getByLabel('井口敞开，有人车坠落危险')).toBeChecked();
    await page.locator('#description').fill('人行道井盖丢失，晚上很危险。联系我 13900000088');
    await page.locator('#photo').setInputFiles(PHOTO);
    await page.locator('#contact_phone').fill('13900000088');
    await page.getByTestId('report-submit').click();

    // The private key travels in a short-lived cookie, never in the URL that logs record.
    await expect(page).toHaveURL(/\/case\/XM-\d{4}-\d{6}\?new=1$/);
    const code = (await page.getByTestId('tracking-code').textContent())!.trim();
    expect(code).toMatch(/^XM-\d{4}-\d{6}$/);
    await expect(page.getByTestId('private-link')).toBeVisible();
    // A small map shows roughly where it is.
    await expect(page.locator('#case-map')).toHaveAttribute('data-map', 'ready', { timeout: 30_000 });
    await expect(page.locator('#case-map path.linli-case-area')).toHaveCount(1);
    await expect(page.getByTestId('own-phone')).toContainText('13900000088');
    const photo = page.locator('img.case-photo');
    await expect(photo).toHaveCount(1);
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

    // The reporter keeps the page open; it listens for changes.
    await waitForHydration(page);
    await expect(page.locator('body')).toHaveAttribute('data-live', 'on');
    await expect(page.getByTestId('me-too-count')).toHaveText('0 人也遇到');

    // The public page: same case, photo, no phone anywhere.
    const neighbour = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const other = await neighbour.newPage();
    await other.goto(`/case/${code}`);
    await expect(other.getByTestId('case-category')).toHaveText('井盖缺失或破损');
    await expect(other.getByTestId('case-answers')).toContainText('井口敞开，有人车坠落危险');
    await expect(other.locator('img.case-photo')).toHaveCount(1);
    await expect(other.getByTestId('case-description')).toContainText('139****0088');
    const html = await other.content();
    expect(html).not.toContain('13900000088');
    expect(html).not.toContain('case-private');
    await expect(other.getByTestId('me-too-count')).toHaveText('0 人也遇到');
    await other.getByTestId('me-too').click();
    await expect(other.getByTestId('joined')).toBeVisible();
    await expect(other.getByTestId('me-too-count')).toHaveText('1 人也遇到');
    // ...and the reporter's open page shows it without a reload.
    await expect(page.getByTestId('me-too-count')).toHaveText('1 人也遇到');
    await expect(page.getByTestId('tracking-code')).toHaveText(code);
    await neighbour.close();

    // The reporter adds a follow-up; an empty one is refused on the same page first.
    await page.getByTestId('comment-send').click();
    await expect(page.getByTestId('comment-errors')).toContainText('请写下要补充的内容');
    await page.locator('#comment-body').fill('又有老人差点绊倒，请尽快处理');
    await page.getByTestId('comment-send').click();
    await expect(page.getByTestId('commented')).toBeVisible();
    await expect(page.getByTestId('comments')).toContainText('又有老人差点绊倒');
  });

  test('the map shows reported cases as points, and the list shows the same cases', async ({ page }) => {
    await page.goto('/map');
    // Without the map (server-rendered): the city's latest cases.
    await expect(page.getByTestId('case-list').locator('li').first()).toContainText('XM-');
    await expect(page.locator('#city-map')).toHaveAttribute('data-map', 'ready', { timeout: 30_000 });
    await expect(page.locator('#city-map .linli-cluster, #city-map .linli-case').first()).toBeVisible();
    await expect(page.getByRole('heading', { name: '地图范围内的案件' })).toBeVisible();
    await expect(page.getByTestId('case-list').locator('li').first()).toContainText('井盖缺失或破损');
    // Filtering to a category with no cases empties both.
    await page.locator('#filter-category').selectOption('S01');
    await page.getByRole('button', { name: '筛选' }).click();
    await expect(page).toHaveURL(/category=S01/);
    await expect(page.getByTestId('case-list-empty')).toBeVisible();
    await expect(page.locator('#city-map')).toHaveAttribute('data-map', 'ready', { timeout: 30_000 });
    await expect(page.locator('#city-map .linli-cluster, #city-map .linli-case')).toHaveCount(0);
  });

  test('the same category nearby is offered before filing again', async ({ page }) => {
    await page.goto('/report');
    await waitForHydration(page);
    const map = page.locator('#report-map');
    await expect(map).toHaveAttribute('data-map', 'ready', { timeout: 30_000 });
    await map.click();
    await page.locator('#category').selectOption('B0101');
    await expect(page.getByTestId('nearby')).toBeVisible();
    await expect(page.getByTestId('nearby').locator('li').first()).toContainText('XM-');
  });
});

test.describe('photos that know where they were taken', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the form offers to put the pin where the photo was taken', async ({ page }) => {
    await page.goto('/report');
    await waitForHydration(page);
    await expect(page.locator('#report-map')).toHaveAttribute('data-map', 'ready', { timeout: 30_000 });
    await page.locator('#photo').setInputFiles({ name: 'gps.jpg', mimeType: 'image/jpeg', buffer: photoWithGps() });
    await page.getByTestId('use-photo-location').click();
    await expect(page.getByTestId('pin-status')).toHaveText('已选位置：24.500000, 118.100000');
    await expect(page.locator('#report-map path.linli-pin')).toHaveCount(1);
    await page.locator('#category').selectOption('B0102');
    await page.locator('#description').fill('照片里这盏路灯一直不亮');
    await page.getByTestId('report-submit').click();
    await expect(page.getByTestId('tracking-code')).toHaveText(/^XM-/);
    await expect(page.locator('.case-facts')).toContainText('湖里区');
    // The served photo no longer says where it was taken.
    const src = await page.locator('img.case-photo').getAttribute('src');
    const bytes = Buffer.from(await (await page.request.get(src!)).body());
    expect(bytes.includes(Buffer.from('Exif'))).toBe(false);
  });
});

test.describe('reporting without JavaScript', () => {
  test.use({
    javaScriptEnabled: false,
    viewport: { width: 390, height: 844 },
    // The refused post answers 422 on purpose; Chromium logs every 4xx.
    // (Two patterns: Playwright would read a bare two-element array as [value, options].)
    allowedConsole: [[/was preloaded using link preload but not used/, /status of 422 \(Unprocessable Entity\) @ \S+\/report$/], { option: true }],
  });

  test('the lists and a plain form post file the report, photo included', async ({ page }) => {
    await page.goto('/report');
    await expect(page.locator('#report-map')).toBeHidden();
    await page.getByText('无法使用地图？').click();
    await page.locator('#community').selectOption('350203001001');
    await page.locator('#address').fill('中山路 12 号楼下');
    await page.locator('#category').selectOption('B0102');
    // First a refusal: too short. The form comes back filled in with the message.
    await page.locator('#description').fill('灯坏');
    await page.getByTestId('report-submit').click();
    await expect(page.getByTestId('report-refused')).toBeVisible();
    await expect(page.getByText('描述至少 5 个字。')).toBeVisible();
    await expect(page.locator('#address')).toHaveValue('中山路 12 号楼下');
    await expect(page.locator('#community')).toHaveValue('350203001001');
    await page.locator('#description').fill('路灯不亮已经三天了');
    await page.locator('#photo').setInputFiles(PHOTO);
    await page.getByTestId('report-submit').click();
    await expect(page.getByTestId('tracking-code')).toHaveText(/^XM-\d{4}-\d{6}$/);
    await expect(page.getByTestId('case-category')).toHaveText('路灯故障');
    await expect(page.locator('img.case-photo')).toHaveCount(1);
  });
});

test.describe('a slow phone', () => {
  // The service worker would fetch the bundle itself, out of the route's reach.
  test.use({
    viewport: { width: 390, height: 844 },
    serviceWorkers: 'block',
    allowedConsole: [/Service Worker registration blocked by Playwright/],
  });

  test('a category chosen before the page hydrates still brings up its questions', async ({ page }) => {
    // Hold the WASM bundle back, as a weak network does, so the choice is made on the server's page.
    await holdBackScripts(page);
    await page.goto('/report');
    await page.locator('#category').selectOption('S0301');
    await expect(page.getByTestId('category-questions')).toHaveCount(0);
    await waitForHydration(page);
    await expect(page.locator('#category')).toHaveValue('S0301');
    await expect(page.getByTestId('category-questions')).toContainText('垃圾有多少？');
  });
});

test.describe('a category that asks questions, without JavaScript', () => {
  test.use({
    javaScriptEnabled: false,
    viewport: { width: 390, height: 844 },
    allowedConsole: [[/was preloaded using link preload but not used/, /status of 422 \(Unprocessable Entity\) @ \S+\/report$/], { option: true }],
  });

  test('an unanswered required question comes back to be answered, and the answer shows on the case in both languages', async ({ page }) => {
    await page.goto('/report');
    await page.getByText('无法使用地图？').click();
    await page.locator('#community').selectOption('350203001001');
    await page.locator('#address').fill('中山路 20 号门口');
    await page.locator('#category').selectOption('S0301');
    await page.locator('#description').fill('门口垃圾堆了三天没人清理');
    await page.getByTestId('report-submit').click();
    // Refused: the question is asked now, marked required, and nothing typed is lost.
    await expect(page.getByTestId('report-refused')).toBeVisible();
    const questions = page.getByTestId('category-questions');
    await expect(questions).toContainText('垃圾有多少？');
    await expect(questions).toContainText('必答');
    await expect(questions).toContainText('这个问题还没有回答。');
    await expect(page.locator('#description')).toHaveValue('门口垃圾堆了三天没人清理');
    await questions.getByLabel('大量（需要车辆清运）').check();
    await page.getByTestId('report-submit').click();
    await expect(page.getByTestId('tracking-code')).toHaveText(/^XM-\d{4}-\d{6}$/);
    const answers = page.getByTestId('case-answers');
    await expect(answers).toContainText('垃圾有多少？');
    await expect(answers).toContainText('大量（需要车辆清运）');
    await page.getByTestId('lang-switch').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByTestId('case-answers')).toContainText('How much rubbish?');
    await expect(page.getByTestId('case-answers')).toContainText('A lot (needs a truck)');
  });
});

test.describe('offline', () => {
  test.use({
    viewport: { width: 390, height: 844 },
    // While offline, Chromium logs the requests it could not make.
    allowedConsole: [/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_RESET/],
  });

  test('a report written offline is kept on the phone and sent when the network returns', async ({ page, context }) => {
    await page.goto('/report');
    await waitForHydration(page);
    const map = page.locator('#report-map');
    await expect(map).toHaveAttribute('data-map', 'ready', { timeout: 30_000 });
    await map.click();
    await expect(page.getByTestId('pin-status')).toContainText('已选位置');
    await page.locator('#category').selectOption('B0102');
    await page.locator('#description').fill('地下通道的灯全坏了，离线时写的');
    await page.locator('#photo').setInputFiles(PHOTO);

    await context.setOffline(true);
    await page.getByTestId('report-submit').click();
    const notice = page.locator('#draft-notice');
    await expect(notice).toContainText('没有网络：这份报事已保存在手机上');
    await expect(page).toHaveURL(/\/report$/);
    const drafts = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const req = indexedDB.open('linli-drafts', 1);
          req.onsuccess = () => {
            const count = req.result.transaction('drafts').objectStore('drafts').count();
            count.onsuccess = () => resolve(count.result);
          };
        }),
    );
    expect(drafts).toBe(1);

    await context.setOffline(false);
    await expect(notice).toContainText('已联网，保存在手机上的记录已发送', { timeout: 20_000 });
    const sent = notice.locator('a');
    await expect(sent).toHaveText(/^XM-\d{4}-\d{6}$/);
    // The kept link is the private one, read from the page the post led to (never from its URL).
    await expect(sent).toHaveAttribute('href', /^\/case\/XM-\d{4}-\d{6}\?k=[0-9a-f]+$/);
    await sent.click();
    await expect(page.getByTestId('case-description')).toHaveText('地下通道的灯全坏了，离线时写的');
    await expect(page.locator('img.case-photo')).toHaveCount(1);
    await expect(page.getByTestId('case-private')).toBeVisible();
  });

  test('a report the network drops while the phone says it is online is kept and sent later', async ({ page }) => {
    await page.goto('/report');
    await waitForHydration(page);
    await page.getByText('无法使用地图？').click();
    await page.locator('#community').selectOption('350203001001');
    await page.locator('#address').fill('中山路 20 号');
    await page.locator('#category').selectOption('B0102');
    await page.locator('#description').fill('路灯不亮，发送时网络断了');
    // The post leaves, and the connection is reset: a weak network that still says "online".
    await page.route('**/report', (route) =>
      route.request().method() === 'POST' ? route.abort('connectionreset') : route.continue(),
    );
    await page.getByTestId('report-submit').click();
    const notice = page.locator('#draft-notice');
    await expect(notice).toContainText('网络不稳定，报事没有发出去');
    await expect(page).toHaveURL(/\/report$/);
    // The network is fine again; the next page load sends what was kept.
    await page.unroute('**/report');
    await page.reload();
    await expect(notice).toContainText('已联网，保存在手机上的记录已发送', { timeout: 20_000 });
    await notice.locator('a').click();
    await expect(page.getByTestId('case-description')).toHaveText('路灯不亮，发送时网络断了');
  });
});
