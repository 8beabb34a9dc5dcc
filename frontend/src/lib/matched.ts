// Why a row of a searched list matched, when the list does not show the field that did.

/** The fields of a volunteer the search reads (store.VolunteerRowsQuery.Text) and the list shows. */
interface Searched {
  name: string;
  code: string;
  region: string;
  organisation: string;
  skills: string[];
  training: string[];
}

/**
 * hiddenMatch returns the field of v that holds text (lower-cased, as the backend's
 * search compares) when no field the volunteers list shows holds it (name,
 * organisation, region, skills, training): today only the volunteer's code. null
 * when text is empty, a shown field holds it, or none does.
 */
export function hiddenMatch(v: Searched, text: string): { field: 'code'; value: string } | null {
  const t = text.trim().toLowerCase();
  if (!t) return null;
  const has = (s: string) => s.toLowerCase().includes(t);
  if ([v.name, v.organisation, v.region, ...v.skills, ...v.training].some(has)) return null;
  if (has(v.code)) return { field: 'code', value: v.code };
  return null;
}
