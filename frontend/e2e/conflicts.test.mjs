// End to end (issue 12, "nothing silent"), in Chinese and in English: the
// app's member is one volunteer of a network whose other members are played
// by internal/tools/e2epeer (their own signing devices; every command through
// the desk), and their changes reach the app as bundle files imported through
// the Network screen, as a USB stick would bring them.
//
// Members: 协调员甲 (C, coordinator) and 志愿者乙 (V, volunteer) on e2epeer's
// devices, 志愿者丙 (the app). Before the app starts, C records and publishes
// two demands; V claims the hospital's protective suits (协和) and C hands
// them over to the app's member; V, not having seen the handover, records a
// delivery of 200 suits; V also claims the N95 demand (同济) offline.
//
// 1. A losing claim: the app's member claims 同济 in the UI, later than V.
//    After the import, 待答复 / Awaiting reply shows that the claim did not
//    apply and that V claimed first (both sides, by name), with the actions
//    that resolve it.
// 2. A refused delivery: V's delivery on the suits, recorded by a former
//    owner, waits in the app member's 待答复 (the current owner), who counts
//    it there: the received total goes from 0 to 200.
// 3. A transfer request, made and answered:
//    zh-CN: the loser asks for a handover from the conflict entry (a transfer
//    request with a reason, in the demand); V hands it over (bundle); the
//    app's member is the owner, and acknowledges the conflict.
//    en: the loser acknowledges the conflict; V asks to take the suits over
//    (bundle); the app's member keeps them, with a reason, from 待答复; V's
//    device sees the request answered.
// 4. The app's member as the loser of a delivery: the coordinator hands the
//    suits to V while the app's member, not knowing, records 50 more; after
//    the import the delivery is kept, not counted, and 待答复 tells the loser
//    so (both sides), until V counts it (bundle) and the loser acknowledges.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT, ROOT } from './backend.mjs';

const PEER = join(ROOT, 'build/bin/e2epeer');
const N95 = '同济医院需要N95口罩';
const SUITS = '协和医院需要防护服';

const TEXT = {
  'zh-CN': {
    claimed: '志愿者丙', lost: [/志愿者丙/, /「认领」未生效/, /已被他人认领/, /志愿者乙 于 .* 先「认领」/],
    delivery: [/志愿者乙 于 .* 记录的到货（防护服 200）未直接计入（不是负责人）/],
    received: '200', counted: '已计入', transferReason: '乙在外地，由我接手', declineReason: '车辆已出发，由我送达',
    waiting: '等待负责人答复', transferLine: /志愿者丙 于 .* 请求接手这条需求：“乙在外地，由我接手”/, owner: '负责人: 志愿者丙',
    done: /共 \d+ 条，新增 [1-9]\d* 条/,
    refused: [/志愿者丙 于 .* 的「记录到货」未生效（不是负责人）/, /协调员甲 于 .* 先「移交」/], kept: /这批到货（防护服 50）已保留，等待负责人确认。/,
    countedLine: /这批到货（防护服 50）已计入。/,
  },
  en: {
    claimed: '志愿者丙', lost: [/志愿者丙's Claim at .* did not apply/, /already claimed by someone else/, /志愿者乙 did Claim first at/],
    delivery: [/The delivery 志愿者乙 recorded at .* \(防护服 200\) was not counted at once \(not the owner\)/],
    received: '200', counted: 'Counted', transferReason: 'I have a truck free', declineReason: 'The van has already left',
    waiting: "waiting for the owner's answer", transferLine: /志愿者乙 asked to take this demand over at .*: “I have a truck free”/, owner: 'Owner: 志愿者丙',
    done: /\d+ changes, [1-9]\d* new/,
    refused: [/志愿者丙's Record delivery at .* did not apply \(not the owner\)/, /协调员甲 did Hand over first at/], kept: /This delivery \(防护服 50\) is kept and waits for the owner to confirm it\./,
    countedLine: /This delivery \(防护服 50\) was counted\./,
  },
};

/** peer runs e2epeer's steps on the devices dirs ({C, V, A}) and returns their results. */
function peer(dirs, steps) {
  const args = Object.entries(dirs).flatMap(([name, dir]) => ['-dev', `${name}=${dir}`]);
  try {
    return JSON.parse(execFileSync(PEER, args, { input: JSON.stringify(steps), encoding: 'utf8', timeout: 120_000 }));
  } catch (e) {
    throw new Error(`e2epeer failed: ${e.stderr || e.message}`);
  }
}

const approve = (id) => ({ on: 'C', do: 'act', input: { id, action: 'approve', evidence: { kind: 'callback', caller: '协调员甲', outcome: '仍需要' } } });
const demand = (title, item, quantity, unit) => ({ on: 'C', do: 'record', demand: {
  title, category: 'protective_equipment', district: '江汉区', items: [{ name: item, quantity, unit }] } });

let browser;
before(async () => {
  execFileSync('go', ['build', '-o', PEER, './internal/tools/e2epeer'], { cwd: ROOT, stdio: 'inherit', timeout: 600_000 });
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); });

for (const locale of ['zh-CN', 'en']) {
  test(`a losing claim, a refused delivery and a transfer request, answered in 待答复 (${locale})`, { timeout: 900_000 }, async () => {
    const t = TEXT[locale];
    const tmp = mkdtempSync(join(tmpdir(), 'reliefmesh-e2epeer-'));
    const dirs = { C: join(tmp, 'coordinator'), V: join(tmp, 'volunteer') };
    const appDir = tempDataDir();
    const fromPeers = join(tmp, 'from-peers.rmbundle');
    peer({ ...dirs, A: appDir }, [
      { on: 'C', do: 'create', incident: 'E2E 冲突演练', name: '协调员甲' },
      { on: 'V', do: 'join', network: 'C' },
      { on: 'A', do: 'join', network: 'C' },
      { on: 'C', do: 'endorse', member: 'V', role: 'volunteer', name: '志愿者乙' },
      { on: 'C', do: 'endorse', member: 'A', role: 'volunteer', name: '志愿者丙' },
      demand(N95, 'N95口罩', '1000', '只'), demand(SUITS, '防护服', '500', '套'),
      approve(N95), { on: 'C', do: 'act', input: { id: N95, action: 'publish' } },
      approve(SUITS), { on: 'C', do: 'act', input: { id: SUITS, action: 'publish' } },
      { on: 'C', do: 'carry', to: 'V' },
      { on: 'V', do: 'act', input: { id: SUITS, action: 'claim' } },
      { on: 'V', do: 'carry', to: 'C' },
      { on: 'C', do: 'carry', to: 'A' }, // the app: the network, both demands, V owns the suits
      { on: 'V', do: 'act', input: { id: N95, action: 'claim' } }, // offline: the app does not know
      { on: 'C', do: 'act', input: { id: SUITS, action: 'handover', to: 'A', note: '乙联系不上' } },
      // V has not seen the handover: its delivery is a former owner's
      { on: 'V', do: 'act', input: { id: SUITS, action: 'deliver', received: [{ item: '防护服', quantity: '200' }], note: '第一车' } },
      { on: 'V', do: 'carry', to: 'C' },
      { on: 'C', do: 'export', file: fromPeers },
    ]);

    const backend = await startBackend(appDir);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const shot = (name) => page.screenshot({ path: join(OUT, `e2e-${locale}-${name}.png`) });
    // bundles without the file dialog: the buttons of the Network screen, a path given instead
    const importBundle = async (file) => {
      await page.getByTestId('nav-network').click();
      await page.evaluate((p) => { window.go.app.NetworkService.ImportBundle = () => window.go.app.NetworkService.ImportBundleFrom(p); }, file);
      await page.getByTestId('bundle-import').click();
      const result = page.getByTestId('bundle-result').filter({ hasText: file });
      await result.waitFor();
      const text = await result.innerText();
      assert.match(text, t.done, `the import applied nothing: ${text}`);
      return text;
    };
    const exportBundle = async (file) => {
      await page.getByTestId('nav-network').click();
      await page.evaluate((p) => { window.go.app.NetworkService.ExportBundle = () => window.go.app.NetworkService.ExportBundleTo(p); }, file);
      await page.getByTestId('bundle-export').click();
      await page.getByTestId('bundle-result').filter({ hasText: file }).waitFor();
    };
    const inboxRow = (title, what) => page.getByTestId('inbox-row').filter({ hasText: title }).filter({ hasText: what });
    try {
      await page.goto(URL);
      await page.getByTestId(`lang-${locale}`).click();
      await page.waitForFunction((l) => document.documentElement.lang === l, locale);

      // 1. the app's member claims the N95 demand, unaware of V's earlier claim
      await page.getByTestId('nav-demands').click();
      await page.getByTestId('demand-row').filter({ hasText: N95 }).locator('button').first().click();
      const detail = page.getByTestId('demand-detail');
      await detail.getByTestId('action-claim').click();
      await detail.getByTestId('detail-owner').filter({ hasText: t.claimed }).waitFor();
      await detail.getByRole('button', { name: locale === 'en' ? 'Close' : '关闭' }).click();

      // the stick from the coordinator's site arrives
      await importBundle(fromPeers);

      await page.getByTestId('nav-inbox').click();
      const conflict = page.getByTestId('inbox-row').filter({ hasText: N95 }).filter({ has: page.getByTestId('inbox-notice') });
      await conflict.waitFor();
      const line = await conflict.getByTestId('inbox-notice').innerText();
      for (const re of t.lost) assert.match(line, re, `the conflict in 待答复 does not say it: ${line}`);
      await conflict.getByTestId('inbox-resolve-ack').waitFor();
      await conflict.getByTestId('inbox-resolve-handover').waitFor();
      const pendingDelivery = page.getByTestId('inbox-row').filter({ hasText: SUITS }).filter({ has: page.getByTestId('inbox-resolve-accept') });
      const dline = await pendingDelivery.getByTestId('inbox-notice').innerText();
      for (const re of t.delivery) assert.match(dline, re, `the pending delivery in 待答复 does not say it: ${dline}`);
      assert.equal(await page.getByTestId('inbox-what-conflict').locator('.n').innerText(), '1', 'one claim did not apply');
      assert.equal(await page.getByTestId('inbox-what-delivery').locator('.n').innerText(), '1', 'one delivery to confirm');
      await shot('inbox-conflict');

      // 2. the current owner counts the former owner's delivery: nothing received until then
      await pendingDelivery.getByRole('button', { name: locale === 'en' ? 'Open' : '查看' }).click();
      const items = detail.locator('.items-table tbody tr').filter({ hasText: '防护服' });
      assert.match(await items.innerText(), /\b0\s*套/, 'received before the delivery is counted');
      assert.match(await detail.getByTestId('delivery-pending').innerText(), /志愿者乙/);
      await detail.getByRole('button', { name: locale === 'en' ? 'Close' : '关闭' }).click();
      await pendingDelivery.getByTestId('inbox-resolve-accept').click();
      await pendingDelivery.waitFor({ state: 'detached' });
      assert.equal(await page.getByTestId('inbox-what-delivery').locator('.n').innerText(), '0');
      await page.getByTestId('nav-demands').click();
      await page.getByTestId('demand-row').filter({ hasText: SUITS }).locator('button').first().click();
      await detail.getByTestId('detail-owner').filter({ hasText: t.owner }).waitFor();
      const row = detail.locator('.items-table tbody tr').filter({ hasText: '防护服' });
      assert.match(await row.innerText(), new RegExp(`${t.received}\\s*套`), 'received after counting V\'s delivery');
      assert.match(await detail.getByTestId('delivery-counted').innerText(), /志愿者乙/);
      assert.match(await detail.getByTestId('delivery-counted').innerText(), new RegExp(t.counted));
      // V's refused deliver stays told in the demand; only V or a coordinator may acknowledge it
      assert.match(await detail.getByTestId('conflict-line').innerText(), /志愿者乙/);
      assert.equal(await detail.getByTestId('conflict-ack').count(), 0, 'the owner is offered to acknowledge V\'s conflict, which the desk refuses');
      await shot('delivery-counted');
      await detail.getByRole('button', { name: locale === 'en' ? 'Close' : '关闭' }).click();

      const toPeers = join(tmp, `from-app-1.rmbundle`);
      const back = join(tmp, 'from-volunteer.rmbundle');
      await page.getByTestId('nav-inbox').click();
      if (locale === 'zh-CN') {
        // 3. the loser asks for a handover from the conflict entry
        await conflict.getByTestId('inbox-resolve-handover').click();
        await detail.getByTestId('action-request_transfer').click();
        await detail.locator('input[name=note]').fill(t.transferReason);
        await detail.getByTestId('action-confirm').click();
        assert.match(await detail.getByTestId('detail-transfer').innerText(), t.transferLine);
        await detail.getByRole('button', { name: '关闭' }).click();
        await inboxRow(N95, t.waiting).waitFor();
        await exportBundle(toPeers);
        const [imported, asked, handed] = peer(dirs, [
          { on: 'V', do: 'import', file: toPeers },
          { on: 'V', do: 'inbox' },
          { on: 'V', do: 'act', input: { id: N95, action: 'accept_transfer' } },
          { on: 'V', do: 'export', file: back },
        ]);
        assert.ok(imported.applied > 0, 'V received the request');
        assert.ok(asked.some((e) => e.what === 'transfer' && e.title === N95), `V's inbox has no transfer request: ${JSON.stringify(asked)}`);
        assert.equal(handed.ownerName, '志愿者丙', 'V handed the demand over');
        await importBundle(back);
        await page.getByTestId('nav-inbox').click();
        await inboxRow(N95, t.waiting).waitFor({ state: 'detached' });
        // the owner now, the loser has nothing left to ask: it acknowledges
        await conflict.getByTestId('inbox-resolve-ack').waitFor();
        assert.equal(await conflict.getByTestId('inbox-resolve-handover').count(), 0, 'the owner is still offered to ask for a handover');
        await conflict.getByTestId('inbox-resolve-ack').click();
        await conflict.waitFor({ state: 'detached' });
        await page.getByTestId('nav-demands').click();
        await page.getByTestId('demand-row').filter({ hasText: N95 }).locator('button').first().click();
        await detail.getByTestId('detail-owner').filter({ hasText: t.owner }).waitFor();
        await shot('transfer-accepted');
        await detail.getByRole('button', { name: '关闭' }).click();
      } else {
        // 3. the loser acknowledges; V asks to take the suits over, and the owner keeps them
        await conflict.getByTestId('inbox-resolve-ack').click();
        await conflict.waitFor({ state: 'detached' });
        assert.equal(await page.getByTestId('inbox-what-conflict').locator('.n').innerText(), '0');
        await exportBundle(toPeers);
        peer(dirs, [
          { on: 'V', do: 'import', file: toPeers },
          { on: 'V', do: 'act', input: { id: SUITS, action: 'request_transfer', note: t.transferReason } },
          { on: 'V', do: 'export', file: back },
        ]);
        await importBundle(back);
        await page.getByTestId('nav-inbox').click();
        const request = page.getByTestId('inbox-row').filter({ hasText: SUITS }).filter({ has: page.getByTestId('inbox-decline_transfer') });
        await request.waitFor();
        await request.getByTestId('inbox-accept_transfer').waitFor();
        await shot('inbox-transfer');
        await request.getByTestId('inbox-decline_transfer').click();
        assert.match(await detail.getByTestId('detail-transfer').innerText(), t.transferLine);
        await detail.getByTestId('action-decline_transfer').click();
        await detail.locator('input[name=note]').fill(t.declineReason);
        await detail.getByTestId('action-confirm').click();
        await detail.getByTestId('detail-transfer').waitFor({ state: 'detached' });
        await detail.getByTestId('detail-owner').filter({ hasText: t.owner }).waitFor();
        await detail.getByRole('button', { name: 'Close' }).click();
        await request.waitFor({ state: 'detached' });
        const answer = join(tmp, 'from-app-2.rmbundle');
        await exportBundle(answer);
        const [, suits] = peer(dirs, [{ on: 'V', do: 'import', file: answer }, { on: 'V', do: 'demand', id: SUITS }]);
        assert.equal(suits.transfer, null, `V's device still shows the request pending: ${JSON.stringify(suits)}`);
        assert.equal(suits.ownerName, '志愿者丙');
        assert.equal(suits.received['防护服'], 200, 'V sees its delivery counted');
      }

      // 4. the app's member is now the former owner: the coordinator hands the suits to V, and the
      //    app's member, not knowing, records a delivery of 50; it is kept, not counted, and the loser
      //    is told in 待答复 until V counts it
      const handedToV = join(tmp, 'from-coordinator-2.rmbundle');
      peer(dirs, [
        { on: 'C', do: 'act', input: { id: SUITS, action: 'handover', to: 'V', note: '丙换班' } },
        { on: 'C', do: 'carry', to: 'V' },
        { on: 'C', do: 'export', file: handedToV },
      ]);
      await page.getByTestId('nav-demands').click();
      await page.getByTestId('demand-row').filter({ hasText: SUITS }).locator('button').first().click();
      await detail.getByTestId('action-deliver').click();
      await detail.getByTestId('action-form').locator('input[name="received[0].quantity"]').fill('50');
      await detail.getByTestId('action-confirm').click();
      await detail.getByTestId('action-form').waitFor({ state: 'detached' });
      assert.match(await items.innerText(), /\b250\s*套/, 'received after the app\'s own delivery, before it learns of the handover');
      await detail.getByRole('button', { name: locale === 'en' ? 'Close' : '关闭' }).click();
      await importBundle(handedToV);
      await page.getByTestId('nav-inbox').click();
      const refused = page.getByTestId('inbox-row').filter({ hasText: SUITS }).filter({ has: page.getByTestId('inbox-notice') });
      await refused.getByTestId('inbox-notice').filter({ hasText: t.kept }).waitFor();
      const rline = await refused.getByTestId('inbox-notice').innerText();
      for (const re of t.refused) assert.match(rline, re, `the refused delivery in the loser's 待答复 does not say it: ${rline}`);
      assert.equal(await refused.getByTestId('inbox-resolve-handover').count(), 0, 'a kept delivery waits on the owner: nothing to redo');
      await shot('inbox-refused-delivery');
      const toOwner = join(tmp, 'from-app-3.rmbundle');
      const counted = join(tmp, 'from-volunteer-2.rmbundle');
      await exportBundle(toOwner);
      const [, waiting, decided] = peer(dirs, [
        { on: 'V', do: 'import', file: toOwner },
        { on: 'V', do: 'inbox' },
        { on: 'V', do: 'act', pending: true, input: { id: SUITS, action: 'accept_delivery' } },
        { on: 'V', do: 'export', file: counted },
      ]);
      assert.ok(waiting.some((e) => e.what === 'delivery' && e.title === SUITS), `the owner V is not asked about the delivery: ${JSON.stringify(waiting)}`);
      assert.equal(decided.received['防护服'], 250, 'V counted the 50');
      await importBundle(counted);
      await page.getByTestId('nav-inbox').click();
      await refused.getByTestId('inbox-notice').filter({ hasText: t.countedLine }).waitFor();
      await refused.getByTestId('inbox-resolve-ack').click();
      await refused.waitFor({ state: 'detached' });
      assert.equal(await page.getByTestId('inbox-notice').count(), 0, 'every conflict answered'); // (an empty inbox has no chips)
    } catch (e) {
      await page.screenshot({ path: join(OUT, `e2e-${locale}-conflicts-failure.png`) }).catch(() => {});
      e.message += `\n--- backend log ---\n${backend.log().slice(-3000)}`;
      throw e;
    } finally {
      await page.close();
      await backend.stop();
    }
  });
}
