// Nothing silent: what the app says when a peer acknowledges this device's
// changes, when a revocation undoes changes shown here, and when this device's
// own member was revoked. Each helper returns a message key and its values,
// which a component translates; times are relative to now or formatted by it.
import { relative } from './time';

/** A message key and its values (numbers formatted by the caller's locale). */
export interface Message { key: string; values: Record<string, string | number> }

/** AckInput is what a peer row knows (app.PeerView): up to which of this device's changes the peer acknowledged, when (Unix ms, 0: never), and how many this device made. */
export interface AckInput { ackSeq: number; ackAt: number; ownSeq: number }

/**
 * ackMessage says honestly how far a peer has this device's changes: "has all
 * your changes (up to #1,204), 3 min ago", "has your changes up to #1,100 (of
 * 1,204), …", never a percentage. ago is the relative time, built by the
 * caller from agoOf.
 */
export function ackMessage(p: AckInput, ago: string, num: (n: number) => string): Message {
  if (p.ownSeq === 0) return { key: 'network.ackNothing', values: {} };
  if (!p.ackAt) return { key: 'network.ackNever', values: {} };
  if (p.ackSeq >= p.ownSeq) return { key: 'network.ackAll', values: { seq: num(p.ackSeq), ago } };
  return { key: 'network.ackUpTo', values: { seq: num(p.ackSeq), own: num(p.ownSeq), ago } };
}

/** agoOf returns the amount and unit ("time.min", "time.h", "time.d") of how long ago ms was. */
export function agoOf(ms: number, now: number): { unit: string; n: number } {
  const r = relative(ms, now);
  return { unit: `time.${r.unit}`, n: r.amount };
}

/** UndoneInput is the data of EVENT_CHANGES_UNDONE (app.UndoneView). */
export interface UndoneInput {
  member: { id: string; name: string };
  count: number;
  revokedBy: { id: string; name: string };
  revokedAt: number;
  /** a fork of the member's feed undid them, not a revocation; forkAt in Unix ms */
  fork?: boolean;
  forkAt?: number;
}

/**
 * undoneMessage says what a revocation undid: "3 changes by Y were undone: X
 * revoked Y at …", or, when who revoked is unknown (Y is no longer in the
 * roster at all), that Y is no longer a member; or, when a fork of Y's feed
 * undid them, that Y's device forked (Y is still a member). at is revokedAt
 * (forkAt for a fork) as the caller formats it.
 */
export function undoneMessage(u: UndoneInput, at: string): Message {
  const name = u.member.name || u.member.id.slice(0, 8);
  if (u.fork) return { key: 'undone.toastFork', values: { name, count: u.count, at } };
  if (!u.revokedAt || !u.revokedBy.id) return { key: 'undone.toastUnknown', values: { name, count: u.count } };
  return { key: 'undone.toast', values: { name, count: u.count, by: u.revokedBy.name || u.revokedBy.id.slice(0, 8), at } };
}

/** RevokedInput is what the header knows of this device's member (app.Info). */
export interface RevokedInput { revoked: boolean; revokedBy: { id: string; name: string }; revokedAt: number }

/** revokedBanner is the banner a revoked member's app shows; null when not revoked. */
export function revokedBanner(i: RevokedInput, at: string): Message | null {
  if (!i.revoked) return null;
  if (!i.revokedAt || !i.revokedBy.id) return { key: 'revoked.bannerUnknown', values: {} };
  return { key: 'revoked.banner', values: { by: i.revokedBy.name || i.revokedBy.id.slice(0, 8), at } };
}
