package bulletin

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
)

// words are the few words of the text bulletin, by language.
type words struct {
	heading                                   string // with the count and the date (China Standard Time, named: readers may be elsewhere)
	needs, received, status, address, contact string
	unknown                                   string // a quantity not given
	sep, open, close                          string
	confirmed                                 string // before the date the need was last confirmed
	verified                                  string // before how and when the demand was verified
	evidence                                  map[string]string
	urgencies                                 map[string]string // statuses and categories: the UI's words, Labels
}

var textWords = map[string]words{
	"zh-CN": {
		heading: "【需求公告】共 %d 条，更新于 %s（北京时间）", needs: "需要：", received: "已收 ", status: "状态：", address: "地址：", contact: "联系人：",
		unknown: "数量不详", sep: "，", open: "（", close: "）", confirmed: "最后确认：", verified: "核实：",
		evidence:  map[string]string{"callback": "电话回访", "notice": "官方通告", "visit": "实地走访", "partner": "伙伴机构确认", "reason": "审核说明"},
		urgencies: map[string]string{"low": "不急", "normal": "", "high": "紧急", "critical": "特急"},
	},
	"en": {
		heading: "Demand bulletin: %d demands, updated %s (UTC+8)", needs: "Needs: ", received: "received ", status: "Status: ", address: "Address: ", contact: "Contact: ",
		unknown: "quantity unknown", sep: ", ", open: " (", close: ")", confirmed: "Last confirmed: ", verified: "Verified: ",
		evidence:  map[string]string{"callback": "call-back", "notice": "official notice", "visit": "on-site visit", "partner": "partner's confirmation", "reason": "reviewer's reason"},
		urgencies: map[string]string{"low": "low urgency", "normal": "", "high": "URGENT", "critical": "CRITICAL"},
	},
}

// Langs are the languages of the text bulletin; the first is the default.
var Langs = []string{"zh-CN", "en"}

// writeText writes lines as a summary to paste into a chat group: a heading
// with the count and the latest update (China time, as the relief groups
// read it), then one numbered paragraph per demand: code, organisation or
// title, district, urgency; the items with what is still needed; the status;
// the address and contacts when the lines carry them.
func writeText(w io.Writer, lines []Line, lang string) error {
	latest := ""
	for _, l := range lines {
		latest = max(latest, l.Updated)
	}
	tw, err := newTextWriter(w, lang, len(lines), latest)
	if err != nil {
		return err
	}
	for i, l := range lines {
		tw.paragraph(i, l)
	}
	return tw.bw.Flush()
}

// textWriter writes a text bulletin a paragraph at a time (writeText,
// WriteChunks).
type textWriter struct {
	bw   *bufio.Writer
	wd   words
	lb   Labels
	lang string
}

// newTextWriter checks lang and writes the heading of a text bulletin of n
// demands whose latest update is latest (a Line.Updated; "" none).
func newTextWriter(w io.Writer, lang string, n int, latest string) (*textWriter, error) {
	if lang == "" {
		lang = Langs[0]
	}
	wd, ok := textWords[lang]
	if !ok {
		return nil, fmt.Errorf("bulletin language %q: want zh-CN or en", lang)
	}
	lb, _ := LabelsOf(lang) // statuses and categories in the UI's words
	when := "-"
	if t, err := time.Parse(time.RFC3339, latest); err == nil {
		when = t.In(relief.IncidentZone).Format("2006-01-02 15:04")
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, wd.heading+"\n", n, when)
	return &textWriter{bw: bw, wd: wd, lb: lb, lang: lang}, nil
}

// paragraph writes the paragraph of l, the i-th demand (from 0).
func (tw *textWriter) paragraph(i int, l Line) {
	bw, wd, lb, lang := tw.bw, tw.wd, tw.lb, tw.lang
	name := l.RequesterOrg
	if name == "" {
		name = l.Title
	}
	head := []string{strconv.Itoa(i+1) + ". " + l.Code, name}
	var tags []string
	for _, t := range []string{l.District, lb.Categories[l.Category], wd.urgencies[l.Urgency]} {
		if t != "" {
			tags = append(tags, t)
		}
	}
	line := strings.Join(head, " ")
	if len(tags) > 0 {
		line += wd.open + strings.Join(tags, wd.sep) + wd.close
	}
	fmt.Fprintf(bw, "\n%s\n", line)
	if name != l.Title && l.Title != "" {
		fmt.Fprintf(bw, "   %s\n", l.Title)
	}
	if len(l.Items) > 0 {
		var items []string
		for _, it := range l.Items {
			items = append(items, textItem(it, wd))
		}
		fmt.Fprintf(bw, "   %s%s\n", wd.needs, strings.Join(items, wd.sep))
	}
	status := lb.Statuses[l.Status]
	if status == "" {
		status = l.Status
	}
	fmt.Fprintf(bw, "   %s%s\n", wd.status, status)
	if t, err := time.Parse(time.RFC3339, l.Confirmed); err == nil {
		fmt.Fprintf(bw, "   %s%s\n", wd.confirmed, t.In(relief.IncidentZone).Format("2006-01-02 15:04"))
	}
	if t, err := time.Parse(time.RFC3339, l.VerifiedAt); err == nil && l.Verified != "" {
		fmt.Fprintf(bw, "   %s%s %s\n", wd.verified, wd.evidence[l.Verified], t.In(relief.IncidentZone).Format("2006-01-02 15:04"))
	}
	if l.Address != "" {
		fmt.Fprintf(bw, "   %s%s\n", wd.address, l.Address)
	}
	if len(l.Contacts) > 0 {
		var cs []string
		for _, c := range l.Contacts {
			cs = append(cs, strings.TrimSpace(strings.Join([]string{c.Role, c.Name, c.Phone}, " ")))
		}
		fmt.Fprintf(bw, "   %s%s\n", wd.contact, strings.Join(cs, wd.sep))
	} else if l.Sealed {
		fmt.Fprintf(bw, "   %s%s\n", wd.contact, labels[lang].Sheet["sealed"])
	}
}

// textItem writes "N95口罩 5000 个（已收 1000）", or the name and "数量不详".
func textItem(it Item, wd words) string {
	s := it.Name
	if it.Spec != "" {
		s += " " + it.Spec
	}
	if it.Needed == nil {
		s += wd.open + wd.unknown
		if it.Received > 0 {
			s += wd.sep + wd.received + strconv.FormatFloat(it.Received, 'f', -1, 64)
		}
		return s + wd.close
	}
	s += " " + strconv.FormatFloat(*it.Needed, 'f', -1, 64)
	if it.Unit != "" {
		s += " " + it.Unit
	}
	if it.Received > 0 {
		s += wd.open + wd.received + strconv.FormatFloat(it.Received, 'f', -1, 64) + wd.close
	}
	return s
}
