// Command e2epeer plays the other members of the app's network in the
// end-to-end tests (frontend/e2e/*.test.mjs): every member needs its own
// signing device, and the app under test is only one of them. It opens the
// data directories named on its command line, runs the steps of a JSON
// script read from stdin through the desk (the same commands and checks as
// the app and the hub: no change is made by hand), and prints one JSON
// result per step, as a JSON array on stdout.
//
//	e2epeer -dev C=/tmp/coord -dev V=/tmp/volunteer -dev A=/tmp/app < steps.json
//
// Each step names the device it runs on ("on", a name given by -dev) and
// what it does ("do"):
//
//	create   {"incident", "name"}: a new network, this device its coordinator → {"member", "network"}
//	join     {"network": DEV}: join DEV's network (a join code without addresses) → {"member"}
//	endorse  {"member": DEV or member id, "role", "name"} → {"member"}
//	carry    {"to": DEV}: a bundle of what DEV lacks, imported there → {"changes", "applied"}
//	export   {"file"}: every change this device holds, as a bundle file → {"changes"}
//	import   {"file"}: a bundle file → {"changes", "applied", "refused"}
//	record   {"demand": desk.DemandInput} → the demand (see below)
//	act      {"input": desk.ActInput, "pending": true}: a pipeline action; "to" may
//	         name a DEV; "pending" puts the ref of the demand's first pending
//	         delivery into input.ref → the demand afterwards
//	demand   {"id"} → the demand
//	profile  {"profile": desk.Profile}: save this member's volunteer profile → {"id"}
//	inbox    {} → this member's inbox entries
//	rawset   {"kind", "id", "field", "value"}: one field written without the
//	         desk's checks (desk.Desk.WriteFieldUnchecked), judged by the fold
//
// A demand is named by its id or its exact title ("id" of demand and act).
// A demand is printed as {"id", "code", "title", "status", "owner",
// "ownerName", "received": {item: quantity}, "deliveries": [{"by", "state",
// "items"}], "transfer": {"by", "reason"} or null, "conflicts": open ones}.
//
// Badger locks a data directory: a device whose directory the running app
// holds cannot be opened; the steps carry changes to it as bundle files,
// which the test imports through the app's UI. The store key, if any, comes
// from RELIEFMESH_STORE_KEY as for the app and the hub; without it the stores
// are plaintext (the app opens a plaintext store as it is).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/join"
)

// devices maps the names given by -dev to data directories.
type devices map[string]string

func (d devices) String() string { return fmt.Sprint(map[string]string(d)) }

func (d devices) Set(v string) error {
	name, dir, ok := strings.Cut(v, "=")
	if !ok || name == "" || dir == "" {
		return fmt.Errorf("-dev %q: want NAME=DIR", v)
	}
	d[name] = dir
	return nil
}

func main() {
	devs := devices{}
	flag.Var(devs, "dev", "NAME=DIR: a member's device and its data directory (repeat)")
	flag.Parse()
	if len(devs) == 0 || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: e2epeer -dev NAME=DIR [-dev NAME=DIR]... < steps.json")
		os.Exit(2)
	}
	var steps []Step
	if err := json.NewDecoder(os.Stdin).Decode(&steps); err != nil {
		fmt.Fprintln(os.Stderr, "e2epeer: read the steps (a JSON array) from stdin:", err)
		os.Exit(2)
	}
	r := &runner{dirs: devs, open: map[string]*desk.Desk{}}
	out, err := r.run(steps)
	r.close()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2epeer:", err)
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "e2epeer: write the results:", err)
		os.Exit(1)
	}
}

// Step is one command of the script (see the package comment).
type Step struct {
	On       string            `json:"on"`
	Do       string            `json:"do"`
	Incident string            `json:"incident"`
	Name     string            `json:"name"`
	Network  string            `json:"network"`
	Member   string            `json:"member"`
	Role     string            `json:"role"`
	To       string            `json:"to"`
	File     string            `json:"file"`
	ID       string            `json:"id"`
	Demand   *desk.DemandInput `json:"demand"`
	Input    *desk.ActInput    `json:"input"`
	Pending  bool              `json:"pending"`
	// Profile is the volunteer profile a "profile" step saves.
	Profile *desk.Profile `json:"profile,omitempty"`
	// Kind, Field and Value: a "rawset" step signs a write of Field of
	// record Kind/ID (ID a device of the run: its volunteer profile; a
	// demand's id or title) without the desk's checks
	// (desk.Desk.WriteFieldUnchecked), so that the fold may refuse it.
	Kind  string `json:"kind,omitempty"`
	Field string `json:"field,omitempty"`
	Value string `json:"value,omitempty"`
}

// StepGap is the pause between two steps: longer than one tick of the
// ledger's clock (a millisecond).
const StepGap = 3 * time.Millisecond

// runner holds the desks opened so far, by device name.
type runner struct {
	dirs devices
	open map[string]*desk.Desk
}

func (r *runner) close() {
	for _, dk := range r.open {
		dk.Store().Close()
	}
}

// desk returns the desk of device name, opening its store on first use.
func (r *runner) desk(name string) (*desk.Desk, error) {
	if dk, ok := r.open[name]; ok {
		return dk, nil
	}
	dir, ok := r.dirs[name]
	if !ok {
		return nil, fmt.Errorf("no device %q (give it with -dev %s=DIR)", name, name)
	}
	var opts store.Options
	if v := os.Getenv(store.EnvStoreKey); v != "" {
		k, err := store.ParseStoreKey(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", store.EnvStoreKey, err)
		}
		if _, encrypted, err := store.ReadKeyInfo(dir); err != nil || encrypted || !store.HasStore(dir) {
			opts.EncryptionKey = k // as the app does: a plaintext store stays plaintext
		}
	}
	st, err := store.Open(dir, opts)
	if err != nil {
		return nil, fmt.Errorf("open device %s in %s: %w", name, dir, err)
	}
	dk := desk.New(st)
	r.open[name] = dk
	return dk, nil
}

// member returns the member id of s: a device of this run by name, else s
// itself (a member id).
func (r *runner) member(s string) (string, error) {
	if _, ok := r.dirs[s]; !ok {
		return s, nil
	}
	dk, err := r.desk(s)
	if err != nil {
		return "", err
	}
	return dk.Store().Device().String(), nil
}

func (r *runner) run(steps []Step) ([]any, error) {
	out := make([]any, 0, len(steps))
	for i, s := range steps {
		if i > 0 {
			// Steps are moments apart, as people's actions are: two changes
			// by different devices in one clock tick would be ordered by
			// their devices rather than by the script (a handover and the
			// delivery made after it, for instance).
			time.Sleep(StepGap)
		}
		res, err := r.step(s)
		if err != nil {
			b, _ := json.Marshal(s)
			return nil, fmt.Errorf("step %d %s on %s: %w\n  step: %s", i, s.Do, s.On, err, b)
		}
		out = append(out, res)
	}
	return out, nil
}

func (r *runner) step(s Step) (any, error) {
	dk, err := r.desk(s.On)
	if err != nil {
		return nil, err
	}
	switch s.Do {
	case "create":
		n, err := dk.CreateNetwork(s.Incident, s.Name)
		if err != nil {
			return nil, err
		}
		return map[string]string{"member": dk.Store().Device().String(), "network": n.ID}, nil
	case "join":
		other, err := r.desk(s.Network)
		if err != nil {
			return nil, err
		}
		n, ok := other.Network()
		if !ok {
			return nil, fmt.Errorf("device %s belongs to no network yet", s.Network)
		}
		if err := dk.Join(join.Code{Network: n.ID, Name: n.Name}); err != nil {
			return nil, err
		}
		return map[string]string{"member": dk.Store().Device().String()}, nil
	case "endorse":
		id, err := r.member(s.Member)
		if err != nil {
			return nil, err
		}
		if err := dk.Endorse(id, s.Role, s.Name); err != nil {
			return nil, err
		}
		return map[string]string{"member": id}, nil
	case "carry":
		to, err := r.desk(s.To)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		h, err := dk.ExportBundle(&buf, to.VersionVector())
		if err != nil {
			return nil, fmt.Errorf("export for %s: %w", s.To, err)
		}
		res, err := to.ImportBundle(&buf, nil)
		if err != nil {
			return nil, fmt.Errorf("import on %s: %w", s.To, err)
		}
		if refused := desk.Refused(res); len(refused) > 0 {
			return nil, fmt.Errorf("%s refused changes from %s: %v", s.To, s.On, refused)
		}
		return map[string]int{"changes": int(h.Count), "applied": res.Applied}, nil
	case "export":
		h, err := dk.ExportBundleFile(s.File, nil)
		if err != nil {
			return nil, err
		}
		return map[string]int{"changes": int(h.Count)}, nil
	case "import":
		f, err := os.Open(s.File)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		res, err := dk.ImportBundle(f, nil)
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", s.File, err)
		}
		return map[string]any{"changes": int(res.Header.Count), "applied": res.Applied, "refused": desk.Refused(res)}, nil
	case "record":
		if s.Demand == nil {
			return nil, errors.New(`record needs "demand"`)
		}
		d, err := dk.RecordDemand(*s.Demand)
		if err != nil {
			return nil, err
		}
		return r.demand(dk, d.ID)
	case "act":
		if s.Input == nil {
			return nil, errors.New(`act needs "input"`)
		}
		in := *s.Input
		if in.ID, err = demandID(dk, in.ID); err != nil {
			return nil, err
		}
		if in.To != "" {
			if in.To, err = r.member(in.To); err != nil {
				return nil, err
			}
		}
		if s.Pending {
			dd, err := dk.Demand(in.ID)
			if err != nil {
				return nil, err
			}
			for _, dv := range dd.Demand.Deliveries {
				if dv.State == relief.DeliveryPending {
					in.Ref = dv.Ref
					break
				}
			}
			if in.Ref == "" {
				return nil, fmt.Errorf("%s has no pending delivery", dd.Demand.Code)
			}
		}
		if _, err := dk.Act(in); err != nil {
			return nil, err
		}
		return r.demand(dk, in.ID)
	case "demand":
		id, err := demandID(dk, s.ID)
		if err != nil {
			return nil, err
		}
		return r.demand(dk, id)
	case "profile":
		if s.Profile == nil {
			return nil, errors.New(`profile needs "profile"`)
		}
		v, err := dk.SaveProfile(*s.Profile)
		if err != nil {
			return nil, err
		}
		return map[string]string{"id": v.Volunteer.ID}, nil
	case "rawset":
		id := s.ID
		if _, ok := r.dirs[id]; ok && s.Kind == relief.KindVolunteer {
			other, err := r.desk(id)
			if err != nil {
				return nil, err
			}
			id = other.Store().MyVolunteerID()
		}
		if s.Kind == relief.KindDemand {
			var err error
			if id, err = demandID(dk, id); err != nil {
				return nil, err
			}
		}
		if err := dk.WriteFieldUnchecked(s.Kind, id, s.Field, s.Value); err != nil {
			return nil, err
		}
		return map[string]string{"id": id}, nil
	case "inbox":
		ps, err := dk.Inbox()
		if err != nil {
			return nil, err
		}
		out := make([]map[string]any, 0, len(ps))
		for _, p := range ps {
			e := map[string]any{"what": p.What, "code": p.Code, "demandId": p.DemandID, "title": p.Title, "ref": p.Ref,
				"to": idOrEmpty(p.To), "by": idOrEmpty(p.By)}
			if p.Notice != nil {
				e["resolve"] = p.Notice.Resolve
			}
			out = append(out, e)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown step %q", s.Do)
}

// demandID returns the id of the demand s names on dk: its id, or its
// exact title (the tests know demands by title before they have ids).
func demandID(dk *desk.Desk, s string) (string, error) {
	if _, err := dk.Demand(s); err == nil {
		return s, nil
	}
	page, _, err := dk.Demands(desk.DemandQuery{Text: s, Limit: desk.MaxPage})
	if err != nil {
		return "", err
	}
	for _, d := range page {
		if d.Title == s {
			return d.ID, nil
		}
	}
	return "", fmt.Errorf("no demand with the id or title %q", s)
}

// demand returns what the tests check of demand id, as dk's member sees it.
func (r *runner) demand(dk *desk.Desk, id string) (any, error) {
	dd, err := dk.Demand(id)
	if err != nil {
		return nil, err
	}
	d := dd.Demand
	received := map[string]float64{}
	for _, it := range d.Items {
		received[it.Name] = it.Received
	}
	deliveries := make([]map[string]any, 0, len(d.Deliveries))
	for _, dv := range d.Deliveries {
		deliveries = append(deliveries, map[string]any{"by": dv.By.String(), "state": dv.State, "items": dv.Items})
	}
	open := 0
	for _, c := range d.Conflicts {
		if c.AckedBy.IsZero() {
			open++
		}
	}
	var transfer any
	if d.Transfer != nil {
		transfer = map[string]string{"by": d.Transfer.By.String(), "reason": d.Transfer.Reason}
	}
	return map[string]any{"id": d.ID, "code": d.Code, "title": d.Title, "status": d.Status,
		"owner": idOrEmpty(d.Owner), "ownerName": dd.Names[d.Owner], "received": received,
		"deliveries": deliveries, "transfer": transfer, "conflicts": open}, nil
}

// idOrEmpty is the text of a member id, "" for none.
func idOrEmpty(id ledger.DeviceID) string {
	if id.IsZero() {
		return ""
	}
	return id.String()
}
