package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/reliefmesh/reliefmesh/relief"
)

// contentKey is the key of a row without an organisation (residents, a
// village): what it says, never where it stands in the file, so that another
// sheet of the same layout never takes an unrelated row's demand. It is built
// from the address and the contacts' phones (names where there is no phone),
// which a row keeps when its supplies change, so that a changed row updates
// its own demand; from the supplies' names when the row has neither; and
// from every cell when it has none of these. It is "" for a row with nothing.
// When a phone or an identity card number was sealed out of the address,
// the address as written and the contacts without those sealed from it
// make the key, as they did before sealing (so that a file imported before
// finds its demands again, and rows whose addresses differ only in the
// number stay apart); the key is a hash and names none of them.
func contentKey(rec *Record, cells []string) string {
	address, contacts := rec.Address, rec.Contacts
	if rec.plainAddress != "" {
		address, contacts = rec.plainAddress, rec.plainContacts
	}
	var parts []string
	if a := addrKey(address); a != "" {
		parts = append(parts, "a="+a)
	}
	var who []string
	for _, c := range contacts {
		switch {
		case c.Phone != "":
			who = append(who, "p="+c.Phone)
		case c.Name != "":
			who = append(who, "n="+relief.NormalizeName(c.Name))
		}
	}
	slices.Sort(who)
	parts = append(parts, slices.Compact(who)...)
	if len(parts) == 0 {
		var names []string
		for _, it := range rec.Items {
			names = append(names, "i="+itemKey(it))
		}
		slices.Sort(names)
		parts = slices.Compact(names)
	}
	if len(parts) == 0 {
		for _, c := range cells {
			if v := relief.NormalizeName(fold(c)); v != "" {
				parts = append(parts, "c="+v)
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return "row:" + hex.EncodeToString(h[:8])
}
