import { describe, it, expect } from 'vitest';
import { parsePosition, prefill } from './demandform';
import { ApiError } from '../api/errors';
import type { DemandDetail } from '../api';

describe('parsePosition', () => {
  it.each([
    [null, null, null],
    ['', '  ', null],
    [31.17, 112.59, { lat: 31.17, lon: 112.59 }],
    ['-90', '180', { lat: -90, lon: 180 }],
    [0, 0, { lat: 0, lon: 0 }],
  ])('parsePosition(%j, %j) = %j', (lat, lon, want) => {
    expect(parsePosition(lat, lon)).toEqual(want);
  });

  it.each([
    [91, 112, 'position.lat', 'position_range'],
    [-90.5, 112, 'position.lat', 'position_range'],
    [31, 180.01, 'position.lon', 'position_range'],
    ['abc', 112, 'position.lat', 'position_range'],
    [31, null, 'position.lon', 'position_both'],
    ['', 112, 'position.lat', 'position_both'],
  ])('parsePosition(%j, %j) is refused naming %s (%s)', (lat, lon, field, reason) => {
    let err: unknown;
    try {
      parsePosition(lat, lon);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).field).toBe(field);
    expect((err as ApiError).args.reason).toBe(reason);
  });
});

describe('prefill', () => {
  it('fills the form with the demand as recorded', () => {
    const d = {
      id: 'd1', code: 'D-AAAAAA', title: '钟祥市人民医院 N95', category: 'protective_equipment', district: '钟祥市', urgency: '',
      requesterOrg: '钟祥市人民医院', address: '湖北省荆门市钟祥市郢中街道', description: '三楼',
      items: [{ name: 'N95', unit: '只', needed: 500, received: 120 }, { name: '防护服', unit: '套', needed: null, received: 0 }],
      contacts: [{ name: '王老师', phone: '+8613800000000', role: '' }, { name: '李', phone: 'wx_li', role: '', kind: 'wechat' }],
      position: { lat: 31.17, lon: 112.59 }, hidden: [],
    } as unknown as DemandDetail;
    expect(prefill(d)).toEqual({
      title: '钟祥市人民医院 N95', category: 'protective_equipment', district: '钟祥市', urgency: 'normal',
      requesterOrg: '钟祥市人民医院', address: '湖北省荆门市钟祥市郢中街道', description: '三楼',
      items: [{ name: 'N95', quantity: '500', unit: '只' }, { name: '防护服', quantity: '', unit: '套' }],
      contactName: '王老师', contactPhone: '+8613800000000', moreContacts: [{ name: '李', phone: 'wx_li' }],
      position: { lat: 31.17, lon: 112.59 },
    });
    expect(prefill({ ...d, contacts: [], position: undefined } as unknown as DemandDetail)).toMatchObject({
      contactName: '', contactPhone: '', moreContacts: [], position: undefined,
    });
  });
});
