// Conflict and pending-delivery entries of the inbox (relief.DemandNotices):
// their key, their sentence for people and the buttons that resolve them.

import type { DeliveryView, PendingView } from '../api';

type Translate = (key: string, opts?: { values?: Record<string, string | number> }) => string;

/** entryKey identifies one inbox entry: a demand may have several notices of the same kind (by ref). */
export function entryKey(p: Pick<PendingView, 'kind' | 'id' | 'what' | 'ref'>): string {
  return `${p.kind}/${p.id}/${p.what}/${p.ref ?? ''}`;
}

/** RESOLVE_ACTIONS maps the resolve codes a notice offers to the demand action that resolves it in
 * one click; the others (reapply, handover) open the demand, where the owner or a coordinator acts. */
export const RESOLVE_ACTIONS: Record<string, string> = {
  ack: 'ack_conflict',
  accept: 'accept_delivery',
  decline: 'decline_delivery',
};

/** resolveAction returns the one-click action of a resolve code, or null when it opens the demand. */
export function resolveAction(code: string): string | null {
  return RESOLVE_ACTIONS[code] ?? null;
}

type Who = (m: { id: string; name: string } | null | undefined) => string;
type When = (ms: number) => string;

/** items renders the quantities of a delivery, e.g. "N95口罩 300、防护服 20". */
export function deliveryItems(d: Pick<DeliveryView, 'items'>, sep = '、'): string {
  return d.items.map((r) => `${r.item} ${r.quantity}`).join(sep);
}

/** noticeLine says what a notice is about, in the locale of t: both sides of a conflict (who, which
 * action, when, why, and who won), who recorded which delivery and when, or who withdrew the demand,
 * when, why and what had been received. Empty for other entries. The hub says the same words
 * (desk.NoticeLine, desk/noticeline.go): change both. */
export function noticeLine(p: Pick<PendingView, 'what' | 'notice'>, t: Translate, who: Who, when: When): string {
  const n = p.notice;
  if (!n) return '';
  if (p.what === 'delivery' && n.delivery) {
    const d = n.delivery;
    // a pending progress (an older version's) is a running total: counted, it never lowers what is received
    const key = d.action === 'progress' ? 'notice.deliveryProgress' : 'notice.delivery';
    return t(key, { values: { who: who(d.by), at: when(d.at), items: deliveryItems(d), reason: t(`reason.${d.reason}`) } });
  }
  if (p.what === 'withdrawn' && n.withdrawal) {
    const w = n.withdrawal;
    const note = (w.note ?? '').trim();
    const key = w.outcome === 'no_longer_needed' ? 'notice.recheckWithdrawn' : 'notice.withdrawn'; // a call-back found it no longer needed
    let s = note
      ? t(key, { values: { who: who(w.by), at: when(w.at), note } })
      : t(`${key}NoReason`, { values: { who: who(w.by), at: when(w.at) } });
    if (w.undone_from) {
      // an import's undo that met someone else's work: who had done what
      s = t('notice.withdrawnUndo', { values: { who: who(w.by), at: when(w.at), actor: w.acted_by ? who(w.acted_by) : '', done: t(`notice.undoneFrom.${w.undone_from}`) } });
    }
    if (w.received?.length) s += ' ' + t('notice.withdrawnReceived', { values: { items: deliveryItems({ items: w.received }) } });
    return s;
  }
  if (p.what === 'conflict' && n.conflict) {
    let s = conflictLine({ ...n.conflict, fields: n.fields }, t, who, when);
    if (n.delivery) {
      s += ' ' + t(`notice.deliveryState.${n.delivery.state}`, { values: { items: deliveryItems(n.delivery) } });
    }
    return s;
  }
  return '';
}

type ConflictLike = {
  action: string;
  by: { id: string; name: string } | null;
  at: number;
  reason: string;
  field?: string;
  winner?: { id: string; name: string } | null;
  winnerAt: number;
  winnerAction: string;
  /** fields: for the inbox entry of an edit, every field of the change (one entry per change). */
  fields?: string[];
};

/** conflictLine says, in the locale of t, what did not apply and why: who, which action (for an edit, of
 * which field), when, the reason, and who won — for an edit refused for its author's role, whose value
 * stands instead; an edit made after the demand closed is kept and shown, and says so. */
export function conflictLine(c: ConflictLike, t: Translate, who: Who, when: When): string {
  let action = t(`action.${c.action}`);
  let field = '';
  if (c.action === 'edit' && (c.fields?.length || c.field)) {
    // a sealed value's field (sealed_contacts) is named as its plain one, once
    const names = [...new Set((c.fields?.length ? c.fields : [c.field as string]).map((f) => f.replace(/^sealed_/, '')))];
    field = names.map((f) => t(`editConflict.field.${f}`)).join(t('editConflict.fieldSep'));
    action = t('editConflict.of', { values: { action, field } });
  }
  if (c.reason === 'concurrent' && c.winner) {
    // both edits applied; the later one is shown until someone picks
    return t('concurrent.line', { values: { who: who(c.by), at: when(c.at), winner: who(c.winner), winnerAt: when(c.winnerAt), field } });
  }
  if (c.reason === 'closed' && c.action === 'edit' && c.winner) {
    // the fold keeps an edit made after the close: it is shown, not refused
    return t('editConflict.closed', {
      values: { who: who(c.by), at: when(c.at), field, winner: who(c.winner), winnerAt: when(c.winnerAt), closing: t(`action.${c.winnerAction}`) },
    });
  }
  let s = t('detail.conflictLine', { values: { who: who(c.by), action, at: when(c.at), reason: t(`reason.${c.reason}`) } });
  if (c.winner) {
    if (c.action === 'edit' && c.winnerAction === 'edit') {
      s += ' — ' + t('editConflict.stands', { values: { who: who(c.winner), at: when(c.winnerAt) } });
    } else {
      s += ' — ' + t('detail.conflictWinner', { values: { who: who(c.winner), action: t(`action.${c.winnerAction}`), at: when(c.winnerAt) } });
    }
  }
  return s;
}
