// The tasks area: the tasks of one demand.
import { api, EVENT_TASKS_CHANGED, type TaskView } from '../api';
import { resource, type Resource } from './resource';

/** tasksOf makes the store of the tasks of demand demandId (re-read when tasks change). */
export function tasksOf(demandId: string): Resource<TaskView[]> {
  return resource(() => api.tasksFor(demandId), [EVENT_TASKS_CHANGED], { initial: [] });
}
