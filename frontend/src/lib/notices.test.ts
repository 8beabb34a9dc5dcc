import { describe, it, expect } from 'vitest';
import { conflictLine, entryKey, noticeLine, resolveAction, deliveryItems } from './notices';

const t = (key: string, opts?: { values?: Record<string, string | number> }) =>
  opts?.values ? `${key}(${Object.entries(opts.values).map(([k, v]) => `${k}=${v}`).join(',')})` : key;
const who = (m: { id: string; name: string } | null | undefined) => (m ? m.name : '');
const when = (ms: number) => `@${ms}`;
const member = (name: string) => ({ id: name.toUpperCase(), name });
const delivery = (state: string) => ({
  ref: 'ab/0', action: 'deliver', by: member('乙'), at: 5, items: [{ item: 'N95', quantity: 20 }, { item: '防护服', quantity: 3 }],
  note: '', state, reason: 'not_owner', decidedBy: undefined, decidedAt: 0,
});
const conflict = {
  action: 'deliver', by: member('乙'), at: 5, reason: 'not_owner', field: '', winner: member('甲'), winnerAt: 3,
  winnerAction: 'handover', ref: 'ab/0', ackedBy: undefined, ackedAt: 0,
};

describe('notices', () => {
  it('keys two notices of one demand apart by their ref', () => {
    const a = entryKey({ kind: 'demand', id: 'd1', what: 'conflict', ref: 'ab/0' });
    const b = entryKey({ kind: 'demand', id: 'd1', what: 'conflict', ref: 'cd/1' });
    expect(a).not.toBe(b);
    expect(entryKey({ kind: 'demand', id: 'd1', what: 'review', ref: '' })).toBe('demand/d1/review/');
  });
  it('maps ack, accept and decline to actions and leaves reapply and handover to the demand', () => {
    expect(resolveAction('ack')).toBe('ack_conflict');
    expect(resolveAction('accept')).toBe('accept_delivery');
    expect(resolveAction('decline')).toBe('decline_delivery');
    expect(resolveAction('reapply')).toBeNull();
    expect(resolveAction('handover')).toBeNull();
  });
  it('lists the quantities of a delivery', () => {
    expect(deliveryItems(delivery('pending'))).toBe('N95 20、防护服 3');
    expect(deliveryItems(delivery('pending'), ', ')).toBe('N95 20, 防护服 3');
  });
  it('tells who withdrew a demand, why, and what had been received', () => {
    const withdrawal = { ref: 'wd/0', by: member('甲'), at: 7, note: ' 重复登记 ', outcome: '', owner: member('乙'), received: [{ item: '药品', quantity: 40 }] };
    const n = { owner: member('乙'), coordinators: true, resolve: ['ack'], fields: [], withdrawal };
    expect(noticeLine({ what: 'withdrawn', notice: n }, t, who, when)).toBe(
      'notice.withdrawn(who=甲,at=@7,note=重复登记) notice.withdrawnReceived(items=药品 40)');
    const bare = { ...n, withdrawal: { ...withdrawal, note: '', received: [] } };
    expect(noticeLine({ what: 'withdrawn', notice: bare }, t, who, when)).toBe('notice.withdrawnNoReason(who=甲,at=@7)');
    // a call-back (recheck) that found it no longer needed says so
    const recheck = { ...n, withdrawal: { ...withdrawal, outcome: 'no_longer_needed', received: [] } };
    expect(noticeLine({ what: 'withdrawn', notice: recheck }, t, who, when)).toBe('notice.recheckWithdrawn(who=甲,at=@7,note=重复登记)');
  });
  it('tells the one who undid an import who had claimed or published the demand meanwhile', () => {
    const withdrawal = { ref: 'wd/0', by: member('甲'), at: 7, note: 'import undone', outcome: '', owner: member('乙'), received: [{ item: '药品', quantity: 40 }],
      undone_from: 'in_progress', acted_by: member('乙') };
    const n = { owner: member('乙'), coordinators: true, resolve: ['ack'], fields: [], withdrawal };
    expect(noticeLine({ what: 'withdrawn', notice: n }, t, who, when)).toBe(
      'notice.withdrawnUndo(who=甲,at=@7,actor=乙,done=notice.undoneFrom.in_progress) notice.withdrawnReceived(items=药品 40)');
  });
  it('tells both sides of a conflict, and the state of a delivery kept pending', () => {
    const line = noticeLine({ what: 'conflict', notice: { conflict, delivery: delivery('pending'), owner: member('丙'), coordinators: false, resolve: ['ack'], fields: [] } }, t, who, when);
    expect(line).toContain('detail.conflictLine(who=乙,action=action.deliver,at=@5,reason=reason.not_owner)');
    expect(line).toContain('detail.conflictWinner(who=甲,action=action.handover,at=@3)');
    expect(line).toContain('notice.deliveryState.pending(items=N95 20、防护服 3)');
  });
  it('tells who recorded a pending delivery and why it waits', () => {
    const line = noticeLine({ what: 'delivery', notice: { delivery: delivery('pending'), coordinators: true, resolve: ['accept', 'decline'], fields: [] } }, t, who, when);
    expect(line).toBe('notice.delivery(who=乙,at=@5,items=N95 20、防护服 3,reason=reason.not_owner)');
  });
  it('says that a pending progress is a running total, which never lowers what is received', () => {
    const progress = { ...delivery('pending'), action: 'progress' };
    const line = noticeLine({ what: 'delivery', notice: { delivery: progress, coordinators: true, resolve: ['accept', 'decline'], fields: [] } }, t, who, when);
    expect(line).toBe('notice.deliveryProgress(who=乙,at=@5,items=N95 20、防护服 3,reason=reason.not_owner)');
  });
  it('names the field of an edit refused for its author\'s role, and whose value stands', () => {
    const edit = { ...conflict, action: 'edit', reason: 'role', field: 'address', winnerAction: 'edit' };
    const line = conflictLine(edit, t, who, when);
    expect(line).toContain('action=editConflict.of(action=action.edit,field=editConflict.field.address)');
    expect(line).toContain('reason=reason.role');
    expect(line).toContain('editConflict.stands(who=甲,at=@3)');
    expect(line).not.toContain('detail.conflictWinner');
  });
  it('lists every field of an edit in one line: one inbox entry per change', () => {
    const edit = { ...conflict, action: 'edit', reason: 'role', field: 'address', winnerAction: 'edit' };
    const line = noticeLine({ what: 'conflict', notice: { conflict: edit, coordinators: true, resolve: ['ack'], fields: ['address', 'title'] } }, t, who, when);
    expect(line).toContain('field=editConflict.field.addresseditConflict.fieldSepeditConflict.field.title');
  });
  it('names both authors of a concurrent edit, whose value is shown, and a sealed field by its plain name', () => {
    const edit = { ...conflict, action: 'edit', reason: 'concurrent', field: 'sealed_contacts', winnerAction: 'edit' };
    const line = conflictLine({ ...edit, fields: ['contacts', 'sealed_contacts'] }, t, who, when);
    expect(line).toBe('concurrent.line(who=乙,at=@5,winner=甲,winnerAt=@3,field=editConflict.field.contacts)');
  });
  it('says an edit made after the demand closed is kept and shown, not that it did not apply', () => {
    // the fold keeps such an edit (relief TestEditVersusWithdraw): the demand shows the new value
    const edit = { ...conflict, action: 'edit', reason: 'closed', field: 'title', winnerAction: 'withdraw' };
    const line = conflictLine(edit, t, who, when);
    expect(line).toBe('editConflict.closed(who=乙,at=@5,field=editConflict.field.title,winner=甲,winnerAt=@3,closing=action.withdraw)');
    expect(line).not.toContain('detail.conflictLine');
  });
  it('says nothing for entries without a notice', () => {
    expect(noticeLine({ what: 'review', notice: undefined }, t, who, when)).toBe('');
  });
});
