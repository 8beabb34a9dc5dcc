import { describe, it, expect, beforeAll } from 'vitest';
import { get } from 'svelte/store';
import { _, setupI18n, setLocale } from './i18n';
import { fieldText, problemText } from './problems';
import importsEn from '../locales/imports.en.json';

const t = (k: string, o?: { values: Record<string, string> }) => get(_)(k, o);

// The codes the importer gives (importer/problem.go); each must be translated.
const CODES = ['cell_count', 'empty_row', 'repeated_row', 'no_org', 'not_in_catalog', 'no_supply_name', 'bad_quantity', 'negative_quantity', 'bad_status',
  'bad_phone', 'no_phone', 'invalid_record', 'store_refused', 'offer_present', 'message_too_long', 'not_found',
  'cut', 'items_cut', 'contacts_cut', 'file_cut', 'unmapped_column', 'text_quantity', 'noise_cell', 'row_cut', 'bad_bytes', 'column_mismatch',
  'offer_present_adds', 'bad_urgency', 'received_kept', 'contact_sealed', 'quantity_unassigned', 'extra_cells', 'totals_rows', 'hidden_rows', 'quantity_at_least', 'header_repeated', 'thousands_split',
  'date_serial', 'date_year', 'date_no_year', 'date_kept', 'date_zone', 'phone_scientific', 'sheet_empty', 'sheet_text', 'sheet_pivot', 'sheet_no_columns',
  'sheet_as_org', 'sheet_as_district', 'bad_bytes_cell', 'formula_no_value', 'sheet_hidden',
  'kind_no_demand_shape', 'kind_offer_words', 'duplicate_row', 'duplicate_row_kept', 'tag_header', 'tag_over_header', 'quantity_zero', 'nothing_needed', 'rows_gone', 'same_row_twice', 'offer_repeats_row',
  'same_row_twice_file', 'offer_repeats_file_row', 'text_phone_shared', 'last_row_may_be_cut', 'service_line', 'shared_phone_column', 'text_phone_held',
  'place_disagrees', 'merged_own_record', 'place_cells_disagree', 'place_shared_name', 'merged_row_apart'];

beforeAll(() => setupI18n('en'));

describe('problemText', () => {
  it('every importer code has a message', () => {
    expect(Object.keys(importsEn.imports.problemCode).sort()).toEqual([...CODES].sort());
  });
  it('translates by code with the arguments, in both languages', () => {
    const p = { code: 'bad_phone', args: { value: '138' }, message: "\"138\" is not a phone number; kept as written" };
    setLocale('en');
    expect(problemText(p, t)).toBe('“138” is not a phone number; kept as written');
    setLocale('zh-CN');
    expect(problemText(p, t)).toBe('“138”不是有效的电话号码；按原文保留');
    expect(problemText({ code: 'offer_present', args: { code: 'O-AAAAAA', supplier: '如家酒店', reason: 'same phone +8613800000001' }, message: 'x' }, t))
      .toBe('已有相同的供给 O-AAAAAA（如家酒店，电话相同 138 0000 0001）；未重复导入');
    expect(problemText({ code: 'not_found', args: { what: 'contacts' }, message: 'no contact found' }, t)).toBe('未找到联系人');
    expect(problemText({ code: 'text_quantity', args: { column: '目前处理进度', name: '防护服', value: '10000' }, message: 'x' }, t))
      .toBe('从“目前处理进度”列的文字中读出“防护服”数量 10000；请审核员核实');
    // a sealed cell names the kinds in words, not codes (id_card)
    const sealed = { code: 'contact_sealed', args: { column: '备注', count: '1', kinds: 'id_card', kinds_en: 'identity card number', kinds_zh: '身份证号', whole: '0' }, message: 'x' };
    expect(problemText(sealed, t)).toContain('1 个联系方式（身份证号）');
    setLocale('en');
    expect(problemText(sealed, t)).toContain('1 contact (identity card number)');
  });
  it('says a negative quantity is below zero, not that it is not a number', () => {
    const p = { code: 'negative_quantity', args: { value: '-5' }, message: 'quantity "-5" is below zero; kept in the spec' };
    setLocale('zh-CN');
    expect(problemText(p, t)).toBe('数量“-5”小于零；已写入规格');
    setLocale('en');
    expect(problemText(p, t)).toBe('Quantity “-5” is below zero; kept in the specification');
  });
  it('names the field in the user\'s language, and an unknown one as it is', () => {
    setLocale('zh-CN');
    expect(['item', 'quantity', 'contacts', 'supplies', 'org'].map((f) => fieldText(f, t))).toEqual(['物资', '数量', '联系人', '物资', '机构']);
    expect(fieldText('需求数量（个）', t)).toBe('需求数量（个）');
    expect(fieldText('', t)).toBe('');
    setLocale('en');
    expect(fieldText('quantity', t)).toBe('Quantity');
    expect(fieldText('#meta+extra', t)).toBe('#meta+extra');
  });
  it('says what an import cut, naming the field, in both languages', () => {
    const cut = { code: 'cut', args: { field: 'address', kept: '1000', had: '1013' }, message: 'address longer than 1000 characters' };
    const items = { code: 'items_cut', args: { kept: '1000', had: '1200' }, message: 'more than 1000 supplies' };
    const part = { code: 'cut', args: { field: 'contact_name', kept: '100', had: '103' }, message: 'contact_name longer than 100 characters' };
    setLocale('zh-CN');
    expect(problemText(cut, t)).toBe('地址超过长度上限：只导入了全部 1013 个字符中的前 1000 个');
    expect(problemText(items, t)).toBe('物资超过 1000 项：只导入了全部 1200 项中的前 1000 项');
    expect(problemText(part, t)).toBe('联系人姓名超过长度上限：只导入了全部 103 个字符中的前 100 个');
    setLocale('en');
    expect(problemText(cut, t)).toBe('Address longer than the limit: the first 1,000 of its 1,013 characters were imported');
    expect(problemText(items, t)).toBe('More than 1,000 supplies: the first 1,000 of 1,200 were imported');
  });
  it('counts a pasted message in characters, not bytes', () => {
    const p = { code: 'message_too_long', args: { max: '5000' }, message: 'message longer than 5000 characters' };
    setLocale('zh-CN');
    expect(problemText(p, t)).toBe('消息超过 5000 个字符：其余部分已忽略');
    setLocale('en');
    expect(problemText(p, t)).toBe('Message longer than 5,000 characters: the rest was ignored');
  });
  it('lists rows with 、 in Chinese, from rows_zh or from an older report without it', () => {
    const shared = { code: 'text_phone_shared', args: { count: '4', numbers: '1', rows: '2, 3, 4, 5', rows_zh: '2、3、4、5' }, message: 'x' };
    setLocale('zh-CN');
    expect(problemText(shared, t)).toContain('第 2、3、4、5 行');
    const old = { ...shared, args: { count: '4', numbers: '1', rows: '2, 3, 4, 5' } };
    expect(problemText(old, t)).toContain('第 2、3、4、5 行');
    setLocale('en');
    expect(problemText(shared, t)).toContain('4 rows (2, 3, 4, 5)');
  });
  it('tells a service line, a shared number, old demands holding a hotline and a last row that may be cut', () => {
    const line = { code: 'service_line', args: { number: '12345', column: '联系电话', count: '4', total: '4', rows: '2, 3, 4, 5', rows_zh: '2、3、4、5' }, message: 'x' };
    const held = { code: 'text_phone_held', args: { count: '2', rows: '2, 3', rows_zh: '2、3', held: '1', demands: 'D-ABC123 旧医院', demands_zh: 'D-ABC123 旧医院' }, message: 'x' };
    const cut = { code: 'last_row_may_be_cut', args: { row: '4', line: '4' }, message: 'x' };
    setLocale('zh-CN');
    expect(problemText(line, t)).toContain('12345 是 4 行中 4 行（第 2、3、4、5 行）“联系电话”列的电话：这是服务热线');
    expect(problemText(held, t)).toContain('已有的 1 条需求自己的联系电话（D-ABC123 旧医院）');
    expect(problemText(cut, t)).toContain('无法判断文件是完整的，还是在最后一行（第 4 行，文件第 4 行）中途被截断');
    setLocale('en');
    expect(problemText(line, t)).toContain('12345 is given as the phone');
    expect(problemText(held, t)).toContain('Rows 2, 3 — a phone number written in their text is held as its own by a demand already present (D-ABC123 旧医院): they are flagged');
    expect(problemText(cut, t)).toContain('cannot be told whole from a copy cut short inside its last row, row 4 (line 4)');
  });
  it('tells an address naming another place than the row\'s cells, and a merged row imported on its own', () => {
    const place = { code: 'place_disagrees', args: { cells: '江汉区', place: '湖北省武汉市江汉区', address: '广州市天河区体育西路1号', address_place: '广东省广州市天河区' }, message: 'x' };
    const merged = { code: 'merged_own_record', args: { row: '3', first: '2', column: '医院名称', value: '甲医院', columns: '区县, 地址', columns_zh: '区县、地址' }, message: 'x' };
    setLocale('zh-CN');
    expect(problemText(place, t)).toBe('本行的地点单元格（江汉区）是湖北省武汉市江汉区，但地址“广州市天河区体育西路1号”写的是广东省广州市天河区：已按单元格定位——请核对地址');
    expect(problemText(merged, t)).toContain('第 3 行与第 2 行共用“医院名称”列的合并单元格（甲医院），但填写了自己的区县、地址');
    setLocale('en');
    expect(problemText(place, t)).toContain('name 湖北省武汉市江汉区, but the address “广州市天河区体育西路1号” names 广东省广州市天河区: the place is taken from the cells');
    expect(problemText(merged, t)).toContain('In row 3, the merged cell of column “医院名称” (甲医院) is the one that starts in row 2; the row also has its own 区县, 地址');
  });
  it('tells place cells that disagree with each other, a name several places share, and a merged row with empty cells', () => {
    const cells = { code: 'place_cells_disagree', args: { cells: '武汉 钟祥市', places: '湖北省武汉市、湖北省荆门市钟祥市', place: '湖北省荆门市钟祥市', address: '荆门市钟祥市郢中街道', address_place: '湖北省荆门市钟祥市',
      basis: 'the address "荆门市钟祥市郢中街道" names 湖北省荆门市钟祥市: the place is taken as 湖北省荆门市钟祥市, from the cells it agrees with',
      basis_zh: '地址“荆门市钟祥市郢中街道”写的是湖北省荆门市钟祥市：已按与之相符的单元格定位为湖北省荆门市钟祥市' }, message: 'x' };
    const shared = { code: 'place_shared_name', args: { cells: '青山区', places: '内蒙古自治区包头市青山区、湖北省武汉市青山区', place: '', address: '广州市天河区体育西路1号', address_place: '广东省广州市天河区',
      basis: 'the address "广州市天河区体育西路1号" names 广东省广州市天河区, in none of them: no place is taken, the names are kept as written',
      basis_zh: '地址“广州市天河区体育西路1号”写的是广东省广州市天河区，不在其中任何一处：未定位，地点按原文保留' }, message: 'x' };
    const apart = { code: 'merged_row_apart', args: { row: '3', first: '2', column: '医院名称', value: '甲医院', columns: '区县, 地址', columns_zh: '区县、地址' }, message: 'x' };
    setLocale('zh-CN');
    expect(problemText(cells, t)).toBe('本行的地点单元格（武汉 钟祥市）彼此矛盾（湖北省武汉市、湖北省荆门市钟祥市）：地址“荆门市钟祥市郢中街道”写的是湖北省荆门市钟祥市：已按与之相符的单元格定位为湖北省荆门市钟祥市——请核对单元格');
    expect(problemText(shared, t)).toContain('（青山区）写的地名有多处（内蒙古自治区包头市青山区、湖北省武汉市青山区）；地址“广州市天河区体育西路1号”写的是广东省广州市天河区，不在其中任何一处');
    expect(problemText(apart, t)).toContain('第 3 行与第 2 行共用“医院名称”列的合并单元格（甲医院），其区县、地址为空，却已作为一条单独的记录导入');
    setLocale('en');
    expect(problemText(cells, t)).toContain('(武汉 钟祥市) disagree with each other (湖北省武汉市、湖北省荆门市钟祥市): the address');
    expect(problemText(shared, t)).toContain('name a place several share (内蒙古自治区包头市青山区、湖北省武汉市青山区); the address');
    expect(problemText(apart, t)).toContain('the row leaves its 区县, 地址 empty, yet it was imported as a record of its own');
  });
  it('falls back to the English message without a code or for an unknown one', () => {
    expect(problemText({ code: '', args: {}, message: 'something odd' }, t)).toBe('something odd');
    expect(problemText({ code: 'new_code', args: {}, message: 'a newer importer' }, t)).toBe('a newer importer');
    expect(problemText({ message: 'old report' }, t)).toBe('old report');
  });
});
