// The offers area: the offer list under a text filter, and the offers matched to a demand.
import { writable } from 'svelte/store';
import { api, EVENT_OFFERS_CHANGED, type OfferMatchView, type OfferPage, type OfferQuery, type OfferView } from '../api';
import { resource, type Resource } from './resource';
import { paged } from './paged';

/** offerText filters the offer list (supplier, region, items); '' for every offer. */
export const offerText = writable('');
let text = '';
offerText.subscribe((t) => (text = t));

/** offers: the whole list (the screen uses offerPage): the offers matching offerText (re-read when offers change or the text does). */
export const offers = resource<OfferView[]>(() => api.offers(text), [EVENT_OFFERS_CHANGED], { initial: [], deps: offerText });

/** offerMatches makes the store of the offers matched to demand demandId, best first. */
export function offerMatches(demandId: string): Resource<OfferMatchView[]> {
  return resource(() => api.offerMatches(demandId), [EVENT_OFFERS_CHANGED], { initial: [] });
}

/** OfferFilter is what the offers screen filters by: text and kind ('' for all). */
export type OfferFilter = Pick<OfferQuery, 'text' | 'kind'>;
/** OFFER_KINDS are the kinds, in the order of the chips (relief.OfferKinds). */
export const OFFER_KINDS = ['supplies', 'hotel', 'logistics', 'clinic', 'other'] as const;
/** offerFilter: the text and kind chosen; changing it reads the first page again. */
export const offerFilter = writable<OfferFilter>({ text: '', kind: '' });

/** offerPage: the offers under offerFilter, page by page, newest first (head: counts per kind). */
export const offerPage = paged<OfferFilter, OfferPage, OfferView>(
  (f, offset, limit) => api.offerPage({ ...f, offset, limit }), (p) => p.offers, [EVENT_OFFERS_CHANGED], { query: offerFilter },
);
