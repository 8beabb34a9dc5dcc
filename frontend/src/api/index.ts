// The only module that imports the generated Wails bindings. Everything else in
// the frontend calls these typed functions.
import * as Demands from '../../wailsjs/go/app/DemandService';
import * as Network from '../../wailsjs/go/app/NetworkService';
import * as Settings from '../../wailsjs/go/app/SettingsService';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { toApiError } from './errors';

export { ApiError, describe, fieldLabel, toApiError } from './errors';
export * from './events';

export interface ItemInput { name: string; quantity: string; unit: string }
export interface DemandInput { title: string; category: string; district: string; items: ItemInput[] }
export interface ItemView { name: string; unit: string; needed: number | null; received: number }
export interface DemandSummary {
  id: string; code: string; title: string; category: string; district: string;
  status: string; urgency: string; items: ItemView[]; createdAt: number;
}
export interface DemandQuery { status: string; category: string; district: string; text: string }
export interface Info {
  deviceId: string; dataDir: string; startupError: string;
  networkId: string; networkName: string; memberName: string; role: string;
}

async function call<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw toApiError(e);
  }
}

export const api = {
  info: (): Promise<Info> => call(Network.Info() as Promise<Info>),
  createNetwork: (incident: string, name: string): Promise<Info> =>
    call(Network.Create(incident, name) as Promise<Info>),
  categories: (): Promise<string[]> => call(Demands.Categories()),
  listDemands: (q: DemandQuery): Promise<DemandSummary[]> =>
    call(Demands.List(q as never) as Promise<DemandSummary[]>).then((r) => r ?? []),
  recordDemand: (d: DemandInput): Promise<DemandSummary> =>
    call(Demands.Record(d as never) as Promise<DemandSummary>),
  locale: (): Promise<string> => call(Settings.Locale()),
  setLocale: (l: string): Promise<void> => call(Settings.SetLocale(l)),
  on: (event: string, fn: () => void): (() => void) => EventsOn(event, fn),
};
export type Api = typeof api;
