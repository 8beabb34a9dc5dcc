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
import { app, desk } from '../../wailsjs/go/models';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { toApiError } from './errors';

export { ApiError, describe, fieldLabel, toApiError } from './errors';
export * from './events';
import type { EventData, EventName } from './events';

/** Plain<T> is the shape of generated Wails model T as JSON: its fields, without
 * the class's methods (createFrom, convertValues). The bindings resolve to plain
 * JSON objects, never to class instances, and the UI builds plain objects too. */
export type Plain<T> = T extends (infer E)[]
  ? Plain<E>[]
  : T extends object
    ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: Plain<T[K]> }
    : T;

// The generated Wails models (wailsjs/go/models.ts, from the Go DTOs in app/)
// are the only types of what crosses the bridge. A Go pointer field is
// optional there (e.g. ItemView.needed?: number) but arrives as null: test it
// with `== null`. Go never sends a null list (app/nonull_test.go).
export type ItemInput = Plain<desk.ItemInput>;
/** A contact beyond the first of the demand form. */
export type ContactInput = Plain<desk.ContactInput>;
export type DemandInput = Plain<desk.DemandInput>;
/** A position typed in the demand form, in degrees (WGS 84). */
export type PositionInput = Plain<desk.PositionInput>;
export type ItemView = Plain<app.ItemView>;
export type DemandSummary = Plain<app.DemandSummary>;
export type DemandQuery = Plain<desk.DemandQuery>;
export type DemandPage = Plain<app.DemandPage>;
export type MemberRef = Plain<app.MemberRef>;
export type ContactView = Plain<app.ContactView>;
export type HiddenField = Plain<app.HiddenField>;
export type ReceiptView = Plain<app.ReceiptView>;
export type StepView = Plain<app.StepView>;
export type ConflictView = Plain<app.ConflictView>;
/** A field edited on two devices at once: both values, until one is kept. */
export type ConcurrentEditView = Plain<app.ConcurrentEditView>;
export type EditValueView = Plain<app.EditValueView>;
export type DemandDetail = Plain<app.DemandDetail>;
export type ReceiptInput = Plain<desk.ReceiptInput>;
export type ActInput = Plain<desk.ActInput>;
export type MemberView = Plain<app.MemberView>;
export type WindowView = Plain<app.WindowView>;
export type VolunteerView = Plain<app.VolunteerView>;
export type ProfileInput = Plain<app.ProfileInput>;
export type TaskView = Plain<app.TaskView>;
export type MatchView = Plain<app.MatchView>;
export type PendingView = Plain<app.PendingView>;
/** A conflict or pending delivery of an inbox entry (app.NoticeView), and one delivery of a demand. */
export type NoticeView = Plain<app.NoticeView>;
export type DeliveryView = Plain<app.DeliveryView>;
/** One page of the inbox: entries, offset, limit, total; counts per what and overdue over the whole inbox (all). */
export type InboxQuery = Plain<app.InboxQuery>;
export type InboxPage = Plain<app.InboxPage>;
/** One page of the leaderboard (each standing's history is empty: see HistoryPage). */
export type StandingsPage = Plain<app.StandingsPage>;
/** One page of a member's awards, newest first. */
export type HistoryPage = Plain<app.HistoryPage>;
export type VolunteerQuery = Plain<app.VolunteerQuery>;
/** One page of volunteers, with every skill and region of the registry for the filter menus. */
export type VolunteerPage = Plain<app.VolunteerPage>;
export type OfferQuery = Plain<app.OfferQuery>;
/** One page of offers; counts per kind of the offers matching the text (matching in all). */
export type OfferPage = Plain<app.OfferPage>;
export type AwardView = Plain<app.AwardView>;
export type StandingView = Plain<app.StandingView>;
export type PeerView = Plain<app.PeerView>;
export type UndoneView = Plain<app.UndoneView>;
export type UndoneChangeView = Plain<app.UndoneChangeView>;
/** One op of an undone change, for the screen to word (app.UndoneStepView). */
export type UndoneStepView = Plain<app.UndoneStepView>;
export type NodeView = Plain<app.NodeView>;
/** A join code or member id and its QR code (app.JoinCodeView). */
export type JoinCodeView = Plain<app.JoinCodeView>;
/** BundleResult: held are changes dated too far ahead (applied once due); refused counts refused changes by reason. */
export type BundleResult = Plain<app.BundleResult>;
/** ReleaseView: a release a bundle carried, checked against the maintainers' keys (outcome verified, refused with a problem, or damaged). */
export type ReleaseView = Plain<app.ReleaseView>;
/** OfferView.kind is supplies, hotel, logistics, clinic or other (relief.OfferKindOf). */
export type OfferView = Plain<app.OfferView>;
export type OfferInput = Plain<desk.OfferInput>;
export type ItemName = Plain<app.ItemName>;
export type OfferMatchView = Plain<app.OfferMatchView>;
export type MapPoint = Plain<app.MapPoint>;
export type MapLeftOut = Plain<app.MapLeftOut>;
export type TilesInfo = Plain<app.TilesInfo>;
/** MapSource: a street map a connected member (a hub) serves. */
export type MapSource = Plain<app.MapSource>;
export type SimilarView = Plain<app.SimilarView>;
/** ClockView: whether this computer's clock is behind the network's. */
export type ClockView = Plain<app.ClockView>;
/** StorageView: whether writes wait for this device's own feed (recovering) or the disk is full. */
export type StorageView = Plain<app.StorageView>;
/** AtRestView: whether the store is encrypted at rest and where its key is found. */
export type AtRestView = Plain<app.AtRestView>;
export type EncryptResult = Plain<app.EncryptResult>;
/** A demand flagged as a probable duplicate, and what merging it would add to its original. */
export type DuplicateReview = Plain<app.DuplicateReview>;
/** DeadlinesView: the network's reply-by windows in whole minutes. */
export type DeadlinesView = Plain<app.DeadlinesView>;
export type DeadlinesInput = Plain<app.DeadlinesInput>;
/** Info.practice: the practice network is open (no node runs, nothing is sent to anyone). */
export type Info = Plain<app.Info>;
export type CovenantView = Plain<app.CovenantView>;
export type CovenantVersionView = Plain<app.CovenantVersionView>;
export type PartnerView = Plain<app.PartnerView>;
export type PartnerInput = Plain<desk.PartnerInput>;
/** The training screen: courses, who completed what and when it expires, volunteers by stage, who needs which course. */
export type TrainingView = Plain<app.TrainingView>;
export type CourseView = Plain<app.CourseView>;
export type CourseInput = Plain<app.CourseInput>;
export type CompletionView = Plain<app.CompletionView>;
export type QualificationView = Plain<app.QualificationView>;
export type MaterialView = Plain<app.MaterialView>;
export type EvidenceInput = Plain<desk.EvidenceInput>;
export type EvidenceView = Plain<app.EvidenceView>;
export type VerificationView = Plain<app.VerificationView>;
export type PracticeInfo = Plain<app.PracticeInfo>;
/** One incident (network) on this laptop, and the list of them with what one syncing in the background costs in memory. */
export type IncidentView = Plain<app.IncidentView>;
export type IncidentsView = Plain<app.IncidentsView>;
/** A working group (app.GroupView) and the form that creates one (desk.GroupInput). */
export type GroupView = Plain<app.GroupView>;
export type GroupInput = Plain<desk.GroupInput>;
/** The data of EVENT_SYNC_PROGRESS, EVENT_BUNDLE_PROGRESS and EVENT_IMPORT_PROGRESS are in ./events. */

async function call<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw toApiError(e);
  }
}

export const api = {
  info: (): Promise<Info> => call(Network.Info()),
  createNetwork: (incident: string, name: string): Promise<Info> => call(Network.Create(incident, name)),
  categories: (): Promise<string[]> => call(Demands.Categories()),
  listDemands: (q: DemandQuery): Promise<DemandPage> => call(Demands.List(desk.DemandQuery.createFrom(q))),
  recordDemand: (d: DemandInput): Promise<DemandSummary> => call(Demands.Record(desk.DemandInput.createFrom(d))),
  parseMessage: (text: string): Promise<DemandInput> => call(Demands.ParseMessage(text)),
  /** similar resolves to null when no recorded demand looks like d. */
  similar: (d: DemandInput): Promise<SimilarView | null> => call(Demands.Similar(desk.DemandInput.createFrom(d))),
  getDemand: (id: string): Promise<DemandDetail> => call(Demands.Get(id)),
  /** editDemand writes the fields of demand id that d changes; resolves to the demand afterwards. */
  editDemand: (id: string, d: DemandInput): Promise<DemandDetail> => call(Demands.Edit(id, desk.DemandInput.createFrom(d))),
  /** eraseDemand erases demand id's personal data (contacts, review notes) for reason; coordinators only. */
  eraseDemand: (id: string, reason: string): Promise<DemandDetail> => call(Demands.Erase(id, reason)),
  act: (a: ActInput): Promise<DemandDetail> => call(Demands.Act(desk.ActInput.createFrom(a))),
  reviewDuplicate: (id: string): Promise<DuplicateReview> => call(Demands.ReviewDuplicate(id)),
  /** mergeDuplicate merges flagged demand id into its original; resolves to the original. */
  mergeDuplicate: (id: string): Promise<DemandDetail> => call(Demands.MergeDuplicate(id)),
  /** keepSeparate clears the flag on demand id; resolves to the demand. */
  keepSeparate: (id: string): Promise<DemandDetail> => call(Demands.KeepSeparate(id)),
  /** keepValue ends the concurrent edit conflictRef of demand id by keeping value valueRef; resolves to the demand. */
  keepValue: (id: string, conflictRef: string, valueRef: string): Promise<DemandDetail> =>
    call(Demands.KeepValue(id, conflictRef, valueRef)),
  members: (): Promise<MemberView[]> => call(Network.Members()),
  endorse: (memberId: string, role: string, name: string): Promise<MemberView[]> => call(Network.Endorse(memberId, role, name)),
  revoke: (memberId: string, note: string): Promise<MemberView[]> => call(Network.Revoke(memberId, note)),
  /** promote gives a member a new role (coordinators only); returns the roster. */
  promote: (memberId: string, role: string): Promise<MemberView[]> => call(Network.Promote(memberId, role)),
  deadlines: (): Promise<DeadlinesView> => call(Network.Deadlines()),
  setDeadlines: (d: DeadlinesInput): Promise<DeadlinesView> => call(Network.SetDeadlines(app.DeadlinesInput.createFrom(d))),
  volunteers: (): Promise<VolunteerView[]> => call(Volunteers.List()),
  /** volunteerPage: one page of volunteers under q's filters. */
  volunteerPage: (q: VolunteerQuery): Promise<VolunteerPage> => call(Volunteers.Page(app.VolunteerQuery.createFrom(q))),
  myProfile: (): Promise<VolunteerView> => call(Volunteers.MyProfile()),
  saveProfile: (p: ProfileInput): Promise<VolunteerView> => call(Volunteers.SaveProfile(app.ProfileInput.createFrom(p))),
  tasksFor: (demandId: string): Promise<TaskView[]> => call(Tasks.ForDemand(demandId)),
  matches: (demandId: string, skill: string): Promise<MatchView[]> => call(Tasks.Matches(demandId, skill)),
  offerTask: (demandId: string, to: string, skill: string): Promise<TaskView> => call(Tasks.Offer(demandId, to, skill)),
  answerTask: (taskId: string, action: string): Promise<TaskView> => call(Tasks.Answer(taskId, action)),
  inbox: (): Promise<PendingView[]> => call(Inbox.List()),
  /** inboxPage: one page of the inbox (limit 0: 100, at most 500). */
  inboxPage: (q: InboxQuery): Promise<InboxPage> => call(Inbox.Page(app.InboxQuery.createFrom(q))),
  /** ackRecordConflict acknowledges the refused write ref of a volunteer or offer (an inbox entry of kind volunteer or offer). */
  ackRecordConflict: (kind: string, id: string, ref: string): Promise<void> => call(Inbox.AckRecordConflict(kind, id, ref)),
  leaderboard: (): Promise<StandingView[]> => call(Points.Leaderboard()),
  /** standings: one page of the leaderboard, without histories. */
  standings: (offset: number, limit: number): Promise<StandingsPage> => call(Points.Standings(offset, limit)),
  /** history: one page of memberId's awards, newest first. */
  history: (memberId: string, offset: number, limit: number): Promise<HistoryPage> => call(Points.History(memberId, offset, limit)),
  node: (): Promise<NodeView> => call(Network.Node()),
  peers: (): Promise<PeerView[]> => call(Network.Peers()),
  joinCode: (): Promise<JoinCodeView> => call(Network.JoinCode()),
  memberQR: (): Promise<JoinCodeView> => call(Network.MemberIDQR()),
  clock: (): Promise<ClockView> => call(Network.Clock()),
  storage: (): Promise<StorageView> => call(Network.Storage()),
  /** resumeWriting: write again without waiting for this device's own feed (the person confirmed). */
  resumeWriting: (): Promise<StorageView> => call(Network.ResumeWriting()),
  /** recoverDamaged: move a damaged store aside (the device key stays) and open an empty one. */
  recoverDamaged: (): Promise<Info> => call(Network.RecoverDamaged()),
  /** unlock: open the store encrypted with a passphrase (start-up screen). */
  unlock: (passphrase: string): Promise<Info> => call(Network.Unlock(passphrase)),
  /** setPassphrase: encrypt a new data directory with a passphrase when there is no keyring. */
  setPassphrase: (passphrase: string): Promise<Info> => call(Network.SetPassphrase(passphrase)),
  /** atRest: whether the open store is encrypted at rest. */
  atRest: (): Promise<AtRestView> => call(Network.AtRest()),
  /** encryptStore: encrypt the open plaintext store (key in the keyring when passphrase is empty). */
  encryptStore: (passphrase: string): Promise<EncryptResult> => call(Network.EncryptStore(passphrase)),
  join: (code: string): Promise<Info> => call(Network.Join(code)),
  practiceInfo: (): Promise<PracticeInfo> => call(Network.Practice()),
  /** Opens (and the first time loads) the practice network; progress comes as EVENT_IMPORT_PROGRESS. */
  startPractice: (): Promise<Info> => call(Network.StartPractice()),
  leavePractice: (): Promise<Info> => call(Network.LeavePractice()),
  deletePractice: (): Promise<Info> => call(Network.DeletePractice()),
  connect: (addr: string): Promise<void> => call(Network.Connect(addr)),
  exportBundle: (): Promise<BundleResult> => call(Network.ExportBundle()),
  /** saveRelease asks where to save the verified release name carried by a bundle; the path, "" when canceled. */
  saveRelease: (name: string): Promise<string> => call(Network.SaveRelease(name)),
  /** ignoreRelease removes the release name kept from a bundle. */
  ignoreRelease: (name: string): Promise<void> => call(Network.IgnoreRelease(name)),
  importBundle: (): Promise<BundleResult> => call(Network.ImportBundle()),
  /** undoneChanges: a revoked member's changes undone or refused here (coordinators). */
  undoneChanges: (memberId: string): Promise<UndoneChangeView[]> => call(Network.UndoneChanges(memberId)),
  /** adoptUndone records change seq of memberId again under this coordinator's signature. */
  adoptUndone: (memberId: string, seq: string): Promise<void> => call(Network.AdoptUndone(memberId, seq)),
  /** setAsideUndone marks change seq of memberId handled without adopting it. */
  setAsideUndone: (memberId: string, seq: string): Promise<void> => call(Network.SetAsideUndone(memberId, seq)),
  offers: (text: string): Promise<OfferView[]> => call(Offers.List(text)),
  /** offerPage: one page of offers under q's text and kind. */
  offerPage: (q: OfferQuery): Promise<OfferPage> => call(Offers.Page(app.OfferQuery.createFrom(q))),
  recordOffer: (o: OfferInput): Promise<OfferView> => call(Offers.Record(desk.OfferInput.createFrom(o))),
  offerMatches: (demandId: string): Promise<OfferMatchView[]> => call(Offers.Matches(demandId)),
  mapPoints: (): Promise<MapPoint[]> => call(MapPoints.Points()),
  mapLeftOut: (): Promise<MapLeftOut> => call(MapPoints.LeftOut()),
  /** mapTiles says whether a street map (PMTiles) is installed and where the webview reads it. */
  mapTiles: (): Promise<TilesInfo> => call(MapPoints.Tiles()),
  /** pickTiles asks for a .pmtiles file and installs it as the street map. */
  pickTiles: (): Promise<TilesInfo> => call(MapPoints.PickTiles()),
  /** useTiles installs the .pmtiles file at path as the street map. */
  useTiles: (path: string): Promise<TilesInfo> => call(MapPoints.UseTiles(path)),
  /** removeTiles removes the street map. */
  removeTiles: (): Promise<TilesInfo> => call(MapPoints.RemoveTiles()),
  /** hubMaps: the street maps connected members (hubs) serve. */
  hubMaps: (): Promise<MapSource[]> => call(MapPoints.HubMaps()),
  /** fetchMap downloads the street map member serves and installs it (progress: EVENT_MAP_PROGRESS). */
  fetchMap: (member: string): Promise<TilesInfo> => call(MapPoints.FetchMap(member)),
  locale: (): Promise<string> => call(Settings.Locale()),
  setLocale: (l: string): Promise<void> => call(Settings.SetLocale(l)),
  /** on calls fn with the event's data each time the backend emits event; returns the unsubscribe function. */
  /** covenant: the network's covenant (伙伴契约), every version and who accepted it. */
  covenant: (): Promise<CovenantView> => call(Network.Covenant()),
  /** writeCovenant publishes a new version (coordinators); every member is asked to accept it. */
  writeCovenant: (title: string, text: string): Promise<CovenantView> => call(Network.WriteCovenant(title, text)),
  /** acceptCovenant records that this member accepts the current version. */
  acceptCovenant: (): Promise<CovenantView> => call(Network.AcceptCovenant()),
  partners: (): Promise<PartnerView[]> => call(Network.Partners()),
  recordPartner: (p: PartnerInput): Promise<PartnerView[]> => call(Network.RecordPartner(desk.PartnerInput.createFrom(p))),
  /** planReturn sets when a field task's volunteer plans to be back (Unix ms; 0: not a field task). */
  planReturn: (taskId: string, back: number): Promise<TaskView> => call(Tasks.PlanReturn(taskId, back)),
  /** fieldTasks: the tasks of the day, who is out in the field and until when. */
  fieldTasks: (): Promise<TaskView[]> => call(Tasks.FieldTasks()),
  /** training: the training screen (courses, completions, stages; who needs which course for coordinators). */
  training: (): Promise<TrainingView> => call(Volunteers.Training()),
  /** saveCourse records a new course or rewrites one (coordinators); material is base64, at most 128 KiB decoded. */
  saveCourse: (c: CourseInput): Promise<TrainingView> => call(Volunteers.SaveCourse(app.CourseInput.createFrom(c))),
  /** recordCompletion: a trainer records that a volunteer (record id) completed a course now. */
  recordCompletion: (courseId: string, volunteerId: string): Promise<TrainingView> => call(Volunteers.RecordCompletion(courseId, volunteerId)),
  /** withdrawCompletion withdraws a completion recorded by mistake, saying why. */
  withdrawCompletion: (courseId: string, volunteerId: string, note: string): Promise<TrainingView> =>
    call(Volunteers.WithdrawCompletion(courseId, volunteerId, note)),
  /** markTrainer marks a member as trainer of a course, or ends it (coordinators). */
  markTrainer: (courseId: string, memberId: string, on: boolean): Promise<TrainingView> => call(Volunteers.MarkTrainer(courseId, memberId, on)),
  /** courseMaterial: a course's materials file, base64. */
  courseMaterial: (courseId: string): Promise<MaterialView> => call(Volunteers.CourseMaterial(courseId)),
  /** incidents: the incidents on this laptop, which is open, which sync in the background. */
  incidents: (): Promise<IncidentsView> => call(Network.Incidents()),
  /** addIncident adds an empty incident and opens it (the onboarding then creates or joins a network). */
  addIncident: (): Promise<Info> => call(Network.AddIncident()),
  /** switchIncident opens incident id (EVENT_STORE_SWITCHED follows). */
  switchIncident: (id: string): Promise<Info> => call(Network.SwitchIncident(id)),
  /** setBackgroundSync sets whether incident id keeps syncing while another one is open. */
  setBackgroundSync: (id: string, on: boolean): Promise<IncidentsView> => call(Network.SetBackgroundSync(id, on)),
  /** removeIncident removes an incident that never created or joined a network. */
  removeIncident: (id: string): Promise<Info> => call(Network.RemoveIncident(id)),
  /** groups: the network's working groups, by function then name. */
  groups: (): Promise<GroupView[]> => call(Network.Groups()),
  /** createGroup records a working group (coordinators). */
  createGroup: (g: GroupInput): Promise<GroupView[]> => call(Network.CreateGroup(desk.GroupInput.createFrom(g))),
  /** followGroup makes this member follow group id (on false: stop). */
  followGroup: (id: string, on: boolean): Promise<GroupView[]> => call(Network.FollowGroup(id, on)),
  /** groupInbox: this member's inbox entries of the demands routed to group id. */
  groupInbox: (id: string): Promise<PendingView[]> => call(Network.GroupInbox(id)),
  on: <E extends EventName>(event: E, fn: (data: EventData[E]) => void): (() => void) => EventsOn(event, fn),
};
export type Api = typeof api;
