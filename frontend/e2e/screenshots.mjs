// Screenshots of every screen for the README (issue #5): 1280×800, Chinese,
// with the 2020 Wuhan practice network loaded. Run with `make screenshots`;
// not part of `npm run e2e`. Starts the real backend (wails dev, port 34115)
// on a temporary data directory and writes docs/screenshots/*.png.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, ROOT, URL } from './backend.mjs';

const DIR = join(ROOT, 'docs', 'screenshots');
mkdirSync(DIR, { recursive: true });

const dataDir = tempDataDir();
const backend = await startBackend(dataDir);
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
let n = 0;
async function shot(name) {
  await page.waitForTimeout(400); // coalesced events and transitions settle
  const path = join(DIR, `${name}.png`);
  await page.screenshot({ path });
  n++;
  console.log(path);
}
async function nav(view) {
  await page.getByTestId(`nav-${view}`).click();
}

try {
  await page.goto(URL);
  await page.getByTestId('onboarding').waitFor();
  await page.getByTestId('practice-card').waitFor();
  await shot('01-onboarding');

  await page.getByTestId('practice-start').click();
  await page.getByTestId('practice-banner').waitFor({ timeout: 120_000 });
  await page.getByTestId('demand-count').getByText('共 45 条').waitFor();
  await shot('02-demands');

  await page.getByTestId('as-board').click();
  await page.getByTestId('demand-board').waitFor();
  await shot('03-board');
  await page.getByRole('button', { name: '列表', exact: true }).click();

  // the list is virtualised: filter to the demand in progress rather than hope its row is rendered
  const statusFilter = page.getByRole('combobox', { name: '全部状态' });
  await statusFilter.selectOption('in_progress');
  await page.getByTestId('demand-row').filter({ hasText: '处理中' }).first().locator('.row-open').click();
  await page.getByTestId('demand-detail').waitFor();
  await page.getByTestId('history').waitFor();
  await shot('04-demand-detail');
  await page.keyboard.press('Escape');
  await page.getByTestId('demand-detail').waitFor({ state: 'detached', timeout: 5000 }).catch(async () => {
    await page.getByRole('button', { name: '关闭' }).first().click();
  });

  await statusFilter.selectOption('');
  await page.getByTestId('record-demand').click();
  await page.getByTestId('demand-form').waitFor();
  await shot('05-record-demand');
  await page.goto(URL); // leaves the form; the practice network stays open
  await page.getByTestId('practice-banner').waitFor();

  await nav('inbox');
  await page.getByTestId('inbox-list').or(page.getByTestId('inbox-empty')).waitFor();
  await shot('06-awaiting-reply');

  await nav('volunteers');
  await page.waitForLoadState('networkidle');
  await shot('07-volunteers');

  await nav('offers');
  await page.getByTestId('offer-list').waitFor();
  await shot('08-offers');

  await nav('points');
  await page.getByTestId('leaderboard').waitFor();
  await shot('09-points');

  await nav('network');
  await page.getByTestId('practice-node-off').waitFor();
  await shot('10-network');

  await nav('map');
  await page.getByTestId('map').waitFor();
  await page.waitForTimeout(1500); // boundaries and markers drawn
  await shot('11-map');
  // with a street map: the test package (testdata/map/area.pmtiles) answers the file dialog
  await page.evaluate((p) => { window.go.app.MapService.PickTiles = () => window.go.app.MapService.UseTiles(p); },
    join(ROOT, 'testdata', 'map', 'area.pmtiles'));
  await page.getByTestId('map-streets-load').click();
  await page.locator('[data-testid=map][data-tiles=loaded]').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1000); // labels placed
  await shot('11-map-streets');

  await nav('imports');
  // the file dialog cannot open in a browser: answer it with a file of the repository
  await page.evaluate((p) => { window.go.app.ImportService.PickFile = async () => p; },
    join(ROOT, 'practice', 'data', 'hospital_needs_wuhan.json'));
  await page.getByTestId('import-pick').click();
  await page.getByTestId('import-preview').waitFor();
  await shot('12-import');

  // the partner covenant (issue 16): published, asked of every member
  await nav('volunteers');
  await page.getByTestId('covenant-write').click();
  await page.getByTestId('covenant-text').fill('一、不泄露求助者的姓名、电话和住址。\n二、不经手钱款与物资，只做信息核实与对接。\n三、外出执行任务前登记计划返回时间，返回后签退。');
  await page.getByTestId('covenant-publish').click();
  await page.getByTestId('covenant-banner').waitFor();
  await page.getByTestId('covenant-banner-read').click();
  await page.getByTestId('covenant-panel').scrollIntoViewIfNeeded();
  await shot('13-covenant');
  await page.getByTestId('covenant-banner-accept').click();
  await page.getByTestId('covenant-banner').waitFor({ state: 'detached' });

  // review with evidence: the approve form of a collected demand
  await nav('demands');
  await page.getByRole('combobox', { name: '全部状态' }).selectOption('collected');
  await page.getByTestId('demand-row').first().locator('.row-open').click();
  await page.getByTestId('demand-detail').waitFor();
  await page.getByTestId('action-approve').click();
  await page.getByTestId('evidence-caller').fill('王');
  await page.getByTestId('evidence-outcome').fill('电话确认仍需要');
  await page.getByTestId('action-form').scrollIntoViewIfNeeded();
  await shot('14-approve-evidence');
  await page.keyboard.press('Escape');
  await page.getByTestId('demand-detail').waitFor({ state: 'detached', timeout: 5000 }).catch(async () => {
    await page.getByRole('button', { name: '关闭' }).first().click();
  });

  // recruitment and training (issue 16): two courses, a completion signed by
  // the coordinator, the stages, who needs which course; in Chinese and in English
  await nav('volunteers');
  const training = page.getByTestId('training-panel');
  for (const [name, skill, days, covers] of [
    ['驾驶安全与车辆消毒', '司机', '180', '行车安全、车辆消毒流程、防护用品穿脱'],
    ['物资仓储规范', '物资对接', '0', '入库登记、分区存放、出库核对'],
  ]) {
    await training.getByTestId('course-new').click();
    const form = training.getByTestId('course-form');
    await form.locator('input[name=courseName]').fill(name);
    await form.locator('input[name=qualifies]').fill(skill);
    await form.locator('input[name=validityDays]').fill(days);
    await form.locator('textarea[name=courseDescription]').fill(covers);
    await form.locator('input[name=materialsLink]').fill('https://example.org/training');
    await form.getByTestId('course-save').click();
    await training.getByTestId('course-row').filter({ hasText: name }).waitFor();
  }
  const driving = training.getByTestId('course-row').filter({ hasText: '驾驶安全与车辆消毒' });
  await driving.getByTestId('completion-volunteer').selectOption({ index: 1 });
  await driving.getByTestId('completion-record').click();
  await driving.getByTestId('completion-row').first().waitFor();
  await training.getByTestId('training-need').first().waitFor();
  // the whole section, taller than the window
  const shotOf = async (name, el) => {
    await page.waitForTimeout(400);
    const path = join(DIR, `${name}.png`);
    await el.screenshot({ path });
    n++;
    console.log(path);
  };
  await shotOf('15-training', training);
  await page.getByTestId('lang-en').click();
  await training.getByText('Recruitment and training').waitFor();
  await shotOf('15-training-en', training);
  await page.getByTestId('lang-zh-CN').click();

  // several incidents on one laptop (issue 16): two networks, the header's switch open
  await page.goto(URL);
  await page.getByTestId('incident-switch').click();
  await page.getByTestId('incident-option').first().click(); // leaves practice for this laptop's first incident
  await page.getByTestId('onboarding').waitFor();
  await page.locator('input[name=incident]').fill('2026 赣江洪水');
  await page.locator('input[name=name]').fill('协调员 李');
  await page.locator('form button[type=submit]').click();
  await page.getByTestId('onboarding').waitFor({ state: 'detached' });
  await page.getByTestId('incident-switch').click();
  await page.getByTestId('incident-background').first().check();
  await page.getByTestId('incident-add').click();
  await page.getByTestId('onboarding').waitFor();
  await page.locator('input[name=incident]').fill('2026 川西地震');
  await page.locator('input[name=name]').fill('协调员 李');
  await page.locator('form button[type=submit]').click();
  await page.getByTestId('onboarding').waitFor({ state: 'detached' });
  await page.getByTestId('incident-switch').click();
  await page.getByTestId('incident-syncing').waitFor({ timeout: 20_000 });
  await shot('20-incidents');

  // working groups (issue 16): a coordinator creates the medical group and follows it
  await page.keyboard.press('Escape');
  await nav('volunteers');
  await page.getByTestId('group-new').click();
  const gform = page.getByTestId('group-form');
  await gform.locator('input[name=groupName]').fill('医疗组');
  await gform.locator('select[name=groupFunction]').selectOption('medical');
  await gform.locator('select[name=groupLead]').selectOption({ index: 1 });
  await gform.getByLabel('医疗物资').check();
  await gform.getByLabel('防护用品').check();
  await gform.locator('input[name=groupSkills]').fill('医生、护士');
  await page.getByTestId('group-save').click();
  await page.getByTestId('group-row').waitFor();
  await page.getByTestId('group-follow').click();
  await page.getByTestId('group-inbox').click();
  await page.getByTestId('group-inbox-list').waitFor();
  await page.getByTestId('groups').scrollIntoViewIfNeeded();
  await shot('21-groups');
  console.log(`${n} screenshots in ${DIR}`);
} catch (e) {
  console.error(`screenshots failed after ${n}: ${e.message}\n--- wails dev log (tail) ---\n${backend.log().slice(-3000)}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  await backend.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
