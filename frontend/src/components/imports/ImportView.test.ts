import { describe, it, expect, vi, beforeAll, beforeEach } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/svelte';
import { setupI18n, setLocale } from '../../lib/i18n';
import type { ImportPreview, ImportProgress, ImportReport } from '../../api/imports';

const m = vi.hoisted(() => {
  let progress: ((p: { done: number; total: number }) => void) | null = null;
  return {
    pickFile: vi.fn(), preview: vi.fn(), previewMapping: vi.fn(), run: vi.fn(), exportAt: vi.fn(), exportWith: vi.fn(), planUndo: vi.fn(), undo: vi.fn(),
    exportLevels: vi.fn(async () => ['public']),
    bulletinCount: vi.fn(async () => ({ demands: 3, unpublished: 0 })),
    mergeDuplicate: vi.fn(), keepSeparate: vi.fn(),
    // the event bus: import:progress reaches the import store through api.on
    on: vi.fn((event: string, fn: (p: { done: number; total: number }) => void) => {
      if (event !== 'import:progress') return () => {};
      progress = fn;
      return () => { progress = null; };
    }),
    emit: (p: { done: number; total: number }) => progress?.(p),
  };
});
vi.mock('../../api/imports', () => ({
  EXPORT_FORMATS: ['csv', 'xlsx', 'json'],
  importsApi: { pickFile: m.pickFile, preview: m.preview, previewMapping: m.previewMapping, run: m.run,
    exportAt: m.exportAt, exportWith: m.exportWith, exportLevels: m.exportLevels, bulletinCount: m.bulletinCount, planUndo: m.planUndo, undo: m.undo },
}));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  const events = await import('../../api/events');
  return { ...errors, ...events, api: { mergeDuplicate: m.mergeDuplicate, keepSeparate: m.keepSeparate, on: m.on } };
});

import ImportView from './ImportView.svelte';
import { ApiError } from '../../api/errors';

function preview(over: Partial<ImportPreview> = {}): ImportPreview {
  return {
    path: '/data/week1.csv', file: 'week1.csv', format: 'csv', encoding: 'gb18030', sheet: '', sheets: [], headerRow: 1,
    mapping: { signature: 'sig1', kind: 'demand', columns: [
      { index: 0, header: '医院名称', tag: '', field: 'org' },
      { index: 1, header: '需求物资', tag: '', field: 'items' },
      { index: 2, header: '备注', tag: '', field: 'notes' },
    ] },
    remembered: false, fields: ['', 'org', 'items', 'notes', 'contacts'],
    rows: [{ row: 2, line: 2, cells: ['汉口医院', 'N95口罩/防护服', '夜班'] }], rowCount: 1,
    records: [{ row: 2, kind: 'demand', org: '汉口医院', district: '', address: '', category: 'medical', items: ['N95口罩', '防护服'], contacts: [], status: '' }],
    recordCount: 1, demands: 1, offers: 0, whole: { sheets: 1, rows: 1, records: 1, demands: 1, offers: 0 },
    problems: [{ file: 'week1.csv', sheet: '', row: 2, field: '联系人', value: '138', message: "'138' is not a phone number", rejected: false,
      code: 'bad_phone', args: { value: '138' } }],
    problemCount: 1, unmapped: [], ...over,
  };
}
const report: ImportReport = {
  path: '/data/week1.csv', file: 'week1.csv', records: 60, created: 55, updated: 1, held: 1, skipped: 0, flagged: 3, rejected: 0, cut: 0, ids: [],
  updates: [
    { kind: 'demand', file: 'week1.csv', row: 3, org: '武昌医院', id: 'u1', code: 'D-UUUUU1', fields: ['items'], held: false, edited: [], sealed: [] },
    { kind: 'demand', file: 'week1.csv', row: 4, org: '协和医院', id: 'u2', code: 'D-UUUUU2', fields: ['items', 'contacts'], held: true, edited: ['contacts'], sealed: [] },
    // a volunteer's re-import: the stored contacts are sealed, not compared
    { kind: 'demand', file: 'week1.csv', row: 5, org: '汉口医院', id: 'u3', code: 'D-UUUUU3', fields: [], held: true, edited: [], sealed: ['contacts'] },
  ],
  duplicates: [{ file: 'week1.csv', row: 7, org: '汉口医院', id: 'abc', code: 'D-AAAAAA', original: 'def', originalCode: 'D-BBBBBB',
    originalOrg: '武汉市汉口医院', reasons: ['same organisation', 'same phone +8613800000001'], addsContacts: 1, addsItems: [] }],
  problems: [{ file: 'week1.csv', sheet: '', row: 9, field: 'contact', value: 'x', message: 'no phone', rejected: true, code: '', args: {} }],
};

beforeAll(() => setupI18n('en'));
beforeEach(() => vi.clearAllMocks());

async function opened() {
  m.pickFile.mockResolvedValueOnce('/data/week1.csv');
  m.preview.mockResolvedValueOnce(preview());
  render(ImportView, {});
  await fireEvent.click(screen.getByTestId('import-pick'));
  await vi.waitFor(() => expect(screen.getByTestId('import-preview')).toBeTruthy());
}

describe('ImportView', () => {
  it('lists the columns mapped to no field with their samples', async () => {
    m.pickFile.mockResolvedValueOnce('/data/week1.csv');
    m.preview.mockResolvedValueOnce(preview({
      unmapped: [{ index: 3, column: 'J', cells: 24, samples: ['已配送', '500个n95'] }],
      problems: [{ file: 'week1.csv', sheet: '', row: 0, field: 'J', value: '已配送 | 500个n95', message: 'column J is mapped to no field', rejected: false,
        code: 'unmapped_column', args: { column: 'J', cells: '24', samples: '已配送 | 500个n95' } }],
    }));
    render(ImportView, {});
    await fireEvent.click(screen.getByTestId('import-pick'));
    await vi.waitFor(() => expect(screen.getByTestId('import-unmapped')).toBeTruthy());
    const list = screen.getByTestId('import-unmapped').textContent ?? '';
    expect(list).toContain('J');
    expect(list).toContain('24 cells');
    expect(list).toContain('已配送 | 500个n95');
    expect(screen.getByTestId('import-problems').textContent).toContain('Column “J” is mapped to no field (24 cells');
  });

  it('names the sheet of each problem of a workbook, in both languages', async () => {
    m.pickFile.mockResolvedValueOnce('/data/hospitals.xlsx');
    m.preview.mockResolvedValueOnce(preview({
      file: 'hospitals.xlsx', format: 'xlsx', encoding: '', sheet: '武汉市第七医院', sheets: ['武汉市第七医院', '协和医院'],
      whole: { sheets: 2, rows: 7, records: 6, demands: 6, offers: 0 },
      problems: [
        { file: 'hospitals.xlsx', sheet: '填表说明', row: 0, field: '', value: '', message: 'sheet not imported', rejected: false,
          code: 'sheet_text', args: { sheet: '填表说明' } },
        { file: 'hospitals.xlsx', sheet: '武汉市第七医院', row: 3, field: '联系人', value: '1.38E+10', message: 'scientific', rejected: false,
          code: 'phone_scientific', args: { value: '1.38E+10' } },
      ],
      problemCount: 2,
    }));
    render(ImportView, {});
    await fireEvent.click(screen.getByTestId('import-pick'));
    await vi.waitFor(() => expect(screen.getByTestId('import-problems')).toBeTruthy());
    const table = screen.getByTestId('import-problems');
    expect(table.querySelector('thead')!.textContent).toContain('Sheet');
    expect(screen.getAllByTestId('problem-sheet').map((c) => c.textContent)).toEqual(['填表说明', '武汉市第七医院']);
    expect(table.textContent).toContain('whole sheet');
    expect(table.textContent).toContain('Sheet “填表说明” holds text');
    // the import writes both sheets: the preview and its button say so (they said the first sheet's 1)
    expect(screen.getByTestId('import-whole').textContent).toContain('all 2 sheets');
    expect(screen.getByTestId('import-whole').textContent).toContain('6 records');
    expect(screen.getByTestId('import-run').textContent).toContain('Import 6 records');
    setLocale('zh-CN');
    await vi.waitFor(() => expect(screen.getByTestId('import-problems').querySelector('thead')!.textContent).toContain('工作表'));
    expect(screen.getByTestId('import-problems').textContent).toContain('整个工作表');
    expect(screen.getByTestId('import-problems').textContent).toContain('工作表“填表说明”是文字');
    setLocale('en');
  });

  it('shows no sheet column for a CSV', async () => {
    await opened();
    expect(screen.getByTestId('import-problems').querySelector('thead')!.textContent).not.toContain('Sheet');
    expect(screen.queryAllByTestId('problem-sheet')).toEqual([]);
  });

  it('shows the preview with one select per column and the problems with file and row', async () => {
    await opened();
    expect(m.preview).toHaveBeenCalledWith('/data/week1.csv');
    expect((screen.getByTestId('map-0') as HTMLSelectElement).value).toBe('org');
    expect((screen.getByTestId('map-2') as HTMLSelectElement).value).toBe('notes');
    expect(screen.getByLabelText('Field for column 备注')).toBe(screen.getByTestId('map-2'));
    expect(screen.getByTestId('import-counts').textContent).toContain('1 row read as 1 record: 1 demand, 0 offers');
    const probs = screen.getByTestId('import-problems').textContent!;
    expect(probs).toContain('week1.csv');
    expect(probs).toContain('“138” is not a phone number; kept as written'); // translated by its code
  });

  it('a changed column is sent in the preview and in the import', async () => {
    await opened();
    m.previewMapping.mockImplementation(async (_path: string, mp: ImportPreview['mapping']) => preview({ mapping: mp }));
    await fireEvent.change(screen.getByTestId('map-2'), { target: { value: '' } });
    await vi.waitFor(() => expect(m.previewMapping).toHaveBeenCalledTimes(1));
    const [path, sent] = m.previewMapping.mock.calls[0];
    expect(path).toBe('/data/week1.csv');
    expect(sent.columns.map((c: { field: string }) => c.field)).toEqual(['org', 'items', '']);
    expect(sent.signature).toBe('sig1');

    await fireEvent.change(screen.getByTestId('import-kind'), { target: { value: 'offer' } });
    await vi.waitFor(() => expect(m.previewMapping).toHaveBeenCalledTimes(2));

    m.run.mockResolvedValueOnce(report);
    await fireEvent.click(screen.getByTestId('import-run'));
    await vi.waitFor(() => expect(m.run).toHaveBeenCalledTimes(1));
    const ran = m.run.mock.calls[0][1];
    expect(ran.kind).toBe('offer');
    expect(ran.columns.map((c: { field: string }) => c.field)).toEqual(['org', 'items', '']);
  });

  it('renders progress while importing, then the report with duplicates and problems', async () => {
    await opened();
    let finish!: (r: ImportReport) => void;
    m.run.mockReturnValueOnce(new Promise<ImportReport>((res) => (finish = res)));
    await fireEvent.click(screen.getByTestId('import-run'));
    await vi.waitFor(() => expect(screen.getByTestId('import-progress')).toBeTruthy());
    m.emit({ done: 25, total: 60 } satisfies ImportProgress);
    await vi.waitFor(() => expect(screen.getByTestId('import-progress').textContent).toContain('Importing… 25 of 60 · 42%'));
    expect(screen.getByTestId('import-progress').querySelector('progress')!.value).toBe(25);
    finish(report);
    await vi.waitFor(() => expect(screen.getByTestId('import-report')).toBeTruthy());
    expect(screen.queryByTestId('import-progress')).toBeNull();
    expect(screen.getByTestId('count-created').textContent).toBe('55');
    expect(screen.getByTestId('count-updated').textContent).toBe('1');
    expect(screen.getByTestId('count-held').textContent).toBe('1');
    const upd = screen.getByTestId('import-updates').textContent!;
    expect(upd).toContain('D-UUUUU1');
    expect(upd).toContain('supplies, contacts'); // English lists join with a comma
    expect(upd).toContain('not overwritten: contacts edited in the app');
    expect(screen.getByTestId('update-sealed').textContent).toContain('not compared: contacts sealed');
    expect(upd.match(/not overwritten/g)).toHaveLength(1); // the sealed row is not told as edited in the app
    expect(screen.getByTestId('count-flagged').textContent).toBe('3');
    const dups = screen.getByTestId('import-duplicates').textContent!;
    expect(dups).toContain('D-AAAAAA');
    expect(dups).toContain('D-BBBBBB');
    expect(dups).toContain('same organisation；same phone 138 0000 0001');
    expect(screen.getByTestId('import-problems').textContent).toContain('not imported');
  });

  it('answers a flagged duplicate in the report: merge once confirmed, or keep separate', async () => {
    await opened();
    const two: ImportReport = { ...report, duplicates: [report.duplicates[0], { ...report.duplicates[0], id: 'ghi', code: 'D-CCCCCC' }] };
    m.run.mockResolvedValueOnce(two);
    await fireEvent.click(screen.getByTestId('import-run'));
    await vi.waitFor(() => expect(screen.getByTestId('import-duplicates')).toBeTruthy());
    m.mergeDuplicate.mockResolvedValueOnce({ id: 'def' });
    await fireEvent.click(screen.getByTestId('dup-merge-abc'));
    expect(m.mergeDuplicate).not.toHaveBeenCalled(); // it cannot be undone: it asks first
    expect(screen.getByTestId('dup-confirm-abc').textContent)
      .toBe('Merge 1 contact into D-BBBBBB 武汉市汉口医院? This cannot be undone.');
    await fireEvent.click(screen.getByTestId('dup-merge-no-abc'));
    expect(screen.queryByTestId('dup-confirm-abc')).toBeNull();
    await fireEvent.click(screen.getByTestId('dup-merge-abc'));
    await fireEvent.click(screen.getByTestId('dup-merge-yes-abc'));
    await vi.waitFor(() => expect(screen.getByTestId('dup-answer-abc').textContent).toContain('Merged into the original'));
    expect(m.mergeDuplicate).toHaveBeenCalledWith('abc');
    expect(m.keepSeparate).not.toHaveBeenCalled();
    m.keepSeparate.mockRejectedValueOnce(new ApiError('not_allowed', 'id', 'keep D-CCCCCC separate: role volunteer: not allowed'));
    await fireEvent.click(screen.getByTestId('dup-keep-ghi'));
    await vi.waitFor(() => expect(screen.getByTestId('import-error')).toBeTruthy());
    expect(m.keepSeparate).toHaveBeenCalledWith('ghi');
    expect(screen.getByTestId('dup-keep-ghi')).toBeTruthy(); // still open after a refusal
  });

  it('says which file cannot be imported', async () => {
    m.pickFile.mockResolvedValueOnce('/data/needs.json');
    m.preview.mockRejectedValueOnce(new ApiError('import', 'path', 'needs.json: line 2, column 15: invalid character'));
    render(ImportView, {});
    await fireEvent.click(screen.getByTestId('import-pick'));
    await vi.waitFor(() => expect(screen.getByTestId('import-error').textContent)
      .toBe('This file cannot be imported: needs.json: line 2, column 15: invalid character'));
  });

  it('says a file cut short is cut short, and where', async () => {
    m.pickFile.mockResolvedValueOnce('/data/broken.json');
    m.preview.mockRejectedValueOnce(new ApiError('import', 'path', 'broken.json: the file is cut short: …',
      { reason: 'file_cut_short', file: 'broken.json', line: '2', column: '1', byte: '24' }));
    render(ImportView, {});
    await fireEvent.click(screen.getByTestId('import-pick'));
    await vi.waitFor(() => expect(screen.getByTestId('import-error').textContent)
      .toBe('This file cannot be imported: broken.json is cut short — it ends at line 2, column 1 (byte 24) in the middle of its data, as a file not fully downloaded or copied does. Get the whole file again and import it.'));
  });

  it('exports the public bulletin and says where', async () => {
    m.exportAt.mockResolvedValueOnce({ path: '/tmp/b.xlsx', format: 'xlsx', level: 'public', demands: 3, canceled: false });
    render(ImportView, {});
    await fireEvent.click(screen.getByTestId('export-xlsx'));
    await vi.waitFor(() => expect(screen.getByTestId('export-done').textContent).toBe('Wrote 3 demands to /tmp/b.xlsx'));
    expect(m.exportAt).toHaveBeenCalledWith('xlsx', 'public');
    expect(screen.queryByTestId('export-level-team')).toBeNull(); // not cleared: only public offered
  });

  it('says before exporting that nothing is published, and how many wait', async () => {
    m.bulletinCount.mockResolvedValueOnce({ demands: 0, unpublished: 45 });
    m.exportAt.mockResolvedValueOnce({ path: '/tmp/b.csv', format: 'csv', level: 'public', demands: 0, unpublished: 45, canceled: false });
    render(ImportView, {});
    await vi.waitFor(() => expect(screen.getByTestId('export-none-published').textContent).toBe(
      'No published demands: a bulletin holds published and in-progress demands only; 45 more are waiting for review or publication.'));
    await fireEvent.click(screen.getByTestId('export-csv'));
    await vi.waitFor(() => expect(screen.getByTestId('export-done').textContent).toBe('Wrote 0 demands to /tmp/b.csv'));
    expect(screen.getByTestId('export-empty').textContent).toContain('45 more are waiting');
  });

  it('says how to include unpublished demands, includes them when asked, and says the bulletin is signed', async () => {
    m.bulletinCount.mockResolvedValueOnce({ demands: 0, unpublished: 45 });
    m.exportWith.mockResolvedValueOnce({ path: '/tmp/b.csv', format: 'csv', level: 'public', demands: 45, unpublished: 0, canceled: false,
      sigPath: '/tmp/b.csv.sig', signProblem: '' });
    render(ImportView, {});
    await vi.waitFor(() => expect(screen.getByTestId('export-none-how').textContent).toContain('tick “Include demands not yet published”'));
    await fireEvent.click(screen.getByTestId('export-include-unpublished'));
    expect(screen.queryByTestId('export-none-published')).toBeNull();
    await fireEvent.click(screen.getByTestId('export-csv'));
    await vi.waitFor(() => expect(screen.getByTestId('export-done').textContent).toBe('Wrote 45 demands to /tmp/b.csv'));
    expect(m.exportWith).toHaveBeenCalledWith('csv', 'public', true);
    expect(screen.getByTestId('export-signed').textContent).toContain('Signed: /tmp/b.csv.sig');
  });

  it('says why a bulletin is not signed', async () => {
    m.exportAt.mockResolvedValueOnce({ path: '/tmp/b.csv', format: 'csv', level: 'public', demands: 3, unpublished: 0, canceled: false,
      sigPath: '', signProblem: 'not_allowed' });
    render(ImportView, {});
    await fireEvent.click(screen.getByTestId('export-csv'));
    await vi.waitFor(() => expect(screen.getByTestId('export-unsigned').textContent).toContain('not a member of the network yet'));
  });

  it('says the signature file could not be written, not only that signing failed', async () => {
    m.exportAt.mockResolvedValueOnce({ path: '/tmp/b.csv', format: 'csv', level: 'public', demands: 3, unpublished: 0, canceled: false,
      sigPath: '', signProblem: 'storage' });
    render(ImportView, {});
    await fireEvent.click(screen.getByTestId('export-csv'));
    await vi.waitFor(() => expect(screen.getByTestId('export-unsigned').textContent)
      .toBe('Not signed: the signature file could not be written beside the bulletin (is the disk full, or the folder read-only?); the bulletin itself was written.'));
  });

  it('says nothing about publishing when demands are published', async () => {
    render(ImportView, {});
    await vi.waitFor(() => expect(m.bulletinCount).toHaveBeenCalled());
    // the count store may still hold the previous screen's answer until this one arrives
    await vi.waitFor(() => expect(screen.queryByTestId('export-none-published')).toBeNull());
  });

  it('offers the levels this member is cleared for and confirms a restricted export', async () => {
    m.exportLevels.mockResolvedValueOnce(['public', 'team', 'restricted']);
    m.exportAt.mockResolvedValue({ path: '/tmp/r.csv', format: 'csv', level: 'restricted', demands: 2, canceled: false });
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    render(ImportView, {});
    await vi.waitFor(() => expect(screen.getByTestId('export-level-restricted')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('export-level-restricted'));
    expect(screen.getByTestId('export-help').textContent).toContain('phone numbers');
    await fireEvent.click(screen.getByTestId('export-csv'));
    expect(confirm.mock.calls[0][0]).toContain('phone numbers and names');
    expect(m.exportAt).not.toHaveBeenCalled(); // declined
    await fireEvent.click(screen.getByTestId('export-csv'));
    await vi.waitFor(() => expect(m.exportAt).toHaveBeenCalledWith('csv', 'restricted'));
    confirm.mockRestore();
  });

  it('says so when the backend refuses a level', async () => {
    m.exportLevels.mockResolvedValueOnce(['public', 'team']);
    m.exportAt.mockRejectedValueOnce(new ApiError('not_allowed', 'level', 'this member is not cleared for a team bulletin'));
    render(ImportView, {});
    await vi.waitFor(() => expect(screen.getByTestId('export-level-team')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('export-level-team'));
    await fireEvent.click(screen.getByTestId('export-csv'));
    await vi.waitFor(() => expect(screen.getByTestId('export-error').textContent).toBe('You are not cleared to export a Team bulletin.'));
  });

  it('says the folder of an export does not exist, not the temporary file (finding 8 of session 12)', async () => {
    m.exportLevels.mockResolvedValueOnce(['public']);
    m.exportAt.mockRejectedValueOnce(new ApiError('storage', 'path', 'write /media/usb/x.xlsx: the folder /media/usb does not exist',
      { reason: 'dir_missing', dir: '/media/usb' }));
    render(ImportView, {});
    await vi.waitFor(() => expect(screen.getByTestId('export-csv')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('export-csv'));
    await vi.waitFor(() => expect(screen.getByTestId('export-error').textContent)
      .toBe('The folder /media/usb does not exist: create it first, or choose a folder that exists. Nothing was written.'));
  });

  it('shows each record\'s place as resolved before anything is written', async () => {
    m.pickFile.mockResolvedValueOnce('/data/week1.csv');
    m.preview.mockResolvedValueOnce(preview({ records: [{ ...preview().records[0], district: '钟祥市', place: '湖北省 荆门市 钟祥市' }] }));
    render(ImportView, {});
    await fireEvent.click(screen.getByTestId('import-pick'));
    await vi.waitFor(() => expect(document.body.textContent).toContain('湖北省 荆门市 钟祥市'));
  });

  it('undoes the import: lists what it withdraws and keeps, then withdraws on confirmation', async () => {
    await opened();
    m.run.mockResolvedValueOnce({ ...report, ids: ['a1', 'a2'], updates: [] });
    await fireEvent.click(screen.getByTestId('import-run'));
    await vi.waitFor(() => expect(screen.getByTestId('import-report')).toBeTruthy());
    const plan = { withdraw: [{ kind: 'demand', id: 'a1', code: 'D-AAAAA1', title: '社区一' }],
      kept: [{ kind: 'demand', id: 'a2', code: 'D-AAAAA2', title: '社区二', reason: 'acted' }] };
    m.planUndo.mockResolvedValueOnce(plan);
    await fireEvent.click(screen.getByTestId('undo-plan'));
    await vi.waitFor(() => expect(screen.getByTestId('undo-confirm')).toBeTruthy());
    expect(m.planUndo).toHaveBeenCalledWith(['a1', 'a2'], []);
    expect(m.undo).not.toHaveBeenCalled();
    expect(screen.getByTestId('undo-kept').textContent).toContain('someone acted on it since the import: kept');
    m.undo.mockResolvedValueOnce(plan);
    await fireEvent.click(screen.getByTestId('undo-confirm'));
    await vi.waitFor(() => expect(screen.getByTestId('import-undo').textContent).toContain('1 record withdrawn; 1 kept'));
    expect(m.undo).toHaveBeenCalledWith(['a1', 'a2'], []);
  });

  it('undoes a re-import: tells the records it updated as updated by it, not created by it', async () => {
    await opened();
    // u1 was updated (written), u2 and u3 held (nothing written, not in ids)
    m.run.mockResolvedValueOnce({ ...report, ids: ['a1', 'u1'] });
    await fireEvent.click(screen.getByTestId('import-run'));
    await vi.waitFor(() => expect(screen.getByTestId('import-report')).toBeTruthy());
    m.planUndo.mockResolvedValueOnce({ withdraw: [{ kind: 'demand', id: 'a1', code: 'D-AAAAA1', title: '社区一' }],
      kept: [{ kind: 'demand', id: 'u1', code: 'D-UUUUU1', title: '武昌医院', reason: 'updated' }] });
    await fireEvent.click(screen.getByTestId('undo-plan'));
    await vi.waitFor(() => expect(screen.getByTestId('undo-kept')).toBeTruthy());
    expect(m.planUndo).toHaveBeenCalledWith(['a1', 'u1'], ['u1']);
    expect(screen.getByTestId('undo-kept').textContent)
      .toContain('D-UUUUU1 武昌医院：updated by this import, not created by it: an undo withdraws only what it created');
  });
});
