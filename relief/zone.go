package relief

import "time"

// IncidentZone is the time zone an incident's times are told in: China
// time (Asia/Shanghai, UTC+8; no summer time since 1991). The bulletins
// date their lines in it (北京时间), the importer reads a time written
// without a zone as it (importer.DateZone), and the hub prints every time a
// person reads in it, whatever the zone of the machine it runs on (a hub in
// a data centre is often on UTC). Times are stored and sent in UTC; this is
// only how they are shown.
var IncidentZone = time.FixedZone("Asia/Shanghai", 8*3600)

// IncidentDay returns the midnight in IncidentZone that starts the day t
// falls on there (the day people in the incident live in; the UTC day runs
// from 08:00 to 08:00 China time). The next day starts at AddDate(0, 0, 1).
func IncidentDay(t time.Time) time.Time {
	y, m, d := t.In(IncidentZone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, IncidentZone)
}
