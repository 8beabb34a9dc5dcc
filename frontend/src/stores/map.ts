// The map: where demands and offers are, re-read when either changes.
import { api, EVENT_DEMANDS_CHANGED, EVENT_OFFERS_CHANGED, type MapLeftOut, type MapPoint } from '../api';
import { resource } from './resource';

/** mapPoints: one point per demand and offer (lat and lon null when the place is unknown). */
export const mapPoints = resource<MapPoint[]>(() => api.mapPoints(), [EVENT_DEMANDS_CHANGED, EVENT_OFFERS_CHANGED], { initial: [] });

/** mapLeftOut: how many demands the map does not draw (rejected, duplicate, withdrawn), so that its counts add up. */
export const mapLeftOut = resource<MapLeftOut>(() => api.mapLeftOut(), [EVENT_DEMANDS_CHANGED], { initial: { rejected: 0, duplicate: 0, withdrawn: 0 } });
