// Typed functions for the import/export screen (app.ImportService). Like
// index.ts, this is one of the modules allowed to import the generated bindings.
import * as Imports from '../../wailsjs/go/app/ImportService';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { toApiError } from './errors';
import { EVENT_IMPORT_PROGRESS } from './events';

export interface ImportColumn { index: number; header: string; tag: string; field: string }
export interface ImportMapping { signature: string; kind: string; columns: ImportColumn[] }
/** code is one of the importer's problem codes (imports.problemCode.*), args the values its message names. */
export interface ImportProblem {
  file: string; row: number; field: string; value: string; message: string; rejected: boolean;
  code: string; args: Record<string, string>;
}
export interface PreviewRow { line: number; cells: string[] }
export interface RecordPreview {
  row: number; kind: string; org: string; district: string; address: string; category: string;
  items: string[]; contacts: string[]; status: string;
}
export interface ImportPreview {
  path: string; file: string; format: string; encoding: string; sheet: string; sheets: string[]; headerRow: number;
  mapping: ImportMapping; remembered: boolean; fields: string[]; rows: PreviewRow[]; rowCount: number;
  records: RecordPreview[]; recordCount: number; demands: number; offers: number;
  problems: ImportProblem[]; problemCount: number;
}
export interface DuplicateView {
  file: string; row: number; org: string; id: string; code: string; original: string; originalCode: string;
  originalOrg: string; reasons: string[]; addsContacts: number; addsItems: string[];
}
/** A row imported before whose values differ from its demand's or offer's; held ones were not written (edited in the app since). */
export interface UpdateView {
  kind: string; file: string; row: number; org: string; id: string; code: string; fields: string[]; held: boolean; edited: string[];
}
export interface ImportReport {
  path: string; file: string; records: number; created: number; updated: number; held: number; skipped: number;
  flagged: number; rejected: number; ids: string[]; duplicates: DuplicateView[]; updates: UpdateView[]; problems: ImportProblem[];
}
export interface ExportResult { path: string; format: string; level: string; demands: number; unpublished: number; canceled: boolean }
/** BulletinCount: demands a bulletin would hold now, and those left out as not yet published. */
export interface BulletinCount { demands: number; unpublished: number }
export interface ImportProgress { done: number; total: number }

/** The bulletin formats ExportPublic writes. */
export const EXPORT_FORMATS = ['csv', 'xlsx', 'hxl', 'json', 'text'] as const;

async function call<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw toApiError(e);
  }
}

// Go's nil slices arrive as null.
function previewOf(p: ImportPreview): ImportPreview {
  return {
    ...p, sheets: p.sheets ?? [], fields: p.fields ?? [], rows: p.rows ?? [], records: p.records ?? [],
    problems: p.problems ?? [], mapping: { ...p.mapping, columns: p.mapping?.columns ?? [] },
  };
}
function reportOf(r: ImportReport): ImportReport {
  return { ...r, ids: r.ids ?? [], duplicates: r.duplicates ?? [], updates: r.updates ?? [], problems: r.problems ?? [] };
}

export const importsApi = {
  /** pickFile opens a file dialog; "" when the user cancels. */
  pickFile: (): Promise<string> => call(Imports.PickFile()),
  preview: (path: string): Promise<ImportPreview> =>
    call(Imports.Preview(path) as Promise<ImportPreview>).then(previewOf),
  previewMapping: (path: string, mapping: ImportMapping): Promise<ImportPreview> =>
    call(Imports.PreviewMapping(path, mapping as never) as Promise<ImportPreview>).then(previewOf),
  run: (path: string, mapping: ImportMapping): Promise<ImportReport> =>
    call(Imports.Run(path, mapping as never) as Promise<ImportReport>).then(reportOf),
  exportPublic: (format: string): Promise<ExportResult> =>
    call(Imports.ExportPublic(format) as Promise<ExportResult>),
  /** exportAt asks where to save and writes the bulletin at level: public, team or restricted. */
  exportAt: (format: string, level: string): Promise<ExportResult> =>
    call(Imports.Export(format, level) as Promise<ExportResult>),
  /** bulletinCount says how many demands a bulletin would hold now and how many are unpublished. */
  bulletinCount: (): Promise<BulletinCount> => call(Imports.BulletinCount() as Promise<BulletinCount>),
  /** exportLevels lists the levels this member may export, lowest first. */
  exportLevels: (): Promise<string[]> => call(Imports.ExportLevels()).then((r) => r ?? ['public']),
  /** onProgress calls fn for each import:progress event; returns the unsubscribe function. */
  onProgress: (fn: (p: ImportProgress) => void): (() => void) =>
    EventsOn(EVENT_IMPORT_PROGRESS, (p: ImportProgress) => fn(p)),
};
export type ImportsApi = typeof importsApi;
