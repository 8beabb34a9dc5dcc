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
// Views are derived, never stored: [FoldDemand], [FoldVolunteerChecked],
// [FoldOfferChecked], [FoldTask] and [Roster.Member]. Lifecycle steps are folded
// in total order, each checked against the state it meets and against the role
// its author held at its position ([Roster.RoleAt]). A step that no longer applies (two offline claims, an approval after a
// rejection, a claim by an observer) is kept and reported as a [Conflict] in the
// view, never dropped silently. The roster itself is folded from member records by
// [NewRoster] and is order-independent in the same way.
//
// # Authority
//
// Every operation is judged by the role its author held at its position in the
// total order, not by the role it holds now: roster changes (endorse, promote,
// demote) are operations in the same order, and [Roster.RoleAt] answers from
// each member's role history. Revocation stays a cut by seq (the store undoes
// the changes past it). So a demotion that arrives late judges exactly the
// operations after its position, identically on every peer.
//
// Lifecycle steps are judged by [Rules]; field writes by [FieldRules]. A write
// that its author was not allowed to make has no effect: last-writer-wins picks
// the latest allowed write. For that a [Field] keeps, behind its winner, the
// writes it superseded (Field.Prev, sorted by position): the winner and Prev
// hold every write of the field, so ApplyOp stays commutative, associative and
// idempotent, and a never-edited field costs nothing more. The refused write is
// a [Conflict] (Action edit, Field, Reason role), shown on the record and, for
// demands, in the inbox of its author and of the coordinators until
// acknowledged.
//
// Concurrent edits. Last-writer-wins converges, but would drop silently the
// value of an edit made on another laptop at the same time. So a set op may
// say what its author had seen of each field ([SetFieldsSeen], [Heads]; kept
// in Field.Seen), and two allowed writes of one field of which neither had
// seen the other are a [Conflict] (Action edit, Reason [ReasonConcurrent])
// showing both, for both authors and the coordinators, until a write that
// has seen both (the desk's "keep this one") or an acknowledgement ends it;
// the later one is shown meanwhile. Writes that say nothing (older versions,
// the importer) count as having seen every write before them. An edit whose
// sight names writes the record lacks (its creation, cut by a revocation)
// does not create the demand. See concurrent.go.
//
// What is kept, and why nothing more is pruned. A superseded write could be
// dropped only if some later write of the field were certain to be allowed
// whatever roster changes are still to arrive. No such write exists: any member
// can be demoted by a coordinator, and a demotion made offline may be placed
// before a write that every peer has already accepted. The only writes allowed
// whatever the roles are a member's writes to its own profile, and they are
// rare. So the record keeps every superseded write (one value and its Meta,
// about 90 bytes plus the value, per edit); demands are edited a few times in
// their life, so the cost is small next to the steps a record keeps anyway.
// Pruning becomes sound once a position is stable: when every member has
// acknowledged changes past it, no roster change can be placed before it, and
// the writes older than the latest allowed one before it can go. That needs
// the acknowledgements the store keeps (issue 18), not the record, and is left
// to the store.
//
// Observed-remove set additions and removals (tags, skills) are judged the
// same way, with the set's name as the field: an ORSet keeps who added each
// element and who removed which additions (AddBy, RemoveBy), and the fold
// leaves out the ones their authors were not allowed to make. Records stored
// before these were kept count their additions and removals as allowed.
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
