// Typed functions for the import/export screen (app.ImportService). Like
// index.ts, this is one of the modules allowed to import the generated bindings.
import * as Imports from '../../wailsjs/go/app/ImportService';
import { app, desk } from '../../wailsjs/go/models';
import { toApiError } from './errors';
import type { ImportProgress } from './events';
import type { Plain } from './index';

export type ImportColumn = Plain<app.ImportColumn>;
export type ImportMapping = Plain<app.ImportMapping>;
/** code is one of the importer's problem codes (imports.problemCode.*), args the values its message names. */
export type ImportProblem = Plain<app.ImportProblem>;
export type PreviewRow = Plain<app.PreviewRow>;
export type RecordPreview = Plain<app.RecordPreview>;
export type ImportPreview = Plain<app.ImportPreview>;
export type DuplicateView = Plain<app.DuplicateView>;
/** A row imported before whose values differ from its demand's or offer's; held ones were not written (edited in the app since). */
export type UpdateView = Plain<app.UpdateView>;
export type ImportReport = Plain<app.ImportReport>;
export type ExportResult = Plain<app.ExportResult>;
/** What undoing an import does: the records withdrawn, and those kept with why (reason: changed, acted, closed, not_allowed, missing). */
export type UndoPlan = Plain<desk.UndoImportPlan>;
/** BulletinCount: demands a bulletin would hold now, and those left out as not yet published. */
export type BulletinCount = Plain<app.BulletinCount>;
export type { ImportProgress };

/** The bulletin formats ExportPublic writes. */
export const EXPORT_FORMATS = ['csv', 'xlsx', 'hxl', 'json', 'text'] as const;

async function call<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw toApiError(e);
  }
}

export const importsApi = {
  /** pickFile opens a file dialog; "" when the user cancels. */
  pickFile: (): Promise<string> => call(Imports.PickFile()),
  preview: (path: string): Promise<ImportPreview> => call(Imports.Preview(path)),
  previewMapping: (path: string, mapping: ImportMapping): Promise<ImportPreview> =>
    call(Imports.PreviewMapping(path, app.ImportMapping.createFrom(mapping))),
  run: (path: string, mapping: ImportMapping): Promise<ImportReport> => call(Imports.Run(path, app.ImportMapping.createFrom(mapping))),
  /** planUndo lists what undoing the import of ids would withdraw and keep; writes nothing.
   *  updated are the ids the import updated rather than created (kept, told as such). */
  planUndo: (ids: string[], updated: string[]): Promise<UndoPlan> => call(Imports.PlanUndo(ids, updated)),
  /** undo withdraws, as one signed change, the records the import created (ids less updated) that nobody acted on since. */
  undo: (ids: string[], updated: string[]): Promise<UndoPlan> => call(Imports.Undo(ids, updated)),
  exportPublic: (format: string): Promise<ExportResult> => call(Imports.ExportPublic(format)),
  /** exportAt asks where to save and writes the bulletin at level: public, team or restricted. */
  exportAt: (format: string, level: string): Promise<ExportResult> => call(Imports.Export(format, level)),
  /** exportWith is exportAt with the demands not yet published included when includeUnpublished. */
  exportWith: (format: string, level: string, includeUnpublished: boolean): Promise<ExportResult> =>
    call(Imports.ExportWith(format, level, includeUnpublished)),
  /** bulletinCount says how many demands a bulletin would hold now and how many are unpublished. */
  bulletinCount: (): Promise<BulletinCount> => call(Imports.BulletinCount()),
  /** exportLevels lists the levels this member may export, lowest first. */
  exportLevels: (): Promise<string[]> => call(Imports.ExportLevels()),
};
export type ImportsApi = typeof importsApi;
