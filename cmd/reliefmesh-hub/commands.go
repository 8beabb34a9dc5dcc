package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

type globals struct {
	dataDir string
	keyFile string // --key-file: the store key of an encrypted store (atrest.go)
	lang    string // --lang: zh-CN or en; "" means the environment's (lang.go)
}

func newRoot() *cobra.Command { return newRootWith(&globals{}) }

// newRootWith is newRoot on g, which main keeps to say the hint after an
// error in the language of --lang.
func newRootWith(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:           "reliefmesh-hub",
		Short:         "Headless ReliefMesh node: hubs, scripting, status",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(*cobra.Command, []string) error {
			_, err := g.language()
			return err
		},
	}
	root.PersistentFlags().StringVar(&g.lang, "lang", "",
		"language of the messages: zh-CN or en (default: zh-CN when LC_ALL, LC_MESSAGES or LANG starts with zh, else en); --json stays English codes")
	root.PersistentFlags().StringVar(&g.dataDir, "data-dir", store.DefaultDataDir(),
		"data directory holding the store and the device key (env "+store.EnvDataDir+")")
	root.PersistentFlags().StringVar(&g.keyFile, "key-file", "",
		"file holding the store key of a store encrypted at rest (mode 0600; or env "+store.EnvStoreKey+"); with init, created if missing")
	root.AddCommand(newInit(g), newStatus(g), newEndorse(g), newBundle(g), newServe(g), newImport(g), newExport(g))
	root.AddCommand(newJoinCode(g), newJoin(g), newID(g), newMembers(g), newInbox(g))
	root.AddCommand(newRecover(g))
	root.AddCommand(newUndoImport(g))
	root.AddCommand(newVerify(g))
	root.AddCommand(newCovenant(g))
	root.AddCommand(newUnlock(g), newRekey(g))
	root.AddCommand(newInstallService(g), newVerifyRelease(g))
	// the help in the language of --lang (help.go): flags are parsed when
	// cobra asks for the help (--help, `help COMMAND`, no command)
	help := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		sayHelpIn(c.Root(), g.speaker())
		help(c, args)
	})
	return root
}

// open opens the store in the data dir for a subcommand. Subcommands first
// ask the hub serving the dir, if any (g.hub), since Badger locks the dir.
func (g *globals) open() (*store.Store, error) { return g.openStore(store.Options{}) }

// openExisting is open for subcommands that read or change a device that
// already exists: a data dir without a device key (a mistyped --data-dir,
// most often) is refused instead of silently becoming a new device.
func (g *globals) openExisting() (*store.Store, error) {
	if err := g.checkDevice(); err != nil {
		return nil, err
	}
	return g.open()
}

// checkDevice refuses a data dir without a device key (see openExisting).
func (g *globals) checkDevice() error {
	if _, err := os.Stat(filepath.Join(g.dataDir, store.KeyFile)); errors.Is(err, fs.ErrNotExist) {
		return errors.New(g.speaker().t("err.nodevice", g.dataDir, store.KeyFile))
	}
	return nil
}

// openDesk opens the store of an existing device (see openExisting) and
// returns its desk, through which every command of this process goes, and
// the function that closes the store, saving the demand counts first for the
// next `status` (desk.Desk.SaveStatus).
func (g *globals) openDesk() (*desk.Desk, func(), error) { return g.openDeskWith(store.Options{}) }

// openLean is openDesk with the store opened as a hub opens it
// (store.Options.Lean: no demand list; the counts kept as a hub keeps
// them), for the commands that write the roster or the network's records
// (commandLean); the counts are saved on close as openDesk saves them.
func (g *globals) openLean() (*desk.Desk, func(), error) {
	return g.openDeskWith(store.Options{Lean: true})
}

// openDeskWith opens the device's existing store with opts (openExisting's
// check first) and a desk on it; the func returned saves the desk's counts
// (best effort: without them the next status folds every demand) and closes
// the store.
func (g *globals) openDeskWith(opts store.Options) (*desk.Desk, func(), error) {
	if err := g.checkDevice(); err != nil {
		return nil, nil, err
	}
	st, err := g.openStore(opts)
	if err != nil {
		return nil, nil, err
	}
	dk := desk.New(st)
	return dk, func() {
		dk.SaveStatus()
		st.Close()
	}, nil
}

// openReader is openDesk for subcommands that ask no demand query and write
// nothing (id, members, bundle export and vv; not inbox: its demand entries
// come with the demand list): the store is opened
// without its demand list (store.Options.SkipDemandList), which on a large
// store is nearly all of the cost of opening it, and nothing is saved on close.
func (g *globals) openReader() (*desk.Desk, func(), error) {
	if err := g.checkDevice(); err != nil {
		return nil, nil, err
	}
	st, err := g.openStore(store.Options{SkipDemandList: true})
	if err != nil {
		return nil, nil, err
	}
	return desk.New(st), func() { st.Close() }, nil
}

// flagOf names, for a command line, the input a desk error's field concerns.
var flagOf = map[string]string{
	"role": "--role", "name": "--name", "memberName": "--member-name", "incident": "--name", "memberId": "MEMBER_ID", "joinCode": "CODE",
}

// cliError turns a desk error (whose Error is JSON, for the UI) into a
// sentence for a terminal naming the flag or argument concerned; other errors
// are returned as they are.
func cliError(err error) error {
	var e *desk.Error
	if !errors.As(err, &e) {
		return err
	}
	msg := e.Message
	if e.Field != "" {
		msg = strings.TrimPrefix(msg, e.Field+": ")
		what := e.Field
		if f, ok := flagOf[e.Field]; ok {
			what = f
		}
		msg = what + ": " + msg
	}
	switch e.Code {
	case desk.CodeNotAllowed:
		msg = "not allowed: " + msg
	case desk.CodeNoNetwork:
		msg += " (reliefmesh-hub init, or join)"
	}
	return &codedError{msg: msg, code: e.Code}
}

// codedError is a desk error said for the command line (cliError), which
// keeps the desk.Error code so that the control socket can pass it on.
type codedError struct{ msg, code string }

func (e *codedError) Error() string { return e.msg }

func newID(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "id",
		Short: "Print this device's member id (creating the device in the data dir if there is none)",
		Long: "Print the member id of the device in the data dir: what a coordinator endorses\n" +
			"(`reliefmesh-hub endorse MEMBER_ID`). The first call on an empty data dir creates the\n" +
			"device (its key); the other subcommands refuse a data dir without one.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			hub, err := g.hub()
			if err != nil {
				return err
			}
			if hub != nil {
				var s hubStatus
				if err := hub.call(cmd.Context(), "GET", "/v0/status", nil, &s); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), s.Device)
				return nil
			}
			// a new device is made here, so no checkDevice (openReader)
			st, err := g.openStore(store.Options{SkipDemandList: true})
			if err != nil {
				return err
			}
			defer st.Close()
			fmt.Fprintln(cmd.OutOrStdout(), desk.New(st).Status().Device)
			return nil
		},
	}
}

func newInit(g *globals) *cobra.Command {
	var name, member string
	c := &cobra.Command{
		Use:   "init --name INCIDENT --member-name YOUR_NAME",
		Short: "Create a network (one incident) with this device as its first coordinator",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sp := g.speaker()
			if strings.TrimSpace(name) == "" {
				return sp.errorf("init.noname")
			}
			if strings.TrimSpace(member) == "" {
				member = "hub"
			}
			if hub, err := g.hub(); err != nil {
				return err
			} else if hub != nil {
				return sp.errorf("init.hubserves", g.dataDir)
			}
			undo := newInitUndo(g.dataDir, sp)
			if err := g.newKeyFile(cmd.OutOrStdout()); err != nil {
				return err
			}
			st, err := g.open()
			if err != nil {
				return undo.after(err)
			}
			dk := desk.New(st)
			if have, ok := dk.Network(); ok {
				st.Close()
				return sp.errorf("init.already", g.dataDir, have.Name, have.ID)
			}
			n, err := dk.CreateNetwork(name, member)
			if err != nil {
				st.Close()
				return undo.after(cliErrorIn(sp, err))
			}
			defer st.Close()
			fmt.Fprintln(cmd.OutOrStdout(), g.speaker().t("init.created", n.Name, n.ID, st.Device()))
			return nil
		},
	}
	c.Flags().StringVar(&name, "name", "", "the incident's name")
	c.Flags().StringVar(&member, "member-name", "", "your name as members will see it (default \"hub\")")
	return c
}

// initUndo removes what a failed `init` created in the data dir (the
// device key, the store, the dir itself when it was new), so that nothing
// half made is left to be taken for a device (a later `import` said "no
// network" instead of pointing at the cause) and a retry starts clean.
type initUndo struct {
	dir    string
	newDir bool
	before map[string]bool
	sp     speaker // says what was removed
}

// newInitUndo notes what dir holds before init.
func newInitUndo(dir string, sp speaker) *initUndo {
	u := &initUndo{dir: dir, before: map[string]bool{}, sp: sp}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		u.newDir = true
	}
	for _, e := range entries {
		u.before[e.Name()] = true
	}
	return u
}

// after removes what init created and returns err, saying what was removed,
// or what could not be and that it can be deleted (a retry is safe either
// way: init refuses only a dir that already has a network).
func (u *initUndo) after(err error) error {
	var left []string
	entries, _ := os.ReadDir(u.dir)
	for _, e := range entries {
		if u.before[e.Name()] {
			continue
		}
		if rerr := os.RemoveAll(filepath.Join(u.dir, e.Name())); rerr != nil {
			left = append(left, e.Name())
		}
	}
	if u.newDir && len(left) == 0 {
		os.Remove(u.dir)
	}
	if len(left) > 0 {
		return u.sp.errorf("init.left", err, strings.Join(left, ", "), u.dir)
	}
	return u.sp.errorf("init.undone", err, u.dir)
}

func newStatus(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "status",
		Short: "Print this device's id, its network, role, demand counts, members, version vector and peers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := g.status(cmd.Context(), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), s)
			}
			sp := g.speaker()
			printStatusIn(cmd.OutOrStdout(), s.Status, sp)
			printPeersIn(cmd.OutOrStdout(), s, sp)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON for scripts")
	return c
}

func printStatus(w io.Writer, s desk.Status) { printStatusIn(w, s, speakerOf(langEN)) }

// printStatusIn prints s in sp's language, statuses, roles and refusal
// reasons with the UI's labels.
func printStatusIn(w io.Writer, s desk.Status, sp speaker) {
	fmt.Fprintln(w, sp.t("device", s.Device))
	if s.Network == nil {
		fmt.Fprintln(w, sp.t("network.none"))
	} else {
		fmt.Fprintln(w, sp.t("network", s.Network.Name, s.Network.ID))
	}
	if s.Role != "" {
		role := sp.label("role", string(s.Role))
		if s.Revoked {
			role += sp.t("revoked")
			if s.RevokedBy != "" {
				role += sp.t("revoked.by", s.RevokedBy)
			}
			if s.RevokedAt != "" {
				role += sp.t("revoked.at", sp.when(s.RevokedAt))
			}
			role += sp.t("revoked.after")
		}
		fmt.Fprintln(w, sp.t("role", role))
	}
	fmt.Fprintln(w, sp.t("members", s.Members))
	fmt.Fprintln(w, sp.t("demands", s.Demands))
	statuses := make([]string, 0, len(s.DemandsByStatus))
	for k := range s.DemandsByStatus {
		statuses = append(statuses, k)
	}
	sort.Strings(statuses)
	for _, k := range statuses {
		fmt.Fprintf(w, "  %-12s %d\n", sp.label("status", k), s.DemandsByStatus[k])
	}
	fmt.Fprintln(w, sp.t("offers", s.Offers))
	fmt.Fprintln(w, sp.t("feeds", len(s.VersionVector)))
	if len(s.Rejected) > 0 {
		reasons := make([]string, 0, len(s.Rejected))
		for r, n := range s.Rejected {
			reasons = append(reasons, fmt.Sprintf("%s %d", sp.label("reason", string(r)), n))
		}
		sort.Strings(reasons)
		fmt.Fprintln(w, sp.t("refused", strings.Join(reasons, ", ")))
	}
	if s.Waited > 0 {
		fmt.Fprintln(w, sp.t("waited", s.Waited))
	}
	if s.Held > 0 {
		fmt.Fprintln(w, sp.t("held", s.Held, time.Duration(s.ClockBehindMs)*time.Millisecond))
	}
	printStorage(w, s.Storage, sp)
}

// status asks the hub serving the data dir for its status, or reads the
// store's (with no peers) when none does.
func (g *globals) status(ctx context.Context, errw io.Writer) (hubStatus, error) {
	hub, err := g.hub()
	if err != nil {
		return hubStatus{}, err
	}
	if hub != nil {
		var s hubStatus
		err := hub.call(ctx, "GET", "/v0/status", nil, &s)
		if s.Peers == nil {
			s.Peers = []peerStatus{}
		}
		return s, err
	}
	// First without the demand list (folding 100,000 demands takes seconds
	// and hundreds of MB): the counts saved by the last process that had the
	// store open hold while nothing changed since.
	light, closeLight, err := g.openReader()
	if err != nil {
		return hubStatus{}, err
	}
	s, ok := light.SavedStatus()
	closeLight()
	if ok {
		return hubStatus{Status: s, Peers: []peerStatus{}}, nil
	}
	// Then as a hub opens it (store.Options.Lean): the counts the last
	// Close saved for a lean open (the app's too) when they hold, else a
	// scan of the records that holds one batch in memory — said on errw
	// first, as it takes a minute at 100,000 demands — not a fold of every
	// demand into a list.
	st, err := g.openStore(store.Options{Lean: true})
	if err != nil {
		return hubStatus{}, err
	}
	sp := g.speaker()
	st.SetOnRecount(func() { fmt.Fprintln(errw, sp.t("status.counting")) })
	dk := desk.New(st)
	s = dk.Status()
	dk.SaveStatus() // best effort: the next status reads it at once
	if err := st.Close(); err != nil {
		return hubStatus{}, err
	}
	return hubStatus{Status: s, Peers: []peerStatus{}}, nil
}

// printPeers prints the serving hub and the sync status per peer, in English.
func printPeers(w io.Writer, s hubStatus) { printPeersIn(w, s, speakerOf(langEN)) }

// printPeersIn prints the serving hub and the sync status per peer in sp's
// language.
func printPeersIn(w io.Writer, s hubStatus, sp speaker) {
	if s.Hub == nil {
		fmt.Fprintln(w, sp.t("hub.none"))
		return
	}
	fmt.Fprintln(w, sp.t("hub.serving", s.Hub.PeerID))
	for _, a := range s.Hub.Addrs {
		fmt.Fprintf(w, "  %s\n", a)
	}
	if s.Hub.Error != "" {
		fmt.Fprintln(w, sp.t("hub.error", s.Hub.Error))
	}
	if s.Hub.WaitingForEndorsement && catchingUp(s.Peers) {
		// an endorsement comes last in its endorser's feed: it may still be
		// on its way (a tester endorsed a hub twice on the first line)
		fmt.Fprintln(w, sp.t("hub.waiting.catchup", s.Device))
	} else if s.Hub.WaitingForEndorsement {
		fmt.Fprintln(w, sp.t("hub.waiting", s.Device))
	}
	for i, p := range s.Hub.NotMembers {
		who := p // a serving hub of an older version: the peer id is all it said
		if i < len(s.Hub.NotMemberPeers) {
			who = sp.notMember(s.Hub.NotMemberPeers[i])
		}
		fmt.Fprintln(w, sp.t("peer.notmember", who))
	}
	fmt.Fprintln(w, sp.t("peers", len(s.Peers)))
	for _, p := range s.Peers {
		state := sp.t("peer.offline")
		if p.Connected {
			state = sp.t("peer.connected", p.Kind)
		}
		sync := sp.t("peer.unknown")
		switch {
		case p.Syncing && p.Progress != nil:
			sync = sp.t("peer.syncing.n", p.Progress.Applied, p.Progress.Expected)
		case p.Syncing:
			sync = sp.t("peer.syncing")
		case p.Synced:
			sync = sp.t("peer.synced")
		case p.Known:
			sync = sp.t("peer.lack", p.WeLack, p.TheyLack)
		}
		fmt.Fprintf(w, "  %s  %s, %s", shortID(p.Member), state, sync)
		if p.LastExchange != "" {
			fmt.Fprint(w, sp.t("peer.last", sp.when(p.LastExchange)))
		}
		if p.InStepAt > p.LastExchange { // RFC 3339 in UTC: ordered as text
			fmt.Fprint(w, sp.t("peer.instep", sp.when(p.InStepAt)))
		}
		if p.LastError != "" {
			fmt.Fprint(w, sp.t("peer.error", p.LastError))
		}
		fmt.Fprintln(w)
	}
}

// shortID shortens a member id for a table, as ledger.DeviceID.Short does.
// notMember names a peer this hub refuses to dial by what it knows of it,
// in sp's language: its name in the roster when it has one (a revoked
// member), the addresses it is dialled at and the short form of its member
// id ("/ip4/10.0.0.2/tcp/4717（成员 ID fbxeog3q）"); never by the whole
// libp2p peer id.
func (s speaker) notMember(p notMemberJSON) string {
	id := shortID(p.Member)
	if id == "" {
		id = p.Peer
	}
	where := strings.Join(p.Addrs, ", ")
	switch {
	case p.Name != "" && p.Revoked:
		return s.t("notmember.revoked", p.Name, id, where)
	case p.Name != "":
		return s.t("notmember.named", p.Name, id, where)
	case where != "":
		return s.t("notmember.at", where, id)
	}
	return s.t("notmember.id", id)
}

func shortID(s string) string {
	if d, err := ledger.ParseDeviceID(s); err == nil {
		return d.Short()
	}
	return s
}

func newEndorse(g *globals) *cobra.Command {
	var role, name string
	c := &cobra.Command{
		Use:   "endorse MEMBER_ID --role ROLE [--name NAME]",
		Short: "Vouch for a new member's key with a role (coordinator, reviewer, volunteer, observer); an existing member's role is changed instead (coordinators only)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// checked here too, so that a typo is refused before any store is opened
			sp := g.speaker()
			key, err := desk.ParseMemberID("memberId", args[0])
			if err != nil {
				return cliErrorIn(sp, err)
			}
			r, err := desk.ParseRole(role)
			if err != nil {
				return &codedError{msg: sp.t("desk.role", role), code: desk.CodeInvalid}
			}
			req := endorseRequest{Member: key.String(), Role: string(r), Name: name}
			err = g.commandLean(cmd.Context(), "/v0/endorse", req, &req, func(dk *desk.Desk) (err error) {
				req, err = endorseOrPromote(dk, req)
				return err
			})
			if err != nil {
				return err
			}
			if req.PromotedFrom != "" {
				fmt.Fprintln(cmd.OutOrStdout(), sp.t("endorse.changed", key, req.Name, sp.t("role."+roleChange(relief.Role(req.PromotedFrom), r)),
					req.PromotedFrom, r, sp.label("role", req.PromotedFrom), sp.label("role", string(r))))
				return nil
			}
			fmt.Fprintln(cmd.OutOrStdout(), sp.t("endorse.done", key, r, sp.label("role", string(r))))
			return nil
		},
	}
	c.Flags().StringVar(&role, "role", "volunteer", "the role to give")
	c.Flags().StringVar(&name, "name", "", "the member's name")
	return c
}

// memberJSON is one roster entry as `members --json` prints it.
type memberJSON struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Role       string `json:"role"`
	EndorsedBy string `json:"endorsed_by"` // member id; empty for the network's first coordinator
	Since      string `json:"since"`       // RFC 3339, UTC, milliseconds
	Revoked    bool   `json:"revoked"`
}

// membersToWire converts the roster; never nil.
func membersToWire(ms []relief.Member) []memberJSON {
	out := make([]memberJSON, 0, len(ms))
	for _, m := range ms {
		j := memberJSON{ID: m.Key.String(), Name: m.Name, Role: string(m.Role), Revoked: m.Revoked, Since: wireTime(time.UnixMilli(m.Since.Wall))}
		if !m.EndorsedBy.IsZero() {
			j.EndorsedBy = m.EndorsedBy.String()
		}
		out = append(out, j)
	}
	return out
}

// pendingJSON is one inbox entry as `inbox --json` prints it.
type pendingJSON struct {
	Kind     string `json:"kind"`      // demand or task
	ID       string `json:"id"`        // the demand's or task's id
	DemandID string `json:"demand_id"` // the demand, or the task's demand
	Code     string `json:"code"`
	Title    string `json:"title"` // the demand's title
	What     string `json:"what"`  // review, publish, claim, answer, owned, complete
	Status   string `json:"status"`
	Since    string `json:"since"`         // RFC 3339, UTC, milliseconds
	Due      string `json:"due,omitempty"` // RFC 3339; absent when there is no deadline
	Overdue  bool   `json:"overdue"`
	Soon     bool   `json:"soon"`
	// Seq is, for what "fork", the number of the change the member's device
	// wrote twice; its changes from it on are refused.
	Seq uint64 `json:"seq,omitempty"`
	// Action, By (member id), ByName, Reason and Fields say, for what
	// "conflict", which step did not apply, whose it was, why (a
	// relief.Reason code) and which fields an edit touched.
	Action string   `json:"action,omitempty"`
	By     string   `json:"by,omitempty"`
	ByName string   `json:"by_name,omitempty"`
	Reason string   `json:"reason,omitempty"`
	Fields []string `json:"fields,omitempty"`
	// Line says, for what "conflict", "delivery" and "withdrawn", what the
	// app's inbox says of it (desk.NoticeLine: both sides, the winner, the
	// fields, the items, who withdrew and why), by language ("zh-CN",
	// "en"), times in the incident's zone, named (desk.IncidentTime).
	Line map[string]string `json:"line,omitempty"`
}

// inboxToWire converts an inbox; never nil.
func inboxToWire(ps []desk.Pending, names map[ledger.DeviceID]string) []pendingJSON {
	out := make([]pendingJSON, 0, len(ps))
	for _, p := range ps {
		j := pendingJSON{Kind: p.Kind, ID: p.ID, DemandID: p.DemandID, Code: p.Code, Title: p.Title, What: p.What,
			Status: string(p.Status), Since: wireTime(p.Since), Overdue: p.Overdue, Soon: p.Soon}
		if !p.Due.IsZero() {
			j.Due = wireTime(p.Due)
		}
		if p.Notice != nil && p.Notice.Conflict != nil {
			c := p.Notice.Conflict
			j.Action, j.By, j.ByName, j.Reason, j.Fields = string(c.Action), c.By.String(), names[c.By], string(c.Reason), p.Notice.Fields
		}
		if line := noticeLines(p, names); line != nil {
			j.Line = line
		}
		if p.What == relief.ReplyFork {
			j.Seq = p.Seq
			j.Title = fmt.Sprintf("%s 的设备写了两条编号同为 %d 的不同更改，其后的更改被所有成员拒绝：请其停止使用该设备，为其新设备背书 / "+
				"%s's device wrote two different changes numbered %d; its later changes are refused: tell them to stop using it, endorse their new device",
				p.Code, p.Seq, p.Code, p.Seq)
		}
		out = append(out, j)
	}
	return out
}

// noticeLines returns the line of p's notice in each language, nil when it
// has none.
func noticeLines(p desk.Pending, names map[ledger.DeviceID]string) map[string]string {
	name := func(k ledger.DeviceID) string { return names[k] }
	out := map[string]string{}
	for _, lang := range []string{langZH, langEN} {
		when := func(t time.Time) string { return desk.IncidentTime(t, lang) }
		if line := desk.NoticeLine(p.What, p.Notice, lang, name, when); line != "" {
			out[lang] = line
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// wireTime formats t for JSON output: RFC 3339 in UTC, to the millisecond.
func wireTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// query runs a desk query for a subcommand: over the control socket when a
// hub serves the data dir (GET path, JSON into out), else in-process with
// local on a desk of its own (openReader: local asks no demand query).
func (g *globals) query(ctx context.Context, path string, out any, local func(*desk.Desk) error) error {
	return g.queryWith(ctx, path, out, g.openReader, local)
}

// queryWith is query with the desk of an in-process answer opened by open
// (openDesk for a query that needs the demand list, such as the inbox).
func (g *globals) queryWith(ctx context.Context, path string, out any, open func() (*desk.Desk, func(), error), local func(*desk.Desk) error) error {
	hub, err := g.hub()
	if err != nil {
		return err
	}
	if hub != nil {
		return hub.call(ctx, "GET", path, nil, out)
	}
	dk, done, err := open()
	if err != nil {
		return err
	}
	defer done()
	return local(dk)
}

// commandLean runs a desk command for a subcommand: over the control socket
// when a hub serves the data dir (POST path with req, JSON into out), else
// in-process with local on a desk opened lean (openLean); local's desk errors
// are explained as the CLI explains them (cliError). It serves the commands
// the serving hub answers on its lean store too (endorse, covenant: the
// roster and the network's records), which need no demand list; a full open
// folds every demand into it first: 12.6 s of CPU at 100,000 demands
// (session 14's tester).
func (g *globals) commandLean(ctx context.Context, path string, req, out any, local func(*desk.Desk) error) error {
	return g.commandWith(ctx, path, req, out, g.openLean, local)
}

// commandWith is commandLean with the in-process desk opened by open
// (openDesk for a command that needs the demand list).
func (g *globals) commandWith(ctx context.Context, path string, req, out any, open func() (*desk.Desk, func(), error), local func(*desk.Desk) error) error {
	hub, err := g.hub()
	if err != nil {
		return err
	}
	if hub != nil {
		return hub.call(ctx, "POST", path, req, out)
	}
	dk, done, err := open()
	if err != nil {
		return err
	}
	defer done()
	if err := local(dk); err != nil {
		return cliErrorIn(g.speaker(), err)
	}
	return nil
}

func newMembers(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "members",
		Short: "Print the network's roster: every member, its role, who endorsed it, revoked or not",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var ms []memberJSON
			err := g.query(cmd.Context(), "/v0/members", &ms, func(dk *desk.Desk) error {
				ms = membersToWire(dk.Members())
				return nil
			})
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), ms)
			}
			names := map[string]string{}
			for _, m := range ms {
				names[m.ID] = m.Name
			}
			sp := g.speaker()
			for _, m := range ms {
				state := ""
				if m.Revoked {
					state = sp.t("member.revoked")
				}
				by := sp.t("member.first")
				if m.EndorsedBy != "" {
					by = sp.t("member.by", names[m.EndorsedBy], shortID(m.EndorsedBy))
				}
				fmt.Fprintln(cmd.OutOrStdout(), sp.t("member", shortID(m.ID), sp.label("role", m.Role), m.Name, by, sp.when(m.Since), state))
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON for scripts")
	return c
}

func newInbox(g *globals) *cobra.Command {
	var asJSON bool
	var limit int
	c := &cobra.Command{
		Use:   "inbox",
		Short: "Print what waits on this device's member (待答复): overdue and due soon first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var ps []pendingJSON
			// the demand entries of the inbox come with the demand list: a full open
			err := g.queryWith(cmd.Context(), "/v0/inbox", &ps, g.openDesk, func(dk *desk.Desk) error {
				in, err := dk.Inbox()
				ps = inboxToWire(in, dk.MemberNames())
				return err
			})
			if err != nil {
				return cliErrorIn(g.speaker(), err)
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), ps)
			}
			printInboxCut(cmd.OutOrStdout(), ps, limit, g.speaker())
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON for scripts")
	c.Flags().IntVar(&limit, "limit", 50, "print at most this many entries, the most urgent first, and say how many are left out (0: all; --json prints all)")
	return c
}

// printInboxCut prints the first limit entries of ps (all when limit ≤ 0) as
// printInbox does; when some are left out it says first how many wait in all,
// how many of them are overdue and how many follow, and at the end how many
// were not printed and how to print them: a coordinator's inbox at 100,000
// demands holds some 195,000 entries, which no terminal shows.
func printInboxCut(w io.Writer, ps []pendingJSON, limit int, sp speaker) {
	if limit <= 0 || len(ps) <= limit {
		printInbox(w, ps, sp)
		return
	}
	overdue := 0
	for _, p := range ps {
		if p.Overdue {
			overdue++
		}
	}
	fmt.Fprintln(w, sp.t("inbox.cut.head", len(ps), overdue, limit))
	printInbox(w, ps[:limit], sp)
	fmt.Fprintln(w, sp.t("inbox.cut.tail", len(ps)-limit))
}

// printInbox prints the inbox in sp's language, each entry with the UI's
// label of what waits.
func printInbox(w io.Writer, ps []pendingJSON, sp speaker) {
	if len(ps) == 0 {
		fmt.Fprintln(w, sp.t("inbox.empty"))
	}
	for _, p := range ps {
		due := sp.t("inbox.nodue")
		switch {
		case p.Overdue:
			due = sp.t("inbox.overdue", sp.when(p.Due))
		case p.Due != "":
			due = sp.t("inbox.due", sp.when(p.Due))
		}
		fmt.Fprintf(w, "%s  %s  %s  (%s)\n", p.Code, sp.label("what", p.What), p.Title, due)
		if line := p.Line[sp.lang]; line != "" {
			fmt.Fprintln(w, "        "+line) // the app's words: both sides, the winner, the fields, the items
		} else if p.Reason != "" {
			by := p.ByName
			if by == "" && len(p.By) >= 8 {
				by = p.By[:8]
			}
			fmt.Fprintln(w, sp.t("inbox.why", sp.label("reason", p.Reason), by))
		}
	}
}

// when writes an RFC 3339 time as a person reads it, in the speaker's
// language: to the minute in the incident's zone, named
// (desk.IncidentTime: "2026-12-07 10:56 北京时间", "2026-12-07 10:56 UTC+8"),
// whatever this machine's zone (--json keeps RFC 3339, UTC); a time that
// does not parse is written as it is.
func (s speaker) when(rfc3339 string) string {
	t, err := time.Parse(time.RFC3339Nano, rfc3339)
	if err != nil {
		return rfc3339
	}
	return desk.IncidentTime(t, s.lang)
}

// printJSON prints v indented, as every --json does.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// roleChange says whether a member going from one role to another is
// promoted or demoted (observer < volunteer < reviewer < coordinator).
func roleChange(from, to relief.Role) string {
	rank := map[relief.Role]int{relief.RoleObserver: 0, relief.RoleVolunteer: 1, relief.RoleReviewer: 2, relief.RoleCoordinator: 3}
	if rank[to] < rank[from] {
		return "demoted"
	}
	return "promoted"
}

// catchingUp reports whether a connected peer is syncing with this device.
func catchingUp(peers []peerStatus) bool {
	for _, p := range peers {
		if p.Connected && p.Syncing {
			return true
		}
	}
	return false
}
