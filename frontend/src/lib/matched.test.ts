import { describe, it, expect } from 'vitest';
import { hiddenMatch } from './matched';

const v = { name: '何丽', code: 'V-ZHANG-7', region: '武昌区', organisation: '江城车队', skills: ['driver'], training: ['急救'] };

describe('hiddenMatch', () => {
  it('names the code when only the code holds the text, in any case', () => {
    expect(hiddenMatch(v, 'zhang')).toEqual({ field: 'code', value: 'V-ZHANG-7' });
  });
  it('is null when a shown field holds it, nothing does, or the text is empty', () => {
    for (const t of ['何', '江城', 'DRIVER', '急救', '武昌', 'nothing', '', '  ']) expect(hiddenMatch(v, t)).toBeNull();
  });
});
