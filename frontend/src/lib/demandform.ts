// The demand form's pure parts: filling it from a recorded demand (to edit
// it) and reading the position typed in its two number fields.
import { ApiError } from '../api/errors';
import type { DemandDetail, DemandInput, PositionInput } from '../api';

/** prefill returns the form's input holding demand d as recorded: items with
 * their needed quantities as text ("" when unknown), the first contact in
 * contactName/contactPhone and the others in moreContacts, the position. */
export function prefill(d: DemandDetail): DemandInput {
  const [first, ...more] = d.contacts;
  return {
    title: d.title,
    category: d.category,
    district: d.district,
    urgency: d.urgency || 'normal',
    requesterOrg: d.requesterOrg,
    address: d.address,
    description: d.description,
    items: d.items.map((it) => ({ name: it.name, quantity: it.needed == null ? '' : String(it.needed), unit: it.unit })),
    contactName: first?.name ?? '',
    contactPhone: first?.phone ?? '',
    moreContacts: more.map((c) => ({ name: c.name, phone: c.phone })),
    position: d.position ? { lat: d.position.lat, lon: d.position.lon } : undefined,
  };
}

/** A coordinate as a number field binds it: a number, or null/undefined/"" when empty. */
export type Coordinate = number | string | null | undefined;

const RANGE = { lat: [-90, 90], lon: [-180, 180] } as const;

/** parsePosition reads the latitude and longitude fields: both empty is no
 * position (null); otherwise both must be numbers in range. It throws an
 * ApiError naming the field ("position.lat", "position.lon"), with reason
 * position_both when only one is given, position_range (args min, max) when
 * a value is not a number or out of range, as the backend says it. */
export function parsePosition(lat: Coordinate, lon: Coordinate): PositionInput | null {
  const empty = (v: Coordinate) => v == null || (typeof v === 'string' && v.trim() === '');
  if (empty(lat) && empty(lon)) return null;
  const out: Record<'lat' | 'lon', number> = { lat: 0, lon: 0 };
  for (const [k, v] of [['lat', lat], ['lon', lon]] as const) {
    if (empty(v)) throw new ApiError('invalid', `position.${k}`, 'give both latitude and longitude, or neither', { reason: 'position_both' });
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    const [min, max] = RANGE[k];
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new ApiError('invalid', `position.${k}`, `${v} is out of range`, { reason: 'position_range', min: String(min), max: String(max) });
    }
    out[k] = n;
  }
  return out;
}
