// The offers area: the offer list under a text filter, and the offers matched to a demand.
import { writable } from 'svelte/store';
import { api, EVENT_OFFERS_CHANGED, type OfferMatchView, type OfferView } from '../api';
import { resource, type Resource } from './resource';

/** offerText filters the offer list (supplier, region, items); '' for every offer. */
export const offerText = writable('');
let text = '';
offerText.subscribe((t) => (text = t));

/** offers: the offers matching offerText (re-read when offers change or the text does). */
export const offers = resource<OfferView[]>(() => api.offers(text), [EVENT_OFFERS_CHANGED], { initial: [], deps: offerText });

/** offerMatches makes the store of the offers matched to demand demandId, best first. */
export function offerMatches(demandId: string): Resource<OfferMatchView[]> {
  return resource(() => api.offerMatches(demandId), [EVENT_OFFERS_CHANGED], { initial: [] });
}
