// Package relief is ReliefMesh's domain: demands, volunteers, offers, tasks and
// members; roles and the pipeline table; graded information; and the merge rules
// that make every peer holding the same set of changes compute the same state.
//
// # Records and operations
//
// Every entity is materialised as a [Record]: last-writer-wins [Field]s, observed-
// remove sets ([ORSet]) and lifecycle [Step]s. The store applies each operation of
// each change with [ApplyOp], passing a [Meta] (device, seq, stamp, change id and
// the operation's index in the change). ApplyOp is commutative, associative and
// idempotent, so records converge whatever the order in which changes arrive and
// however often they are delivered. Every operation has a total order key,
// (Stamp, Device, Seq, Index, Change); see [Meta.Compare].
//
// Operations are built with [SetFields], [Add], [Remove], [Transition], [Genesis],
// [Endorse], [Promote] and [Revoke]. Their bodies are CBOR maps with integer keys.
// [ValidateOp] checks an operation on its own (kind, type, body, field types); its
// verdict depends only on the operation, so every peer reaches the same one.
//
// # Views
//
// Views are derived, never stored: [FoldDemand], [FoldVolunteer], [FoldOffer],
// [FoldTask] and [Roster.Member]. Lifecycle steps are folded in total order, each
// checked against the state it meets and against the actor's role in the current
// [Roster]. A step that no longer applies (two offline claims, an approval after a
// rejection, a claim by an observer) is kept and reported as a [Conflict] in the
// view, never dropped silently. The roster itself is folded from member records by
// [NewRoster] and is order-independent in the same way.
//
// # The pipeline
//
// Demands move collected → approved → published → in_progress → fulfilled, with
// side exits rejected, duplicate and withdrawn. [Rules] is the table of who may do
// what from which status; [Allowed] asks it for one demand and one member.
//
// # Graded information
//
// Every field of every view has a level (struct tag `level`): public, team or
// restricted. [Project] blanks the fields a viewer may not see and says why.
//
// # Catalog, request–reply, points and matching
//
// [DefaultCatalog] resolves the many ways a supply is written ("N95", "N95口罩",
// "医用防护口罩 | N95口罩") to one [CatalogItem]. [Deadlines] give every step a
// reply-by; [Overdue] and [Inbox] list what waits for an answer. [Points] derives
// the leaderboard from the applied history by fixed rules, so every peer computes
// the same one. [MatchVolunteers] and [MatchOffers] rank candidates and say why.
//
// The package is pure: no I/O, no goroutines, no clock (time is passed in).
package relief
