// End to end: a newcomer starts the practice network with the 2020 Wuhan data
// from the onboarding card, sees the Wuhan hospitals' demands and the banner,
// the Network screen says nothing is sent, goes back to their (empty) network,
// opens practice again and deletes it from the banner; then, with a network of
// their own, does the same from the Network screen and finds their network intact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, poll, URL, OUT } from './backend.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('practice network: start from onboarding, see Wuhan demands, go back, delete (zh-CN)', { timeout: 900_000 }, async () => {
  const dataDir = tempDataDir();
  const practiceDir = join(dataDir, 'practice-wuhan2020');
  const backend = await startBackend(dataDir);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(URL);
    await page.getByTestId('onboarding').waitFor();
    const card = page.getByTestId('practice-card');
    await card.getByText('用 2020 年武汉数据开一个练习网络').waitFor();
    await card.getByText('MIT 许可证').waitFor();
    assert.equal(await page.getByTestId('practice-banner').count(), 0, 'no banner before practice');

    await page.getByTestId('practice-start').click();
    const banner = page.getByTestId('practice-banner');
    await banner.getByText('练习网络 — 数据不会发给任何人').waitFor({ timeout: 120_000 });
    await page.getByTestId('demand-count').getByText('共 45 条').waitFor();
    await page.getByTestId('demand-row').filter({ hasText: '医院' }).first().waitFor();
    assert.match(await page.locator('.topbar').innerText(), /练习：武汉 2020/);
    assert.equal(await page.getByTestId('onboarding').count(), 0, 'onboarding gone in practice');
    assert.ok(existsSync(practiceDir), `${practiceDir} exists`);
    await page.screenshot({ path: join(OUT, 'e2e-practice-demands.png') });

    // the banner stays on other screens; the Network screen says nothing is sent
    await page.getByTestId('nav-network').click();
    await page.getByTestId('practice-node-off').waitFor();
    await banner.waitFor();
    await page.getByTestId('nav-offers').click();
    await banner.waitFor();

    // back to my network: it has none yet, so onboarding shows again
    await page.getByTestId('practice-back').click();
    await page.getByTestId('onboarding').waitFor();
    assert.equal(await page.getByTestId('practice-banner').count(), 0, 'banner gone after going back');
    assert.equal(await page.getByTestId('demand-row').count(), 0, 'my network has no demands');
    assert.equal(await page.getByTestId('practice-start').innerText(), '打开练习网络');

    // open it again (what was there is still there) and delete it from the banner, with a confirm
    await page.getByTestId('practice-start').click();
    await page.getByTestId('demand-count').getByText('共 45 条').waitFor({ timeout: 120_000 });
    await page.getByTestId('practice-delete').click();
    assert.ok(existsSync(practiceDir), 'not deleted before confirming');
    await page.getByTestId('practice-delete-confirm').click();
    await page.getByTestId('onboarding').waitFor();
    assert.equal(await page.getByTestId('practice-banner').count(), 0);
    await poll(async () => (await page.getByTestId('practice-start').innerText()) === '开始练习网络', { timeout: 60_000, what: 'the card to offer a new practice network' });
    assert.ok(!existsSync(practiceDir), `${practiceDir} removed`);

    // with a network of my own: the Network screen offers practice too, and my network is there when I come back
    await page.locator('input[name=incident]').fill('E2E 我的网络');
    await page.locator('input[name=name]').fill('测试员');
    await page.locator('form button[type=submit]').click();
    await page.getByTestId('nav-network').click();
    await page.getByTestId('join-code').waitFor();
    await page.getByTestId('practice-card').getByTestId('practice-start').click();
    await banner.waitFor({ timeout: 120_000 });
    await page.getByTestId('demand-count').getByText('共 45 条').waitFor();
    await page.getByTestId('nav-network').click();
    await page.getByTestId('practice-node-off').waitFor();
    assert.equal(await page.getByTestId('join-code').count(), 0, 'no join code for the practice network');
    await page.screenshot({ path: join(OUT, 'e2e-practice-network.png') });
    await page.getByTestId('practice-back').click();
    await page.getByTestId('demands-empty').waitFor();
    assert.match(await page.locator('.topbar').innerText(), /E2E 我的网络/);
    await page.getByTestId('nav-network').click();
    await page.getByTestId('join-code').waitFor();
    await page.getByTestId('practice-card-delete').click();
    await page.getByTestId('practice-card-delete-confirm').click();
    await poll(() => !existsSync(practiceDir), { timeout: 60_000, what: `${practiceDir} removed from the Network screen` });
    await page.screenshot({ path: join(OUT, 'e2e-practice-real-network.png') });
  } catch (e) {
    await page.screenshot({ path: join(OUT, 'e2e-practice-failed.png') }).catch(() => {});
    throw new Error(`${e.message}\n--- wails dev log (tail) ---\n${backend.log().slice(-4000)}`);
  } finally {
    await page.close();
    await backend.stop();
  }
});
