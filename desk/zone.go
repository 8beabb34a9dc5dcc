package desk

import (
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
)

// zoneNames name relief.IncidentZone in each language, as the bulletins do.
var zoneNames = map[string]string{"zh-CN": "北京时间", "en": "UTC+8"}

// IncidentTime returns t as a person reads it, to the minute, in the
// incident's zone (relief.IncidentZone) followed by the zone's name in lang
// ("zh-CN": "2026-12-07 10:56 北京时间"; any other language:
// "2026-12-07 10:56 UTC+8"). The machine's own zone plays no part. A zero
// t gives "".
func IncidentTime(t time.Time, lang string) string {
	if t.IsZero() {
		return ""
	}
	name, ok := zoneNames[lang]
	if !ok {
		name = zoneNames["en"]
	}
	return t.In(relief.IncidentZone).Format("2006-01-02 15:04") + " " + name
}
