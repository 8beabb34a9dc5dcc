package desk

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// NoticeLine says what an inbox entry's notice is about, in lang ("zh-CN";
// any other is English), in the app's words (frontend/src/lib/notices.ts,
// noticeLine): both sides of a conflict — who, which action (for an edit,
// of which fields), when, why, and who won or whose value stands — and what
// became of a delivery it kept; who recorded a pending delivery, with its
// items and quantities (a pending progress: that they are a running total); who withdrew the demand, when, why, and what had
// been received. what is the entry's kind (relief.ReplyConflict,
// relief.ReplyDelivery, relief.ReplyWithdrawn); name gives a member's name
// ("" unknown: the first 8 characters of the id are shown); when writes a
// time. It returns "" for a nil notice and other entries.
func NoticeLine(what string, n *relief.Notice, lang string, name func(ledger.DeviceID) string, when func(time.Time) string) string {
	if n == nil {
		return ""
	}
	w := noticeWords["en"]
	if lang == "zh-CN" {
		w = noticeWords["zh-CN"]
	}
	l := noticeLang{w: w, name: name, when: when}
	switch {
	case what == relief.ReplyDelivery && n.Delivery != nil:
		d := n.Delivery
		key := "notice.delivery"
		if d.Action == relief.ActionProgress { // an older version's running total: counted, it never lowers the received
			key = "notice.deliveryProgress"
		}
		return l.t(key, "who", l.who(d.By), "at", l.at(d.At), "items", deliveryItems(d.Items), "reason", l.t("reason."+string(d.Reason)))
	case what == relief.ReplyConflict && n.Conflict != nil:
		s := l.conflictLine(*n.Conflict, n.Fields)
		if n.Delivery != nil {
			s += " " + l.t("notice.deliveryState."+string(n.Delivery.State), "items", deliveryItems(n.Delivery.Items))
		}
		return s
	case what == relief.ReplyWithdrawn && n.Withdrawal != nil:
		wd := n.Withdrawal
		key := "notice.withdrawn"
		if wd.Outcome == relief.OutcomeNoLongerNeeded {
			key = "notice.recheckWithdrawn" // a call-back found it no longer needed
		}
		s := l.t(key+"NoReason", "who", l.who(wd.By), "at", l.at(wd.At))
		if note := strings.TrimSpace(wd.Note); note != "" {
			s = l.t(key, "who", l.who(wd.By), "at", l.at(wd.At), "note", note)
		}
		if wd.UndoneFrom != "" {
			// an import's undo that met someone else's work: who, and what
			s = l.t("notice.withdrawnUndo", "who", l.who(wd.By), "at", l.at(wd.At), "actor", l.who(wd.ActedBy),
				"done", l.t("notice.undoneFrom."+string(wd.UndoneFrom)))
		}
		if len(wd.Received) > 0 {
			s += " " + l.t("notice.withdrawnReceived", "items", deliveryItems(wd.Received))
		}
		return s
	}
	return ""
}

type noticeLang struct {
	w    map[string]string
	name func(ledger.DeviceID) string
	when func(time.Time) string
}

// t returns the words of key with its {placeholders} filled from kv (name,
// value pairs); the key itself when there are none, as the app's i18n does.
func (l noticeLang) t(key string, kv ...string) string {
	s, ok := l.w[key]
	if !ok {
		return key
	}
	for i := 0; i+1 < len(kv); i += 2 {
		s = strings.ReplaceAll(s, "{"+kv[i]+"}", kv[i+1])
	}
	return s
}

func (l noticeLang) who(d ledger.DeviceID) string {
	if d.IsZero() {
		return ""
	}
	if n := l.name(d); n != "" {
		return n
	}
	return d.String()[:8]
}

func (l noticeLang) at(s ledger.Stamp) string { return l.when(s.Time()) }

// conflictLine is notices.ts's conflictLine.
func (l noticeLang) conflictLine(c relief.Conflict, fields []string) string {
	action := l.t("action." + string(c.Action))
	field := ""
	if c.Action == relief.ActionEdit && (len(fields) > 0 || c.Field != "") {
		if len(fields) == 0 {
			fields = []string{c.Field}
		}
		var names []string // a sealed value's field is named as its plain one, once
		for _, f := range fields {
			if f = strings.TrimPrefix(f, "sealed_"); !slices.Contains(names, f) {
				names = append(names, f)
			}
		}
		for i, f := range names {
			names[i] = l.t("editConflict.field." + f)
		}
		field = strings.Join(names, l.t("editConflict.fieldSep"))
		action = l.t("editConflict.of", "action", action, "field", field)
	}
	if c.Reason == relief.ReasonConcurrent && !c.Winner.IsZero() {
		// both edits applied; the later one is shown until someone picks
		return l.t("concurrent.line", "who", l.who(c.By), "at", l.at(c.At), "winner", l.who(c.Winner), "winnerAt", l.at(c.WinnerAt), "field", field)
	}
	if c.Reason == relief.ReasonClosed && c.Action == relief.ActionEdit && !c.Winner.IsZero() {
		// the fold keeps an edit made after the close: it is shown, not refused
		return l.t("editConflict.closed", "who", l.who(c.By), "at", l.at(c.At), "field", field, "winner", l.who(c.Winner),
			"winnerAt", l.at(c.WinnerAt), "closing", l.t("action."+string(c.WinnerAction)))
	}
	s := l.t("detail.conflictLine", "who", l.who(c.By), "action", action, "at", l.at(c.At), "reason", l.t("reason."+string(c.Reason)))
	if !c.Winner.IsZero() {
		if c.Action == relief.ActionEdit && c.WinnerAction == relief.ActionEdit {
			s += " — " + l.t("editConflict.stands", "who", l.who(c.Winner), "at", l.at(c.WinnerAt))
		} else {
			s += " — " + l.t("detail.conflictWinner", "who", l.who(c.Winner), "action", l.t("action."+string(c.WinnerAction)), "at", l.at(c.WinnerAt))
		}
	}
	return s
}

// deliveryItems writes quantities as the app does: "N95口罩 300、防护服 20".
func deliveryItems(rs []relief.Receipt) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.Item + " " + strconv.FormatFloat(r.Qty, 'f', -1, 64)
	}
	return strings.Join(parts, "、")
}
