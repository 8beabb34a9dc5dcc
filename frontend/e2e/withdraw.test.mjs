// A delivery recorded in the app on a demand a coordinator withdrew meanwhile on another laptop
// (the tester's finding 1), with the real backend and internal/tools/e2epeer as 协调员甲 (C):
// the app's member 协调员丙 (A) owns 四中安置点需要药品 and records 60 received; C, apart, withdraws it
// with a reason. After C's bundle arrives, 待答复 says the 60 are kept (not lost) and who withdrew the
// demand and why, in both languages; the withdraw form asks a reason for someone else's demand; a
// coordinator reopens the withdrawn demand. Screenshots: test-output/e2e-withdraw-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT, ROOT } from './backend.mjs';

const PEER = join(ROOT, 'build/bin/e2epeer');
const D = '四中安置点需要药品';
const D2 = '五中安置点需要饮用水';
const TEXT = {
  'zh-CN': {
    kept: /这批到货（药品 60）已保留，等待负责人确认。/, refused: /协调员丙 于 .* 的「记录到货」未生效（状态已变化）/,
    withdrawn: /协调员甲 于 .* 撤回了这条需求，原因：已由区里统一配送。/, reason: /撤回的原因（必填）/, hint: /协调员甲 会收到通知/,
  },
  en: {
    kept: /This delivery \(药品 60\) is kept and waits for the owner to confirm it\./, refused: /协调员丙's Record delivery at .* did not apply \(status had changed\)/,
    withdrawn: /协调员甲 withdrew this demand at .*; reason: 已由区里统一配送\./, reason: /Reason for withdrawing \(required\)/, hint: /协调员甲 is told who withdrew/,
  },
};

function peer(dirs, steps) {
  const args = Object.entries(dirs).flatMap(([name, dir]) => ['-dev', `${name}=${dir}`]);
  try {
    return JSON.parse(execFileSync(PEER, args, { input: JSON.stringify(steps), encoding: 'utf8', timeout: 180_000 }));
  } catch (e) {
    throw new Error(`e2epeer failed: ${e.stderr || e.message}`);
  }
}
const record = (title, item) => ({ on: 'C', do: 'record', demand: { title, category: 'daily_necessities', district: '江汉区', items: [{ name: item, quantity: '100', unit: '盒' }] } });
const approve = (id) => ({ on: 'C', do: 'act', input: { id, action: 'approve', evidence: { kind: 'callback', caller: '协调员甲', outcome: '仍需要' } } });

let browser;
before(async () => {
  execFileSync('go', ['build', '-o', PEER, './internal/tools/e2epeer'], { cwd: ROOT, stdio: 'inherit', timeout: 600_000 });
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); });

test('a delivery on a demand withdrawn elsewhere is kept and both are told; withdraw asks why; reopen undoes it', { timeout: 900_000 }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'reliefmesh-withdraw-'));
  const appDir = tempDataDir();
  const dirs = { C: join(tmp, 'coordinator'), A: appDir };
  const fromC = join(tmp, 'from-c.rmbundle');
  peer(dirs, [
    { on: 'C', do: 'create', incident: 'E2E 撤回演练', name: '协调员甲' },
    { on: 'A', do: 'join', network: 'C' },
    { on: 'C', do: 'endorse', member: 'A', role: 'coordinator', name: '协调员丙' },
    record(D, '药品'), approve(D), { on: 'C', do: 'act', input: { id: D, action: 'publish' } },
    record(D2, '饮用水'),
    { on: 'C', do: 'carry', to: 'A' },
    { on: 'A', do: 'act', input: { id: D, action: 'claim' } },
    { on: 'A', do: 'carry', to: 'C' },
    // apart: C withdraws A's demand, with the reason the desk now asks for
    { on: 'C', do: 'act', input: { id: D, action: 'withdraw', note: '已由区里统一配送' } },
    { on: 'C', do: 'export', file: fromC },
  ]);
  const backend = await startBackend(appDir);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const shot = (name) => page.screenshot({ path: join(OUT, `e2e-withdraw-${name}.png`) });
  const detail = page.getByTestId('demand-detail');
  const open = async (title) => {
    await page.getByTestId('nav-demands').click();
    await page.getByTestId('demand-row').filter({ hasText: title }).locator('button').first().click();
    await detail.waitFor();
  };
  const close = (locale) => detail.getByRole('button', { name: locale === 'en' ? 'Close' : '关闭' }).click();
  try {
    await page.goto(URL);
    await page.getByTestId('lang-zh-CN').click();
    await open(D);
    await detail.getByTestId('action-deliver').click();
    await detail.getByTestId('action-form').locator('input[name="received[0].quantity"]').fill('60');
    await detail.getByTestId('action-confirm').click();
    await detail.getByTestId('action-form').waitFor({ state: 'detached' });
    await close('zh-CN');

    await page.getByTestId('nav-network').click();
    await page.evaluate((p) => { window.go.app.NetworkService.ImportBundle = () => window.go.app.NetworkService.ImportBundleFrom(p); }, fromC);
    await page.getByTestId('bundle-import').click();
    await page.getByTestId('bundle-result').filter({ hasText: fromC }).waitFor();

    for (const locale of ['zh-CN', 'en']) {
      const t = TEXT[locale];
      await page.getByTestId(`lang-${locale}`).click();
      await page.waitForFunction((l) => document.documentElement.lang === l, locale);
      await page.getByTestId('nav-inbox').click();
      const lines = page.getByTestId('inbox-row').filter({ hasText: D }).getByTestId('inbox-notice');
      await lines.filter({ hasText: t.kept }).waitFor();
      const all = (await lines.allInnerTexts()).join('\n');
      assert.match(all, t.refused, `the refused delivery is not told: ${all}`);
      assert.match(all, t.withdrawn, `who withdrew it and why is not told: ${all}`);
      assert.equal(await page.getByTestId('inbox-what-withdrawn').locator('.n').innerText(), '1', 'the withdrawal has its chip');
      await shot(`inbox-${locale}`);

      // withdrawing someone else's demand asks why, and says the creator is told
      await open(D2);
      await detail.getByTestId('action-withdraw').click();
      const form = detail.getByTestId('action-form');
      assert.match(await form.innerText(), t.reason);
      assert.match(await form.innerText(), t.hint);
      assert.ok(await detail.getByTestId('action-confirm').isDisabled(), 'withdraw without a reason is offered');
      await shot(`dialog-${locale}`);
      await form.getByRole('button', { name: locale === 'en' ? 'Cancel' : '取消' }).click();
      await close(locale);
    }

    // the coordinator undoes the withdrawal: back to in progress, with its owner
    await open(D);
    await detail.getByTestId('action-reopen').click();
    await detail.getByTestId('action-form').locator('input[name="note"]').fill('Still needed');
    await detail.getByTestId('action-confirm').click();
    await detail.getByTestId('action-form').waitFor({ state: 'detached' });
    assert.equal(await detail.getByTestId('action-reopen').count(), 0, 'still withdrawn after reopen');
    await shot('reopened-en');
  } catch (e) {
    await shot('failure').catch(() => {});
    throw e;
  } finally {
    await page.close();
    await backend.stop();
  }
});
