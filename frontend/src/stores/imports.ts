// The import/export area: how many demands a bulletin would hold, and the progress of an import.
import { importsApi, type BulletinCount } from '../api/imports';
import { EVENT_DEMANDS_CHANGED, EVENT_IMPORT_PROGRESS, EVENT_NETWORK_CHANGED } from '../api';
import { latest, resource } from './resource';

/** bulletinCount: demands a bulletin would hold now and those left out as unpublished. */
export const bulletinCount = resource<BulletinCount | null>(() => importsApi.bulletinCount(), [EVENT_DEMANDS_CHANGED], { initial: null });

/** importProgress: the last progress of a file import or of loading the practice network (null before any). */
export const importProgress = latest(EVENT_IMPORT_PROGRESS, null);

/** exportLevels: the bulletin levels this member may export, lowest first (its role can change). */
export const exportLevels = resource<string[]>(() => importsApi.exportLevels(), [EVENT_NETWORK_CHANGED], { initial: ['public'] });
