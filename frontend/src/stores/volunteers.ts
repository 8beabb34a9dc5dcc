// The volunteers area: every volunteer's profile and the network's roster.
import { writable } from 'svelte/store';
import {
  api, EVENT_NETWORK_CHANGED, EVENT_TASKS_CHANGED, EVENT_VOLUNTEERS_CHANGED, type MemberView, type VolunteerPage, type VolunteerQuery, type VolunteerView,
  type CovenantView, type PartnerView, type TaskView, type TrainingView,
} from '../api';
import { resource } from './resource';
import { paged } from './paged';

/** volunteers: the whole list (the screen uses volunteerPage): every profile, with its load of tasks (re-read when profiles, members or tasks change). */
export const volunteers = resource<VolunteerView[]>(
  () => api.volunteers(), [EVENT_VOLUNTEERS_CHANGED, EVENT_NETWORK_CHANGED, EVENT_TASKS_CHANGED], { initial: [] },
);

/** members: the roster (re-read when the network changes); endorse, revoke and promote answer it too. */
export const members = resource<MemberView[]>(() => api.members(), [EVENT_NETWORK_CHANGED], { initial: [] });

/** VolunteerFilter is what the volunteers screen filters by: text, skill, region ('' for any) and available now. */
export type VolunteerFilter = Omit<VolunteerQuery, 'offset' | 'limit'>;
export const EMPTY_VOLUNTEER_FILTER: VolunteerFilter = { text: '', skill: '', region: '', availableNow: false };
/** volunteerFilter: the filters chosen; changing it reads the first page again. */
export const volunteerFilter = writable<VolunteerFilter>({ ...EMPTY_VOLUNTEER_FILTER });

/** volunteerPage: the volunteers under volunteerFilter, page by page (head: every skill and region). */
export const volunteerPage = paged<VolunteerFilter, VolunteerPage, VolunteerView>(
  (f, offset, limit) => api.volunteerPage({ ...f, offset, limit }), (p) => p.volunteers,
  [EVENT_VOLUNTEERS_CHANGED, EVENT_NETWORK_CHANGED, EVENT_TASKS_CHANGED], { query: volunteerFilter },
);

/** covenant: the network's covenant (伙伴契约) and who accepted which version (re-read when members or the network change). */
export const covenant = resource<CovenantView>(() => api.covenant(), [EVENT_NETWORK_CHANGED],
  { initial: { versions: [], current: 0, mine: 0, notAccepted: [] } });

/** partners: the partner organisations (re-read when the network changes). */
export const partners = resource<PartnerView[]>(() => api.partners(), [EVENT_NETWORK_CHANGED], { initial: [] });

/** fieldTasks: the tasks of the day, who is out in the field and until when (re-read when tasks change). */
export const fieldTasks = resource<TaskView[]>(() => api.fieldTasks(), [EVENT_TASKS_CHANGED, EVENT_NETWORK_CHANGED], { initial: [] });

/** training: courses, completions, stages and training needs (re-read when volunteers, tasks or members change; a course's change is a volunteers event). */
export const training = resource<TrainingView>(() => api.training(), [EVENT_VOLUNTEERS_CHANGED, EVENT_TASKS_CHANGED, EVENT_NETWORK_CHANGED],
  { initial: { courses: [], volunteers: [], needs: [], members: [], coordinator: false } });
