// Ownership that cannot rot, and fresh demands: which answers an inbox entry
// offers, and which demand actions need a form before they are sent.

/** InboxAnswer is one button of an inbox entry: the demand action it takes,
 * the call's outcome for a re-check, and whether it is sent at once (oneClick)
 * or opens the demand to fill in a note first. */
export interface InboxAnswer {
  action: string;
  outcome?: string;
  oneClick: boolean;
}

/** The fields of an inbox entry the answers depend on (PendingView's). */
export interface Entry {
  kind: string;
  what: string;
  to: string;
  by: string;
  overdue: boolean;
}

/** inboxAnswers returns the buttons an ownership entry offers member me:
 * the owner of a transfer request hands over at once or keeps the demand
 * (a reason needed); its requester takes over once the reply-by has passed;
 * a follow-up opens the demand for the update; a re-check records the call
 * (still needed and unreachable at once; partly and no longer needed need a
 * note). Other entries: none. */
export function inboxAnswers(p: Entry, me: string): InboxAnswer[] {
  if (p.kind !== 'demand') return [];
  switch (p.what) {
    case 'transfer':
      if (me && p.to === me) {
        return [{ action: 'accept_transfer', oneClick: true }, { action: 'decline_transfer', oneClick: false }];
      }
      if (me && p.by === me && p.overdue) return [{ action: 'take_over', oneClick: true }];
      return [];
    case 'follow_up':
      return me && p.to === me ? [{ action: 'follow_up', oneClick: false }] : [];
    case 'recheck':
      return [
        { action: 'recheck', outcome: 'still_needed', oneClick: true },
        { action: 'recheck', outcome: 'partly_needed', oneClick: false },
        { action: 'recheck', outcome: 'no_longer_needed', oneClick: false },
        { action: 'recheck', outcome: 'unreachable', oneClick: true },
      ];
  }
  return [];
}

/** waitsOnOwner says that me asked to take the demand over and the owner may
 * still answer (the entry shows "waiting for the owner's answer"). */
export function waitsOnOwner(p: Entry, me: string): boolean {
  return p.kind === 'demand' && p.what === 'transfer' && !!me && p.by === me && !p.overdue;
}

/** OWNERSHIP_NEEDS_INPUT are the ownership actions that need a note (or an
 * outcome) before they are sent. */
export const OWNERSHIP_NEEDS_INPUT = ['follow_up', 'request_transfer', 'decline_transfer', 'recheck'] as const;

/** noteRequired says whether the form of action (with outcome, for a
 * re-check) cannot be sent without a note. */
export function noteRequired(action: string, outcome = ''): boolean {
  if (action === 'recheck') return outcome === 'partly_needed';
  return action === 'follow_up' || action === 'request_transfer' || action === 'decline_transfer' || action === 'reopen' || action === 'adjust';
}
