package relief

import "unicode/utf8"

// The one set of text limits, in characters (runes, not bytes: a Chinese
// character is one character and three bytes). The form (desk validation),
// the importer, the message parser and the peers' checks of a remote change
// (ValidateOp) all use these numbers, so a peer never refuses what a form or
// an importer accepted.
//
// They are generous on purpose. A signed change is never rewritten, so a peer
// must keep accepting every change older peers accepted: each limit is at
// least the number of bytes the peers' checks allowed before they counted
// characters (title 500, organisation 500, district 200, address 1,000,
// long texts 8,000, item and contact text 1,000 together), and no row of the
// 2020 Wuhan sheets comes near one (their longest: title and organisation 23
// characters, address 46, description 573, item name 15, spec 43, 23 items,
// 8 contacts of at most 21 characters each).
const (
	MaxTitle       = 500  // a demand's title
	MaxDescription = 8000 // a demand's description; also MaxText
	MaxOrg         = 500  // a demand's requester organisation, an offer's supplier, a volunteer's name and organisation
	MaxAddress     = 1000 // a demand's address
	MaxDistrict    = 200  // a demand's district, a volunteer's or an offer's region
	MaxCategory    = 200  // a demand's category as stored (the form offers Categories only), a task's skill
	MaxSource      = 500  // where a demand came from (the importer's source key)
	MaxMessage     = 5000 // a pasted chat message the parser reads (not stored)

	MaxItems    = 1000 // items of one demand or offer
	MaxItemName = 500  // an item's name
	MaxItemSpec = 400  // an item's specification ("医用", "KN95")
	MaxUnit     = 100  // an item's unit ("只", "boxes")
	// MaxItemText is what a peer checks of one item: its name, spec and unit
	// together. It is the sum of their limits, so every item the form or the
	// importer accepts passes.
	MaxItemText = MaxItemName + MaxItemSpec + MaxUnit

	MaxContacts    = 50  // contacts of one demand, offer or volunteer
	MaxContactName = 100 // a contact's name (with its role when the form joins them: "护士长 王")
	MaxPhone       = 40  // a contact's phone number as written
	MaxContactRole = 100 // a contact's role ("设备科")
	// MaxContactText is what a peer checks of one contact: name, phone and
	// role together; at least the sum of their limits.
	MaxContactText = 1000
)

// MaxText is the limit of a long text: a description, notes, review notes,
// the note of a pipeline step, in characters.
const MaxText = MaxDescription

// TooLong reports whether s has more than max characters.
func TooLong(s string, max int) bool {
	return len(s) > max && utf8.RuneCountInString(s) > max // a string of at most max bytes has at most max characters
}

// Cut returns s shortened to at most max characters, cut at a character
// boundary; s itself when it is not longer.
func Cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return s[:i]
		}
		n++
	}
	return s
}

// MaxSourceFields is the number of source fields (cells of an imported row
// kept as written) of one demand or offer; MaxSourceColumn the length of a
// column's name there. A value is at most MaxText.
const (
	MaxSourceFields = 200
	MaxSourceColumn = 200
)
