// Package bulletin writes the public bulletin: demands reduced to their public
// fields (relief.Project with the zero Member), as CSV, HXL-tagged CSV, JSON,
// XLSX or a plain-text summary to paste into a chat group (Chinese or
// English).
//
// A bulletin is public unless the caller asks, explicitly, for the team or
// the restricted level and names a viewer cleared for it (see Options): team
// adds the address, restricted adds the contacts too.
//
// Besides the level rules, the bulletin leaves out free text (descriptions)
// and masks anything that looks like a mobile number in the text it keeps
// (titles and organisation names as typed by hand can hold one), so that a
// bulletin never carries a phone number even when someone typed it in the
// wrong field.
package bulletin

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// Line is one demand of the bulletin: public fields, and Address and
// Contacts when the bulletin's level shows them.
type Line struct {
	Code         string `json:"code"`
	Title        string `json:"title"`
	RequesterOrg string `json:"requester_org"`
	District     string `json:"district"`
	Category     string `json:"category"`
	Status       string `json:"status"`
	Urgency      string `json:"urgency"`
	Items        []Item `json:"items"`
	Updated      string `json:"updated"`        // RFC 3339, UTC
	Confirmed    string `json:"last_confirmed"` // RFC 3339, UTC: when the need was last confirmed (relief.Demand.Confirmed); "" never
	// Verified is how the demand was verified before its approval
	// (relief.Demand.Verified: callback, notice, visit, partner; "reason"
	// for a written reason without evidence); "" never approved. No names.
	Verified string `json:"verified"`
	// VerifiedAt is when: the call-back's or visit's time, else the
	// approval's; RFC 3339, UTC; "" never approved.
	VerifiedAt string    `json:"verified_at"`
	Address    string    `json:"address,omitempty"`  // team and restricted bulletins
	Contacts   []Contact `json:"contacts,omitempty"` // restricted bulletins only
	// Notes are the demand's description (说明/备注), team and restricted
	// bulletins only; phone numbers in them are masked below restricted,
	// as Scrub does.
	Notes string `json:"notes,omitempty"`
	// Sealed says, in restricted bulletins, that the demand's contacts are
	// sealed and the exporting device could not open them (Contacts then
	// holds none): a table cell says so, never an empty cell.
	Sealed bool `json:"sealed,omitempty"`
	// Source are the cells of the imported row no field holds, as written
	// (team and restricted bulletins; phone numbers in them are masked
	// below restricted, as Scrub does).
	Source []SourceField `json:"source,omitempty"`
	// DuplicateOf is, in team and restricted bulletins, the code of the
	// earlier demand this one is flagged a probable duplicate of
	// (Options.Duplicates); "" when it is not flagged.
	DuplicateOf string `json:"duplicate_of,omitempty"`
	// Labels are the display labels of Status, Category and Urgency in the
	// bulletin's language (Options.Lang), in JSON bulletins only; the codes
	// stay as they are, for programs.
	Labels *LineLabels `json:"labels,omitempty"`
}

// SourceField is one cell of an imported row kept as written: its column
// and its text. Team and restricted bulletins only.
type SourceField struct {
	Column string `json:"column"`
	Value  string `json:"value"`
}

// Contact is a person to call, in restricted bulletins only.
type Contact struct {
	Name  string `json:"name,omitempty"`
	Role  string `json:"role,omitempty"`
	Phone string `json:"phone,omitempty"`
	// Kind is relief.Contact's: "" for a phone number, relief.ContactWeChat,
	// relief.ContactQQ, relief.ContactEmail or relief.ContactIDCard when Phone
	// holds such an id.
	Kind string `json:"kind,omitempty"`
}

// Item is one supply line of a bulletin Line. Needed is nil when the demand
// says "needed" without a quantity.
type Item struct {
	Name     string   `json:"name"`
	Spec     string   `json:"spec,omitempty"`
	Unit     string   `json:"unit,omitempty"`
	Needed   *float64 `json:"needed"`
	Received float64  `json:"received"`
	// UnitLabel is Unit in the bulletin's language when it differs (a unit
	// code such as "piece" is 个 in Chinese), in JSON bulletins only.
	UnitLabel string `json:"unit_label,omitempty"`
}

// Lines projects demands for an anonymous viewer and returns their bulletin
// lines, in the order given.
func Lines(demands []relief.Demand) []Line {
	out, _ := LinesAt(demands, relief.LevelPublic, relief.Member{})
	return out
}

// ErrNotCleared is returned when a bulletin above the public level is asked
// for by a viewer not cleared for it.
var ErrNotCleared = errors.New("not cleared for this level")

// teamViewer sees team fields of every demand and restricted fields of none:
// an active observer whose key (all ones, not a valid device key) owns
// nothing.
var teamViewer = relief.Member{Key: ledger.DeviceID(bytes.Repeat([]byte{0xff}, 32)), Role: relief.RoleObserver}

// LinesAt returns the bulletin lines of demands at level, in the order given.
// Public needs no viewer. Team needs viewer to be an active member, and shows
// no restricted field even to a coordinator. Restricted needs viewer to see
// the restricted fields of every demand (relief.Clearance: a coordinator or a
// reviewer, or the owner of each). Otherwise the error wraps ErrNotCleared and
// names the first demand the viewer may not see at level.
func LinesAt(demands []relief.Demand, level relief.Level, viewer relief.Member) ([]Line, error) {
	as, err := viewerAt(demands, level, viewer)
	if err != nil {
		return nil, err
	}
	return linesAs(demands, level, as), nil
}

// viewerAt checks that viewer may see every demand at level (see LinesAt) and
// returns the member the demands are projected for at level.
func viewerAt(demands []relief.Demand, level relief.Level, viewer relief.Member) (relief.Member, error) {
	as := relief.Member{}
	switch level {
	case relief.LevelPublic:
		return as, nil
	case relief.LevelTeam:
		as = teamViewer
	case relief.LevelRestricted:
		as = viewer
	default:
		return as, fmt.Errorf("bulletin level %d: want public, team or restricted", level)
	}
	for _, d := range demands {
		if c := relief.Clearance(d, viewer); c < level {
			return as, fmt.Errorf("%s bulletin of %s: %w", level, d.Code, ErrNotCleared)
		}
	}
	return as, nil
}

// parallelMin is the number of demands below which linesOf does not share
// the work between goroutines.
const parallelMin = 512

// linesOf returns the bulletin lines of demands at level, projected for as
// (cleared already), in the order given. Large lists are shared between
// GOMAXPROCS goroutines, each with its own memo of scrubbed texts (names of
// supplies, units and districts repeat from one demand to the next); it
// returns once they are all done.
func linesOf(demands []relief.Demand, level relief.Level, as relief.Member, dups map[string]string) []Line {
	out := linesAs(demands, level, as)
	if level >= relief.LevelTeam && len(dups) > 0 {
		for i, d := range demands {
			out[i].DuplicateOf = dups[d.ID]
		}
	}
	return out
}

// linesAs is linesOf without the duplicate flags.
func linesAs(demands []relief.Demand, level relief.Level, as relief.Member) []Line {
	out := make([]Line, len(demands))
	workers := min(runtime.GOMAXPROCS(0), len(demands)/parallelMin)
	if workers <= 1 {
		sc := scrubber{}
		for i, d := range demands {
			out[i] = sc.line(d, level, as)
		}
		return out
	}
	var wg sync.WaitGroup
	per := (len(demands) + workers - 1) / workers
	for lo := 0; lo < len(demands); lo += per {
		hi := min(lo+per, len(demands))
		wg.Go(func() {
			sc := scrubber{}
			for i := lo; i < hi; i++ {
				out[i] = sc.line(demands[i], level, as)
			}
		})
	}
	wg.Wait()
	return out
}

// scrubber is Scrub with a memo of the texts it scrubbed (Scrub is a pure
// function of its text). Not safe for concurrent use.
type scrubber map[string]string

// maxMemo bounds a scrubber's memo; texts beyond it are scrubbed each time.
const maxMemo = 1 << 16

func (sc scrubber) scrub(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := sc[s]; ok {
		return v
	}
	v := Scrub(s)
	if len(sc) < maxMemo {
		sc[s] = v
	}
	return v
}

// line returns the bulletin line of d at level, projected for as.
func (sc scrubber) line(d relief.Demand, level relief.Level, as relief.Member) Line {
	p, _ := relief.Project(d, as)
	l := Line{Code: p.Code, Title: sc.scrub(p.Title), RequesterOrg: sc.scrub(p.RequesterOrg), District: sc.scrub(p.District),
		Category: p.Category, Status: string(p.Status), Urgency: string(p.Urgency)}
	if l.Urgency == "" {
		l.Urgency = string(relief.UrgencyNormal)
	}
	if t := p.UpdatedAt.Time(); !t.IsZero() {
		l.Updated = t.UTC().Format(time.RFC3339)
	}
	if p.Confirmed.Wall != 0 {
		l.Confirmed = p.Confirmed.Time().UTC().Format(time.RFC3339)
	}
	if v := p.Verified; v != nil {
		l.Verified, l.VerifiedAt = string(v.How), v.Approved.Time().UTC().Format(time.RFC3339)
		if l.Verified == "" {
			l.Verified = "reason"
		}
		if !v.Checked.IsZero() {
			l.VerifiedAt = v.Checked.UTC().Format(time.RFC3339)
		}
	}
	for _, it := range p.Items {
		item := Item{Name: sc.scrub(it.Name), Spec: sc.scrub(it.Spec), Unit: sc.scrub(it.Unit), Needed: it.Needed, Received: it.Received}
		if level < relief.LevelRestricted { // a phone read as a quantity is a phone
			if item.Needed != nil && mobileQuantity(*item.Needed) {
				item.Needed = nil // needed, amount unknown
			}
			if mobileQuantity(item.Received) {
				item.Received = 0
			}
		}
		l.Items = append(l.Items, item)
	}
	if level >= relief.LevelTeam {
		l.Address = sc.scrub(p.Address) // a phone typed into the address is still restricted
		l.Notes = p.Description
		if level < relief.LevelRestricted {
			l.Notes = Scrub(p.Description) // free text: a phone typed in it is still restricted
		}
		for _, f := range p.SourceFields {
			v := f.Value
			switch {
			case level >= relief.LevelRestricted:
			case contactColumn.MatchString(f.Column):
				v = Masked // a contact's column kept as written (imports by earlier versions): restricted whole
			default:
				v = sc.scrub(v) // "其他信息": a phone kept as written is still restricted
			}
			l.Source = append(l.Source, SourceField{Column: f.Column, Value: v})
		}
	}
	if level >= relief.LevelRestricted {
		for _, c := range p.Contacts {
			l.Contacts = append(l.Contacts, Contact{Name: c.Name, Role: c.Role, Phone: c.Phone, Kind: c.Kind})
		}
		l.Sealed = len(l.Contacts) == 0 && slices.Contains(p.Sealed, relief.FieldContacts)
	}
	return l
}

// Header is the bulletin's table header, and HXL its hashtag row.
var (
	Header = []string{"code", "title", "organisation", "district", "category", "status", "urgency", "item", "spec", "unit", "needed", "received", "updated", "last_confirmed", "verified", "verified_at"}
	HXL    = []string{"#meta+code", "#description+title", "#org", "#adm3", "#sector", "#status", "#severity", "#item+name", "#item+spec", "#item+unit", "#item+needed", "#item+received", "#date+updated", "#date+confirmed", "#meta+verified", "#date+verified"}
)

// Columns a table bulletin adds at the team level (the address) and at the
// restricted level (the contacts), with their hashtags.
var (
	TeamHeader       = []string{"address", "source_fields", "duplicate_of", "notes"}
	TeamHXL          = []string{"#loc+address", "#meta+source", "#meta+duplicate_of", "#description+notes"}
	RestrictedHeader = []string{"contact_name", "contact_phone"}
	RestrictedHXL    = []string{"#contact+name", "#contact+phone"}
)

// HXLHeader is the header of the "hxl" format, for tools of the HXL
// ecosystem: the province and city (#adm1, #adm2, read from the address,
// so empty in public bulletins) before the district.
var (
	HXLHeader = []string{"code", "title", "organisation", "province", "city", "district", "category", "status", "urgency", "item", "spec", "unit", "needed", "received", "updated", "last_confirmed", "verified", "verified_at"}
	HXLTags   = []string{"#meta+code", "#description+title", "#org", "#adm1+name", "#adm2+name", "#adm3+name", "#sector", "#status", "#severity", "#item+name", "#item+spec", "#item+unit", "#item+needed", "#item+received", "#date+updated", "#date+confirmed", "#meta+verified", "#date+verified"}
)

// Rows flattens lines to table rows, one per item (a demand without items
// has one row with empty item cells). needed is "" when unknown. Lines
// that carry an address or contacts (team and restricted bulletins) get
// those columns too, after the public ones: see RowsAt.
func Rows(lines []Line) [][]string { return RowsAt(lines, relief.LevelPublic) }

// RowsAt is Rows with the columns of level: TeamHeader, then
// RestrictedHeader, after the public ones.
func RowsAt(lines []Line, level relief.Level) [][]string {
	return rows(lines, level, false, labels["en"])
}

// NoValue is what a line of a contact cell holds for a contact without a
// name, or without a number, so that the lines of the name and the phone
// cells stay side by side (see ContactCells).
const NoValue = "—"

// ContactCells returns the contact name and contact phone cells of a table
// bulletin for contacts, in the words of lb: one line per contact in each
// cell, the n-th line of the one beside the n-th of the other, NoValue for
// an empty value. A name line is "role：name" when the contact has a role;
// a phone line is the number in E.164 with its extension after " 转 " (zh)
// or " ext. " (en), or "微信：id" / "WeChat: id", "QQ：id" / "QQ: id" and
// "邮箱：address" / "Email: address" for the ids of those kinds. Newlines cannot occur in a name or a number,
// so the cells read back exactly (importer reads them so).
func ContactCells(contacts []Contact, lb Labels) (names, phones string) {
	ns := make([]string, len(contacts))
	ps := make([]string, len(contacts))
	for i, c := range contacts {
		ns[i] = c.Name
		if c.Role != "" {
			ns[i] = c.Role + lb.Sheet["colon"] + c.Name
		}
		if strings.TrimSpace(ns[i]) == "" {
			ns[i] = NoValue
		}
		switch {
		case c.Phone == "":
			ps[i] = NoValue
		case c.Kind == relief.ContactWeChat:
			ps[i] = lb.Sheet["wechat"] + lb.Sheet["colon"] + c.Phone
		case c.Kind == relief.ContactQQ:
			ps[i] = lb.Sheet["qq"] + lb.Sheet["colon"] + c.Phone
		case c.Kind == relief.ContactEmail:
			ps[i] = lb.Sheet["email"] + lb.Sheet["colon"] + c.Phone
		case c.Kind == relief.ContactIDCard:
			ps[i] = lb.Sheet["id_card"] + lb.Sheet["colon"] + c.Phone
		default:
			ps[i] = strings.Replace(c.Phone, ";ext=", " "+lb.Sheet["ext"]+" ", 1)
		}
	}
	return strings.Join(ns, "\n"), strings.Join(ps, "\n")
}

// csvHead starts a csv (with a byte order mark, for spreadsheets) or hxl
// bulletin of level in w: its header row in the words of lb, then the HXL
// hashtag row.
func csvHead(w io.Writer, lb Labels, level relief.Level, hxl bool) (*csv.Writer, error) {
	header := lb.header(append(append([]string{}, Header...), levelColumns(level, false)...))
	tags := append(append([]string{}, HXL...), levelColumns(level, true)...)
	if !hxl {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return nil, err
		}
	} else {
		header = append(append([]string{}, HXLHeader...), levelColumns(level, false)...)
		tags = append(append([]string{}, HXLTags...), levelColumns(level, true)...)
	}
	cw := csv.NewWriter(w)
	cw.Write(header)
	cw.Write(tags)
	return cw, nil
}

// csvRows writes the rows of demands (projected for as, with their
// duplicate flags dups) to cw, csvChunk demands at a time so that a large
// bulletin's lines and rows are never all in memory together.
func csvRows(cw *csv.Writer, demands []relief.Demand, level relief.Level, as relief.Member, dups map[string]string, hxl bool, lb Labels) error {
	for lo := 0; lo < len(demands); lo += csvChunk {
		rs := rows(linesOf(demands[lo:min(lo+csvChunk, len(demands))], level, as, dups), level, hxl, lb)
		if !hxl {
			rs = lb.translate(rs)
		}
		for _, r := range rs {
			if err := cw.Write(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// rows flattens lines as RowsAt does, in the words of lb (the text of a
// contact cell whose value is sealed, Line.Sealed; the words of the
// contact cells, ContactCells).
func rows(lines []Line, level relief.Level, hxl bool, lb Labels) [][]string {
	sealed := lb.Sheet["sealed"]
	var out [][]string
	for _, l := range lines {
		base := []string{l.Code, l.Title, l.RequesterOrg, l.District, l.Category, l.Status, l.Urgency}
		if hxl {
			adm1, adm2 := "", ""
			if level >= relief.LevelTeam {
				adm1, adm2 = adminOf(l.Address)
			}
			base = []string{l.Code, l.Title, l.RequesterOrg, adm1, adm2, l.District, l.Category, l.Status, l.Urgency}
		}
		var extra []string
		if level >= relief.LevelTeam {
			extra = append(extra, l.Address, sourceText(l.Source), l.DuplicateOf, l.Notes)
		}
		if level >= relief.LevelRestricted {
			names, phones := ContactCells(l.Contacts, lb)
			if l.Sealed {
				names, phones = sealed, sealed
			}
			extra = append(extra, names, phones)
		}
		items := l.Items
		if len(items) == 0 {
			items = []Item{{}}
		}
		for _, it := range items {
			needed := ""
			if it.Needed != nil {
				needed = strconv.FormatFloat(*it.Needed, 'f', -1, 64)
			}
			received := ""
			if it.Name != "" {
				received = strconv.FormatFloat(it.Received, 'f', -1, 64)
			}
			row := append(append([]string{}, base...), it.Name, it.Spec, it.Unit, needed, received, l.Updated, l.Confirmed, l.Verified, l.VerifiedAt)
			out = append(out, append(row, extra...))
		}
	}
	return out
}

// csvChunk is how many demands WriteWith turns into CSV rows at a time.
const csvChunk = 4096

// Formats are the bulletin formats, in the order the UI offers them.
var Formats = []string{"csv", "xlsx", "hxl", "json", "text"}

// Options say how a bulletin is written and what it holds.
type Options struct {
	// Format is one of Formats.
	Format string
	// Level is relief.LevelPublic (the zero value) unless a coordinator asks
	// for a team or restricted bulletin explicitly; Viewer must then be
	// cleared for it (see LinesAt).
	Level  relief.Level
	Viewer relief.Member
	// Lang is the language of the bulletin, one of Langs: "zh-CN" (the
	// default, also "") or "en". The "text" format is written in it; "csv"
	// and "xlsx" have their headers and their status, category, urgency and
	// unit cells in it (the HXL hashtag row under the header stays, so
	// programs read the columns whatever the language); "json" keeps its
	// English keys and codes and adds the display labels in it (Line.Labels,
	// Item.UnitLabel); "hxl", for HXL tools, is in codes in any language.
	Lang string
	// Duplicates flag demands as probable duplicates: demand id → the code
	// of its original. Team and restricted bulletins carry them (Line's
	// DuplicateOf, the duplicate_of column); public ones never.
	Duplicates map[string]string
	// About fills the XLSX workbook's metadata sheet (who exported what,
	// when); the other formats do not use it.
	About About
}

// About is what the metadata sheet of an XLSX bulletin says: when it was
// exported, from which network, by which member, at which level, and how
// many demands were left out as unpublished. Zero fields are left out.
type About struct {
	Exported    time.Time // shown in China Standard Time (UTC+8), named
	Network     string    // the network's (incident's) name
	NetworkID   string    // relief.NetworkID of the network
	Member      string    // the exporting member's name
	MemberID    string    // the exporting member's id (ledger.DeviceID.String)
	Unpublished int       // demands left out because they are not published yet
	Signature   string    // the name of the signature file written beside the bulletin; "" none
	// Sealed is how many demands of a restricted bulletin have contacts
	// sealed that the exporting device cannot open (Line.Sealed); WriteWith
	// counts them for the workbook's notes sheet.
	Sealed int
}

// Write writes the public bulletin of demands to w in format (see
// WriteWith).
func Write(w io.Writer, format string, demands []relief.Demand) error {
	return WriteWith(w, demands, Options{Format: format})
}

// WriteWith writes the bulletin of demands to w as o says: "csv" (UTF-8 with a
// BOM, so that Excel and WPS open it, HXL hashtag row under the header),
// "hxl" (UTF-8 CSV for HXL tools: the header, the hashtag row of HXLTags, and
// #adm1/#adm2 from the address at team level and above), "json" (an array of
// Line), "xlsx" (the csv layout in a workbook) or "text" (a summary to paste
// into a chat group, in o.Lang). An unknown format or level is an error, and
// so is a level the viewer is not cleared for (ErrNotCleared); nothing is
// written then.
func WriteWith(w io.Writer, demands []relief.Demand, o Options) error {
	format := strings.ToLower(o.Format)
	if !slices.Contains(Formats, format) {
		return fmt.Errorf("bulletin format %q: want csv, xlsx, hxl, json or text", o.Format)
	}
	lang, lb, err := optionLabels(o)
	if err != nil {
		return err
	}
	as, err := viewerAt(demands, o.Level, o.Viewer)
	if err != nil {
		return err
	}
	header := lb.header(append(append([]string{}, Header...), levelColumns(o.Level, false)...))
	tags := append(append([]string{}, HXL...), levelColumns(o.Level, true)...)
	if format == "csv" || format == "hxl" {
		// written a chunk of demands at a time, so that the lines and rows
		// of a large bulletin are never all in memory together
		hxl := format == "hxl"
		cw, err := csvHead(w, lb, o.Level, hxl)
		if err != nil {
			return err
		}
		if err := csvRows(cw, demands, o.Level, as, o.Duplicates, hxl, lb); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	}
	lines := linesOf(demands, o.Level, as, o.Duplicates)
	switch format {
	case "json":
		jsonLabels(lines, lb)
		if lines == nil {
			lines = []Line{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(lines)
	case "xlsx":
		for _, l := range lines {
			if l.Sealed {
				o.About.Sealed++
			}
		}
		return writeXLSX(w, header, tags, lb.translate(rows(lines, o.Level, false, lb)), lang, o, len(lines))
	}
	return writeText(w, lines, lang)
}

// sourceText writes a line's source fields in one cell, "column: value"
// each, separated by newlines.
func sourceText(fs []SourceField) string {
	parts := make([]string, 0, len(fs))
	for _, f := range fs {
		parts = append(parts, f.Column+": "+f.Value)
	}
	return strings.Join(parts, "\n")
}

func levelColumns(level relief.Level, tags bool) []string {
	var out []string
	if level >= relief.LevelTeam {
		out = append(out, pick(tags, TeamHXL, TeamHeader)...)
	}
	if level >= relief.LevelRestricted {
		out = append(out, pick(tags, RestrictedHXL, RestrictedHeader)...)
	}
	return out
}

func pick(b bool, a, c []string) []string {
	if b {
		return a
	}
	return c
}

var adminRE = regexp.MustCompile(`^(\p{Han}{2,7}?(?:省|自治区))?(\p{Han}{2,5}?市)?`)

// adminOf reads the province and the city an address starts with
// ("湖北省武汉市…" → 湖北省, 武汉市); a city that is its own province
// ("北京市…") is both.
func adminOf(addr string) (province, city string) {
	m := adminRE.FindStringSubmatch(strings.TrimSpace(addr))
	if m == nil {
		return "", ""
	}
	province, city = m[1], m[2]
	if province == "" && slices.Contains([]string{"北京市", "上海市", "天津市", "重庆市"}, city) {
		province = city
	}
	return province, city
}

// FormatFor returns the format named by a file name's extension (".csv",
// ".hxl", ".json", ".xlsx", ".txt"), "" if none. A file ending ".hxl.csv"
// is hxl.
func FormatFor(name string) string {
	switch n := strings.ToLower(name); {
	case strings.HasSuffix(n, ".hxl.csv"), strings.HasSuffix(n, ".hxl"):
		return "hxl"
	case strings.HasSuffix(n, ".txt"):
		return "text"
	case strings.HasSuffix(strings.ToLower(name), ".csv"):
		return "csv"
	case strings.HasSuffix(strings.ToLower(name), ".json"):
		return "json"
	case strings.HasSuffix(strings.ToLower(name), ".xlsx"):
		return "xlsx"
	}
	return ""
}

// optionLabels returns the language of o (Langs[0] when unset) and its
// words; an error names a language the bulletins are not written in.
func optionLabels(o Options) (string, Labels, error) {
	lang := o.Lang
	if lang == "" {
		lang = Langs[0]
	}
	lb, ok := LabelsOf(lang)
	if !ok {
		return "", Labels{}, fmt.Errorf("bulletin language %q: want zh-CN or en", o.Lang)
	}
	return lang, lb, nil
}
