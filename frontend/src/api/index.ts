// The only module that imports the generated Wails bindings. Everything else in
// the frontend calls these typed functions.
import * as Demands from '../../wailsjs/go/app/DemandService';
import * as Network from '../../wailsjs/go/app/NetworkService';
import * as Settings from '../../wailsjs/go/app/SettingsService';
import * as Volunteers from '../../wailsjs/go/app/VolunteerService';
import * as Tasks from '../../wailsjs/go/app/TaskService';
import * as Inbox from '../../wailsjs/go/app/InboxService';
import * as Points from '../../wailsjs/go/app/PointsService';
import * as Offers from '../../wailsjs/go/app/OfferService';
import * as MapPoints from '../../wailsjs/go/app/MapService';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import type { ItemName } from '../lib/why';
import { toApiError } from './errors';

export { ApiError, describe, fieldLabel, toApiError } from './errors';
export * from './events';

export interface ItemInput { name: string; quantity: string; unit: string }
/** A contact beyond the first of the demand form. */
export interface ContactInput { name: string; phone: string }
export interface DemandInput {
  title: string; category: string; district: string; items: ItemInput[]; urgency: string;
  requesterOrg: string; address: string; description: string; contactName: string; contactPhone: string;
  moreContacts?: ContactInput[];
}
export interface ItemView { name: string; unit: string; needed: number | null; received: number }
export interface DemandSummary {
  id: string; code: string; title: string; category: string; district: string;
  status: string; urgency: string; items: ItemView[]; createdAt: number;
}
export interface DemandQuery {
  status: string; category: string; district: string; owner: string; text: string;
  urgency: string; overdue: boolean; sort: string; offset?: number; limit?: number;
}
export interface DemandPage { items: DemandSummary[]; total: number }
export interface MemberRef { id: string; name: string }
export interface ContactView { name: string; phone: string; role: string }
export interface HiddenField { field: string; level: string; reason: string }
export interface ReceiptView { item: string; quantity: number }
export interface StepView {
  action: string; by: MemberRef; at: number; seq: number; change: string; note: string;
  to: MemberRef | null; duplicateOf: string; received: ReceiptView[] | null;
}
export interface ConflictView {
  action: string; by: MemberRef; at: number; reason: string; field: string;
  winner: MemberRef | null; winnerAt: number; winnerAction: string;
}
export interface DemandDetail extends DemandSummary {
  description: string; requesterOrg: string; address: string; source: string; imported: boolean; reviewNotes: string; flaggedOriginal: string;
  duplicateOf: string; tags: string[]; contacts: ContactView[]; owner: MemberRef | null; createdBy: MemberRef;
  updatedAt: number; hidden: HiddenField[]; history: StepView[]; conflicts: ConflictView[]; allowed: string[];
}
export interface ReceiptInput { item: string; quantity: string }
export interface ActInput {
  id: string; action: string; note: string; to: string; duplicateOf: string; received: ReceiptInput[];
}
export interface MemberView { id: string; name: string; role: string; endorsedBy: string; since: number; revoked: boolean }
export interface WindowView { day: number; from: number; to: number }
export interface VolunteerView {
  id: string; code: string; key: string; name: string; phone: string; skills: string[]; training: string[];
  region: string; organisation: string; availability: WindowView[]; availableNow: boolean; today: WindowView[];
  load: number; hidden: HiddenField[];
}
export interface ProfileInput {
  name: string; phone: string; region: string; organisation: string; skills: string[]; training: string[];
  availability: WindowView[];
}
export interface TaskView {
  id: string; code: string; demand: string; skill: string; offeredTo: MemberRef; status: string;
  replyBy: number; overdue: boolean; allowed: string[];
}
export interface MatchView { volunteer: VolunteerView; score: number; why: string[] }
export interface PendingView {
  kind: string; id: string; demandId: string; code: string; title: string; what: string; status: string;
  since: number; due: number; overdue: boolean; soon: boolean;
}
export interface AwardView { rule: string; kind: string; entity: string; code: string; at: number; points: number }
export interface StandingView { member: MemberRef; points: number; rank: number; history: AwardView[] }
export interface PeerView {
  member: MemberRef; connected: boolean; kind: string; known: boolean; weLack: number; theyLack: number;
  lastExchange: number; synced: boolean; syncing: boolean; applied: number; expected: number; lastError: string;
}
export interface NodeView { running: boolean; error: string; peerId: string; addrs: string[] }
export interface CodeView { code: string; qr: string }
export interface BundleResult {
  path: string; changes: number; applied: number; canceled: boolean;
  /** dated too far ahead: applied once due */ held: number;
  /** refused changes by reason (ledger reasons) */ refused: Record<string, number>;
}
export interface OfferView {
  id: string; code: string; supplier: string; region: string; items: ItemView[]; phone: string;
  /** supplies, hotel, logistics, clinic or other: guessed from the name and items (relief.OfferKindOf) */
  kind: string;
  validUntil: number; expired: boolean; createdAt: number; hidden: HiddenField[];
}
export interface OfferInput {
  supplier: string; region: string; contactName: string; contactPhone: string; validDays: number; items: ItemInput[];
}
export interface OfferMatchView { offer: OfferView; score: number; why: string[]; itemNames: Record<string, ItemName> }
export interface MapPoint {
  kind: string; id: string; code: string; title: string; status: string; lat: number | null; lon: number | null; place: string;
}
export interface SimilarView { id: string; code: string; title: string; reasons: string[] }
/** ClockView: whether this computer's clock is behind the network's (app.ClockView). */
export interface ClockView { behindMs: number; held: number; warn: boolean }

/** A demand flagged as a probable duplicate, and what merging it would add to its original. */
export interface DuplicateReview {
  id: string; code: string; org: string; original: string; originalCode: string; originalOrg: string;
  reasons: string[]; addsContacts: ContactView[]; addsItems: string[];
  /** canAnswer: may keep it separate (reviewer, coordinator); canMerge: may also merge it (not yet in progress). */
  canAnswer: boolean; canMerge: boolean;
}
/** DeadlinesView: the network's reply-by windows in whole minutes (app.DeadlinesView). */
export interface DeadlinesView {
  reviewMinutes: number; publishMinutes: number; claimMinutes: number; answerMinutes: number;
  maxMinutes: number; canEdit: boolean;
}
export interface DeadlinesInput { reviewMinutes: number; publishMinutes: number; claimMinutes: number; answerMinutes: number }
export interface Info {
  deviceId: string; dataDir: string; startupError: string;
  networkId: string; networkName: string; memberName: string; role: string;
  /** the practice network is open: no node runs, nothing is sent to anyone */
  practice: boolean; practiceExists: boolean;
}
export interface PracticeInfo { source: string; license: string; demands: number }

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
  listDemands: (q: DemandQuery): Promise<DemandPage> =>
    call(Demands.List(q as never) as Promise<DemandPage>).then((r) => ({ items: r?.items ?? [], total: r?.total ?? 0 })),
  recordDemand: (d: DemandInput): Promise<DemandSummary> =>
    call(Demands.Record(d as never) as Promise<DemandSummary>),
  parseMessage: (text: string): Promise<DemandInput> =>
    call(Demands.ParseMessage(text) as Promise<DemandInput>).then((d) => ({ ...d, items: d.items ?? [], moreContacts: d.moreContacts ?? [] })),
  similar: (d: DemandInput): Promise<SimilarView | null> => call(Demands.Similar(d as never) as Promise<SimilarView | null>),
  getDemand: (id: string): Promise<DemandDetail> => call(Demands.Get(id) as Promise<DemandDetail>),
  act: (a: ActInput): Promise<DemandDetail> => call(Demands.Act(a as never) as Promise<DemandDetail>),
  reviewDuplicate: (id: string): Promise<DuplicateReview> =>
    call(Demands.ReviewDuplicate(id) as Promise<DuplicateReview>).then((r) => ({
      ...r, reasons: r.reasons ?? [], addsContacts: r.addsContacts ?? [], addsItems: r.addsItems ?? [],
    })),
  /** mergeDuplicate merges flagged demand id into its original; resolves to the original. */
  mergeDuplicate: (id: string): Promise<DemandDetail> => call(Demands.MergeDuplicate(id) as Promise<DemandDetail>),
  /** keepSeparate clears the flag on demand id; resolves to the demand. */
  keepSeparate: (id: string): Promise<DemandDetail> => call(Demands.KeepSeparate(id) as Promise<DemandDetail>),
  members: (): Promise<MemberView[]> => call(Network.Members() as Promise<MemberView[]>).then((r) => r ?? []),
  endorse: (memberId: string, role: string, name: string): Promise<MemberView[]> =>
    call(Network.Endorse(memberId, role, name) as Promise<MemberView[]>),
  revoke: (memberId: string, note: string): Promise<MemberView[]> =>
    call(Network.Revoke(memberId, note) as Promise<MemberView[]>),
  /** promote gives a member a new role (coordinators only); returns the roster. */
  promote: (memberId: string, role: string): Promise<MemberView[]> =>
    call(Network.Promote(memberId, role) as Promise<MemberView[]>),
  deadlines: (): Promise<DeadlinesView> => call(Network.Deadlines() as Promise<DeadlinesView>),
  setDeadlines: (d: DeadlinesInput): Promise<DeadlinesView> =>
    call(Network.SetDeadlines(d as never) as Promise<DeadlinesView>),
  volunteers: (): Promise<VolunteerView[]> => call(Volunteers.List() as Promise<VolunteerView[]>).then((r) => r ?? []),
  myProfile: (): Promise<VolunteerView> => call(Volunteers.MyProfile() as Promise<VolunteerView>),
  saveProfile: (p: ProfileInput): Promise<VolunteerView> =>
    call(Volunteers.SaveProfile(p as never) as Promise<VolunteerView>),
  tasksFor: (demandId: string): Promise<TaskView[]> =>
    call(Tasks.ForDemand(demandId) as Promise<TaskView[]>).then((r) => r ?? []),
  matches: (demandId: string, skill: string): Promise<MatchView[]> =>
    call(Tasks.Matches(demandId, skill) as Promise<MatchView[]>).then((r) => r ?? []),
  offerTask: (demandId: string, to: string, skill: string): Promise<TaskView> =>
    call(Tasks.Offer(demandId, to, skill) as Promise<TaskView>),
  answerTask: (taskId: string, action: string): Promise<TaskView> =>
    call(Tasks.Answer(taskId, action) as Promise<TaskView>),
  inbox: (): Promise<PendingView[]> => call(Inbox.List() as Promise<PendingView[]>).then((r) => r ?? []),
  leaderboard: (): Promise<StandingView[]> =>
    call(Points.Leaderboard() as Promise<StandingView[]>).then((r) => r ?? []),
  node: (): Promise<NodeView> => call(Network.Node() as Promise<NodeView>),
  peers: (): Promise<PeerView[]> => call(Network.Peers() as Promise<PeerView[]>).then((r) => r ?? []),
  joinCode: (): Promise<CodeView> => call(Network.JoinCode() as Promise<CodeView>),
  memberQR: (): Promise<CodeView> => call(Network.MemberIDQR() as Promise<CodeView>),
  clock: (): Promise<ClockView> => call(Network.Clock() as Promise<ClockView>),
  join: (code: string): Promise<Info> => call(Network.Join(code) as Promise<Info>),
  practiceInfo: (): Promise<PracticeInfo> => call(Network.Practice() as Promise<PracticeInfo>),
  /** Opens (and the first time loads) the practice network; progress comes as EVENT_IMPORT_PROGRESS. */
  startPractice: (): Promise<Info> => call(Network.StartPractice() as Promise<Info>),
  leavePractice: (): Promise<Info> => call(Network.LeavePractice() as Promise<Info>),
  deletePractice: (): Promise<Info> => call(Network.DeletePractice() as Promise<Info>),
  connect: (addr: string): Promise<void> => call(Network.Connect(addr)),
  exportBundle: (): Promise<BundleResult> => call(Network.ExportBundle() as Promise<BundleResult>),
  importBundle: (): Promise<BundleResult> => call(Network.ImportBundle() as Promise<BundleResult>),
  onData: (event: string, fn: (data: any) => void): (() => void) => EventsOn(event, fn),
  offers: (text: string): Promise<OfferView[]> => call(Offers.List(text) as Promise<OfferView[]>).then((r) => r ?? []),
  recordOffer: (o: OfferInput): Promise<OfferView> => call(Offers.Record(o as never) as Promise<OfferView>),
  offerMatches: (demandId: string): Promise<OfferMatchView[]> =>
    call(Offers.Matches(demandId) as Promise<OfferMatchView[]>).then((r) => r ?? []),
  mapPoints: (): Promise<MapPoint[]> => call(MapPoints.Points() as Promise<MapPoint[]>).then((r) => r ?? []),
  locale: (): Promise<string> => call(Settings.Locale()),
  setLocale: (l: string): Promise<void> => call(Settings.SetLocale(l)),
  on: (event: string, fn: () => void): (() => void) => EventsOn(event, fn),
};
export type Api = typeof api;
