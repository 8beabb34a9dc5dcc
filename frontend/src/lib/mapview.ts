// What the map screen derives from its points: where each goes, colours by
// status, the area to open on, and the labels of the places points are put at.
import type { MapPoint } from '../api';

/** Every demand status a map point can have, in pipeline order, then an offer's two. */
export const MAP_STATUSES = ['collected', 'approved', 'published', 'in_progress', 'fulfilled', 'offer', 'expired'] as const;

/** Colours by status, the same hues as the list's badges. */
export const COLOURS: Record<string, string> = {
  collected: '#6366f1', approved: '#2563eb', published: '#d97706', in_progress: '#ea580c', fulfilled: '#0d9488',
  offer: '#16a34a', expired: '#9ca3af',
};
/** The colour of a status that has none of its own. */
export const OTHER = '#6b7280';

/**
 * Spot is where a point goes: exact, or the centre of its county, city or
 * province (of); sealed when its exact position is sealed and this device
 * cannot open it (only reviewers, coordinators and the owner see it).
 */
export interface Spot { lat: number; lon: number; exact: boolean; of: '' | 'county' | 'city' | 'province'; sealed: boolean }

/** spotOf returns where p goes on the map, null when it has no place. */
export function spotOf(p: MapPoint): Spot | null {
  if (p.lat != null && p.lon != null) return { lat: p.lat, lon: p.lon, exact: true, of: '', sealed: false };
  if (p.approxLat != null && p.approxLon != null) {
    const of = p.approxOf === 'county' || p.approxOf === 'city' || p.approxOf === 'province' ? p.approxOf : 'county';
    return { lat: p.approxLat, lon: p.approxLon, exact: false, of, sealed: !!p.positionSealed };
  }
  return null;
}

/**
 * openingCount is how many of pts have a sealed exact position this device
 * is opening in the background (drawn at their county's centre for now; the
 * map redraws when they are opened).
 */
export function openingCount(pts: MapPoint[]): number {
  let n = 0;
  for (const p of pts) if (p.positionOpening && (p.lat == null || p.lon == null)) n++;
  return n;
}

/** Counts of points by how they are placed. */
export interface Counts { exact: number; approx: number; unplaced: number }

/** countSpots counts pts by how they are placed. */
export function countSpots(pts: MapPoint[]): Counts {
  const c = { exact: 0, approx: 0, unplaced: 0 };
  for (const p of pts) {
    const s = spotOf(p);
    if (!s) c.unplaced++;
    else if (s.exact) c.exact++;
    else c.approx++;
  }
  return c;
}

/**
 * areaOf returns the bounds [[south, west], [north, east]] of the placed
 * demands (the incident is where the needs are; offers come from anywhere),
 * or of every placed point when no demand is placed: the incident's area the
 * map opens on; null when none is placed. Points in one place give a box of
 * that place alone (the map then zooms to a limit).
 */
export function areaOf(pts: MapPoint[]): [[number, number], [number, number]] | null {
  const demands = pts.filter((p) => p.kind === 'demand' && spotOf(p));
  let s = Infinity, w = Infinity, n = -Infinity, e = -Infinity;
  for (const p of demands.length ? demands : pts) {
    const at = spotOf(p);
    if (!at) continue;
    s = Math.min(s, at.lat); n = Math.max(n, at.lat);
    w = Math.min(w, at.lon); e = Math.max(e, at.lon);
  }
  return Number.isFinite(s) ? [[s, w], [n, e]] : null;
}

/** PlaceLabel is one place points are put at approximately, with how many. */
export interface PlaceLabel { name: string; lat: number; lon: number; of: Spot['of']; count: number }

/** placeLabels returns the places the approximate points are put at, the most points first. */
export function placeLabels(pts: MapPoint[]): PlaceLabel[] {
  const by = new Map<string, PlaceLabel>();
  for (const p of pts) {
    const at = spotOf(p);
    if (!at || at.exact || !p.approxName) continue;
    const key = `${at.lat},${at.lon}`;
    const l = by.get(key);
    if (l) l.count++;
    else by.set(key, { name: p.approxName, lat: at.lat, lon: at.lon, of: at.of, count: 1 });
  }
  return [...by.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** clusterColour is the colour of the status most of a cluster's points have (the earlier in MAP_STATUSES on a tie). */
export function clusterColour(statuses: string[]): string {
  const n = new Map<string, number>();
  for (const s of statuses) n.set(s, (n.get(s) ?? 0) + 1);
  let best = '', most = 0;
  for (const s of [...MAP_STATUSES, ...n.keys()]) {
    const k = n.get(s) ?? 0;
    if (k > most) { best = s; most = k; }
  }
  return COLOURS[best] ?? OTHER;
}
