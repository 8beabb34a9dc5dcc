// Probable duplicates: the importer flags a demand that probably repeats one
// already recorded (tag possible_duplicate) and says why in English; these
// helpers turn that into what the UI shows.
import { formatPhone } from './format';

/** The tag the importer puts on a demand stored as a probable duplicate. */
export const TAG_POSSIBLE_DUPLICATE = 'possible_duplicate';

/** isFlagged reports whether a demand with tags still waits for a reviewer's answer. */
export function isFlagged(tags: readonly string[] | null | undefined): boolean {
  return !!tags && tags.includes(TAG_POSSIBLE_DUPLICATE);
}

/** A message key under imports.reason and its values. */
export interface ReasonMessage { key: string; values: Record<string, string> }

/**
 * reasonMessage maps one of the importer's reasons ("same organisation",
 * "same phone +8613800000000", "close address") to its message; null for a
 * reason it does not know (show it as written).
 */
export function reasonMessage(reason: string): ReasonMessage | null {
  if (reason === 'same organisation') return { key: 'imports.reason.org', values: {} };
  if (reason === 'close address') return { key: 'imports.reason.address', values: {} };
  if (reason === 'same supplier') return { key: 'imports.reason.supplier', values: {} };
  const phone = /^same phone (.+)$/.exec(reason);
  if (phone) return { key: 'imports.reason.phone', values: { phone: formatPhone(phone[1]) } };
  const near = /^near (\d+) m$/.exec(reason); // an exact position this close (desk.ReasonNear)
  if (near) return { key: 'imports.reason.near', values: { metres: near[1] } };
  return null;
}

/** reasonText translates a reason with t, or returns it as written. */
export function reasonText(reason: string, t: (key: string, o?: { values: Record<string, string> }) => string): string {
  const m = reasonMessage(reason);
  return m ? t(m.key, { values: m.values }) : reason;
}
