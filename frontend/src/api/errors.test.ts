import { describe as suite, it, expect, beforeAll } from 'vitest';
import { setupI18n, setLocale } from '../lib/i18n';
import { toApiError, fieldLabel, describe, ApiError } from './errors';

beforeAll(() => setupI18n('zh-CN'));

suite('toApiError', () => {
  it('parses the JSON error of a bound method', () => {
    const e = toApiError('{"code":"negative","field":"items[0].quantity","message":"items[0].quantity: -5 is below zero"}');
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe('negative');
    expect(e.field).toBe('items[0].quantity');
  });
  it('keeps text that is not JSON as an unknown error', () => {
    const e = toApiError(new Error('boom'));
    expect(e.code).toBe('unknown');
    expect(e.message).toBe('boom');
  });
});

suite('messages name the field', () => {
  it('in Chinese', () => {
    setLocale('zh-CN');
    expect(fieldLabel('items[1].quantity')).toBe('第 2 项物资的数量');
    expect(describe(new ApiError('required', 'title', ''))).toBe('请填写标题。');
  });
  it('in English', () => {
    setLocale('en');
    expect(fieldLabel('items[0].unit')).toBe('The unit of item 1');
    expect(describe(new ApiError('not_number', 'items[0].quantity', ''))).toBe('The quantity of item 1 must be a number.');
    expect(describe(new ApiError('storage', 'dataDir', 'data directory /x: not a directory'))).toContain('/x: not a directory');
  });
  it('falls back to a message with the detail for an unknown code', () => {
    setLocale('en');
    expect(describe(new ApiError('weird', undefined, 'detail here'))).toContain('detail here');
  });
});

suite('an identity card number in a form field', () => {
  // desk.ReasonIDCard: the form refuses it, naming the field and what to do
  const e = () => toApiError(JSON.stringify({ code: 'invalid', field: 'description', message: 'description: holds what looks like a resident identity card number', args: { reason: 'id_card' } }));
  it('in Chinese', () => {
    setLocale('zh-CN');
    expect(describe(e())).toBe('说明中有疑似身份证号码。写在这里，网络中每位成员都能看到：请删除该号码后再保存。如需联系对方，请在联系人一栏填写电话号码。');
  });
  it('in English', () => {
    setLocale('en');
    expect(describe(e())).toBe('Description holds what looks like an identity card number. Every member of the network can read what is written there: remove the number, then save again. To reach the person, give a phone number in the contact fields.');
    expect(describe(toApiError(JSON.stringify({ code: 'invalid', field: 'moreContacts[0].name', message: 'x', args: { reason: 'id_card' } }))))
      .toMatch(/^More contacts #1 holds what looks like an identity card number/);
  });
});

suite('a reason says more than the code', () => {
  const from = (json: object) => describe(toApiError(JSON.stringify(json)));
  it('in Chinese', () => {
    setLocale('zh-CN');
    expect(from({ code: 'too_long', field: 'title', message: '', args: { reason: 'max', max: '200' } })).toBe('标题太长了：最多 200 个字符。');
    expect(from({ code: 'invalid', field: 'joinCode', message: '', args: { reason: 'checksum' } })).toContain('输错');
    expect(from({ code: 'invalid', field: 'joinCode', message: '', args: { reason: 'truncated' } })).toContain('缺了字符');
    expect(from({ code: 'invalid', field: 'to', message: '', args: { reason: 'choose' } })).toBe('请选择由谁接手。');
    expect(from({ code: 'invalid', field: 'duplicateOf', message: '', args: { reason: 'no_demand', value: 'D-ZZZZZZ' } })).toContain('D-ZZZZZZ');
  });
  it('in English', () => {
    setLocale('en');
    expect(from({ code: 'too_long', field: 'incident', message: '', args: { reason: 'max', max: '100' } })).toContain('at most 100 characters');
    expect(from({ code: 'invalid', field: 'to', message: '', args: { reason: 'choose' } })).toBe('Choose who takes over.');
  });
  it('an unknown reason falls back to the code', () => {
    setLocale('en');
    expect(from({ code: 'invalid', field: 'to', message: '', args: { reason: 'new_one' } })).toBe(describe(new ApiError('invalid', 'to', '')));
  });
});

suite('describe: revoked', () => {
  it('names who revoked and when, in the reader\'s time, not as a role refusal', () => {
    setLocale('en');
    const at = '2026-01-26T08:00:00Z';
    const msg = describe(new ApiError('revoked', undefined, 'you were revoked', { reason: 'by', by: '甲', at }));
    expect(msg).toContain('You were revoked by 甲 at ');
    expect(msg).not.toContain(at);
    expect(describe(new ApiError('revoked', undefined, 'you were revoked', {}))).toBe('You were revoked: the network no longer accepts what this device records.');
  });
});

suite('describe: the times an error names', () => {
  it('are in the incident zone (UTC+8), never the hub\'s RFC 3339', () => {
    setLocale('en');
    const until = '2026-12-07T20:24:00Z'; // 2026-12-08 04:24 China time
    const msg = describe(new ApiError('not_allowed', 'action', 'the owner may answer', { reason: 'not_due', until }));
    expect(msg).toContain('(until 12/8, 04:24)');
    expect(msg).not.toContain(until);
    const rev = describe(new ApiError('revoked', undefined, 'you were revoked', { reason: 'by', by: '甲', at: until }));
    expect(rev).toContain('at 12/8, 04:24');
  });
});

suite('a street map download from a hub says why it failed', () => {
  const reasons = ['refused', 'none', 'busy', 'damaged', 'too_large', 'cut', 'offline'];
  for (const lang of ['zh-CN', 'en'] as const) {
    it(`in ${lang}, each reason its own message naming the hub`, () => {
      setLocale(lang);
      const seen = new Set<string>();
      for (const reason of reasons) {
        const msg = describe(new ApiError('map_fetch', 'member', 'street map from x: boom', { reason, member: '武汉枢纽', received: '100', size: '400' }));
        expect(msg).toContain('武汉枢纽');
        expect(msg).not.toContain('boom');
        seen.add(msg);
      }
      expect(seen.size).toBe(reasons.length);
    });
  }
});

suite('a damaged bundle read past its damage', () => {
  const args = {
    reason: 'skipped', offset: '1588', before: '5', read_after: '4', places: '1', changes: '10', read: '9', applied: '5', unread: '1',
    missing: JSON.stringify([{ name: '甲', id: '7cclebmx', from: '6', to: '10' }, { name: '', id: 'q3kd9a2b', from: '3', to: '3' }]),
  };
  it('says in Chinese where, how many after it, and which changes are missing', () => {
    setLocale('zh-CN');
    const msg = describe(new ApiError('bundle_damaged', 'path', 'a.rmbundle', args));
    for (const w of ['a.rmbundle', '第 1588 字节', '第 5 条更改之后', '又读到了 4 条', '甲（7cclebmx）的第 6–10 条', 'q3kd9a2b的第 3 条', '重新复制', '连上同伴或枢纽']) {
      expect(msg).toContain(w);
    }
    expect(msg).not.toContain('{');
  });
  it('says it in English, counting the places', () => {
    setLocale('en');
    const msg = describe(new ApiError('bundle_damaged', 'path', 'a.rmbundle', { ...args, places: '3' }));
    for (const w of ['from byte 1588', 'after change 5', 'in 3 places', '4 changes after them were read', "甲 (7cclebmx)'s changes 6–10", "q3kd9a2b's change 3", 'catch up from a peer or hub']) {
      expect(msg).toContain(w);
    }
  });
  it('says one change in the singular (the screenshot said "1 were never read")', () => {
    setLocale('en');
    const msg = describe(new ApiError('bundle_damaged', 'path', 'a.rmbundle', { ...args, read_after: '1' }));
    expect(msg).toContain('1 was never read');
    expect(msg).toContain('1 change after them was read');
    expect(msg).not.toContain('1 were never read');
  });
  it('without a header, and with nothing missing, says so', () => {
    setLocale('en');
    const msg = describe(new ApiError('bundle_damaged', 'path', 'a.rmbundle', { ...args, reason: 'skipped_header', missing: '[]' }));
    expect(msg).toContain('its first bytes cannot be read');
    expect(msg).toContain('nothing is missing here');
  });
});
