// The map: where demands and offers are, re-read when either changes.
import { api, EVENT_DEMANDS_CHANGED, EVENT_OFFERS_CHANGED, type MapPoint } from '../api';
import { resource } from './resource';

/** mapPoints: one point per demand and offer (lat and lon null when the place is unknown). */
export const mapPoints = resource<MapPoint[]>(() => api.mapPoints(), [EVENT_DEMANDS_CHANGED, EVENT_OFFERS_CHANGED], { initial: [] });
