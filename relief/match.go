package relief

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Need is what a piece of work asks of a volunteer: the "what", "when" and
// "where" of the four uncertainties (the "who" is the roster's endorsement).
type Need struct {
	Skill    string    // skill or role needed, e.g. "driver", "医护"; "" matches anyone
	Training []string  // training the work requires, e.g. "ppe"; may be empty
	Region   string    // region or district of the work; "" if unknown
	Position *Position // exact place of the work, if known
	At       time.Time // when the work is; its Location must be the incident's local zone (Windows are local)
}

// TaskNeed returns the need of task t on demand d at time at: the task's skill,
// the demand's district and position.
func TaskNeed(t Task, d Demand, at time.Time) Need {
	return Need{Skill: t.Skill, Region: d.District, Position: d.Position, At: at}
}

// VolunteerMatch is one volunteer ranked for a need.
type VolunteerMatch struct {
	Volunteer Volunteer `json:"volunteer"`
	Score     float64   `json:"score"` // 0–100, rounded to 0.01; see MatchVolunteers
	Why       []string  `json:"why"`   // reason codes, "code" or "code=value"; see MatchVolunteers
	// Qualification is the volunteer's qualification for the need's skill
	// by courses (MatchTrained); nil when no course qualifies for it.
	Qualification *Qualification `json:"qualification,omitempty"`
}

// Scoring constants of MatchVolunteers and MatchOffers.
const (
	HalfScoreDistance = 5000.0 // metres at which the nearness score halves
	AvailabilitySoon  = 120    // minutes ahead within which a coming window earns part of the availability score
	ValidityHorizon   = 72     // hours of validity left at which an offer's validity score is full
)

// Reason codes of VolunteerMatch.Why and OfferMatch.Why. A code is followed by
// "=value" where noted.
const (
	WhySkill               = "skill"                // =skill: has the skill
	WhySkillFromTraining   = "skill_from_training"  // =skill: trained in it, not listed as a skill
	WhyNoSkill             = "no_skill"             // =skill: lacks it
	WhyAnySkill            = "any_skill"            // no skill needed
	WhyTraining            = "training"             // =training: has the required training
	WhyNoTraining          = "no_training"          // =training: lacks it
	WhyAvailable           = "available"            // =sun..sat HH:MM-HH:MM: the window covering Need.At
	WhyAvailableIn         = "available_in_min"     // =minutes until the next window (within a week)
	WhyUnavailable         = "unavailable"          // no window starts within a week (malformed windows)
	WhyAvailabilityUnknown = "availability_unknown" // no windows set
	WhyDistance            = "distance_m"           // =metres, both positions known (haversine)
	WhySameRegion          = "same_region"          // =region
	WhyOtherRegion         = "other_region"         // =the volunteer's or offer's region
	WhyLocationUnknown     = "location_unknown"     // no position pair and no region pair to compare
	WhyLoad                = "load"                 // =tasks accepted and not done
	WhyItem                = "item"                 // =item key: an open demand line the offer has
	WhyMissing             = "missing"              // =item key: an open demand line the offer lacks
	WhyCovers              = "covers"               // =item key:fraction of the remaining quantity offered
	WhyQtyUnknown          = "qty_unknown"          // =item key: a quantity is unknown on either side
	WhyOpenEnded           = "open_ended"           // the offer has no end date
	WhyValidHours          = "valid_hours"          // =whole hours of validity left
)

// MatchVolunteers ranks vols for need and returns the best limit of them (all if
// limit ≤ 0), highest score first, ties by volunteer id. tasks give each
// volunteer's load: the tasks offered to their member key (Volunteer.Key) that
// they accepted and that are not done.
//
// The score, 0–100, is
//
//	40·skill + 25·available + 20·near + 15·free
//
// with each part in [0, 1]:
//
//   - skill: 1 if need.Skill is empty or among the volunteer's Skills, 0.6 if only
//     among their Training, else 0; when need.Training is not empty,
//     skill = 0.7·skill + 0.3·(share of need.Training found in Training or
//     Skills). Names compare after NormalizeName.
//   - available: 1 if need.At (weekday and minute of day in its Location) falls in
//     one of the volunteer's Windows; 0.5 if they set no windows (unknown);
//     0.5·(1 − m/AvailabilitySoon) if a window starts m < AvailabilitySoon
//     minutes later; else 0.
//   - near: with both positions, 1/(1 + d/HalfScoreDistance), d the haversine
//     distance in metres; else with both regions, 0.5 if they are the same
//     (NormalizeName, or one containing the other) and 0 if not; else 0.25.
//   - free: 1/(1 + load).
//
// Why explains each part with the Why* codes, in the order skill, training,
// availability, location, load, e.g. ["skill=driver", "available=mon
// 09:00-17:00", "distance_m=1200", "load=1"].
func MatchVolunteers(need Need, vols []Volunteer, tasks []Task, limit int) []VolunteerMatch {
	load := make(map[ledger.DeviceID]int)
	for _, t := range tasks {
		if t.Status == StatusAccepted && !t.OfferedTo.IsZero() {
			load[t.OfferedTo]++
		}
	}
	nn := normNeed{Need: need, skill: NormalizeName(need.Skill), region: NormalizeName(need.Region)}
	for _, tr := range need.Training {
		nn.training = append(nn.training, NormalizeName(tr))
	}
	nn.day, nn.minute = need.At.Weekday(), need.At.Hour()*60+need.At.Minute()

	type scored struct {
		i     int
		score float64
	}
	all := make([]scored, len(vols))
	for i := range vols {
		all[i] = scored{i, nn.score(&vols[i], volLoad(load, &vols[i]), nil)}
	}
	slices.SortFunc(all, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(vols[a.i].ID, vols[b.i].ID)
	})
	if limit > 0 && limit < len(all) {
		all = all[:limit]
	}
	out := make([]VolunteerMatch, len(all))
	for k, s := range all {
		v := &vols[s.i]
		var why []string
		nn.score(v, volLoad(load, v), &why)
		out[k] = VolunteerMatch{Volunteer: *v, Score: s.score, Why: why}
	}
	return out
}

func volLoad(load map[ledger.DeviceID]int, v *Volunteer) int {
	if v.Key.IsZero() {
		return 0
	}
	return load[v.Key]
}

// normNeed is a Need with its names normalised once, and a cache of the
// volunteers' normalised regions (few distinct ones, many volunteers).
type normNeed struct {
	Need
	skill, region string
	training      []string
	day           time.Weekday
	minute        int
	regions       map[string]string
}

func (nn *normNeed) normRegion(r string) string {
	n, ok := nn.regions[r]
	if !ok {
		if nn.regions == nil {
			nn.regions = make(map[string]string)
		}
		n = NormalizeName(r)
		nn.regions[r] = n
	}
	return n
}

// has reports whether the normalised name want is among names.
func has(names []string, want string) bool {
	for _, n := range names {
		if n == want || normalizedEqual(n, want) {
			return true
		}
	}
	return false
}

// score computes the volunteer's score; if why is not nil it appends the reasons.
func (nn *normNeed) score(v *Volunteer, load int, why *[]string) float64 {
	add := func(code string, value ...string) {
		if why != nil {
			if len(value) > 0 {
				code += "=" + value[0]
			}
			*why = append(*why, code)
		}
	}

	// skill
	skill := 1.0
	switch {
	case nn.skill == "":
		add(WhyAnySkill)
	case has(v.Skills, nn.skill):
		add(WhySkill, nn.Skill)
	case has(v.Training, nn.skill):
		skill = 0.6
		add(WhySkillFromTraining, nn.Skill)
	default:
		skill = 0
		add(WhyNoSkill, nn.Skill)
	}
	if len(nn.training) > 0 {
		held := 0
		for i, tr := range nn.training {
			if has(v.Training, tr) || has(v.Skills, tr) {
				held++
				add(WhyTraining, nn.Training[i])
			} else {
				add(WhyNoTraining, nn.Training[i])
			}
		}
		skill = 0.7*skill + 0.3*float64(held)/float64(len(nn.training))
	}

	// available
	avail := 0.0
	if len(v.Availability) == 0 {
		avail = 0.5
		add(WhyAvailabilityUnknown)
	} else if w, in, next := nn.window(v.Availability); in {
		avail = 1
		if why != nil {
			add(WhyAvailable, fmt.Sprintf("%s %s-%s", strings.ToLower(w.Day.String()[:3]), hhmm(w.From), hhmm(w.To)))
		}
	} else {
		if next < AvailabilitySoon {
			avail = 0.5 * (1 - float64(next)/AvailabilitySoon)
		}
		switch {
		case why == nil:
		case next < 7*24*60:
			add(WhyAvailableIn, strconv.Itoa(next))
		default:
			add(WhyUnavailable)
		}
	}

	// near
	near := 0.25
	switch {
	case nn.Position != nil && v.Position != nil:
		d := Haversine(*nn.Position, *v.Position)
		near = 1 / (1 + d/HalfScoreDistance)
		if why != nil {
			add(WhyDistance, strconv.FormatInt(int64(math.Round(d)), 10))
		}
	case nn.region != "" && v.Region != "":
		if sameRegion(nn.region, nn.normRegion(v.Region)) {
			near = 0.5
			add(WhySameRegion, v.Region)
		} else {
			near = 0
			add(WhyOtherRegion, v.Region)
		}
	default:
		add(WhyLocationUnknown)
	}

	// free
	free := 1 / (1 + float64(load))
	if why != nil {
		add(WhyLoad, strconv.Itoa(load))
	}

	return round2(40*skill + 25*avail + 20*near + 15*free)
}

// window returns the window covering the need's time (in true), or else the
// minutes until the next window starts (up to a week; 7·1440 if none).
func (nn *normNeed) window(ws []Window) (covering Window, in bool, next int) {
	const week = 7 * 24 * 60
	next = week
	for _, w := range ws {
		if w.Day == nn.day && w.From <= nn.minute && nn.minute < w.To {
			return w, true, 0
		}
		delta := (int(w.Day)-int(nn.day)+7)%7*24*60 + w.From - nn.minute
		if delta <= 0 {
			delta += week
		}
		next = min(next, delta)
	}
	return Window{}, false, next
}

func hhmm(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// sameRegion reports whether two normalised regions name the same place: equal,
// or one containing the other ("武汉市江汉区" and "江汉区").
func sameRegion(a, b string) bool {
	return a != "" && b != "" && (strings.Contains(a, b) || strings.Contains(b, a))
}

// EarthRadius is the mean Earth radius used by Haversine, in metres.
const EarthRadius = 6371008.8

// Haversine returns the great-circle distance between a and b, in metres.
func Haversine(a, b Position) float64 {
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * EarthRadius * math.Asin(math.Sqrt(min(1, h)))
}

// OfferMatch is one offer ranked for a demand.
type OfferMatch struct {
	Offer Offer    `json:"offer"`
	Score float64  `json:"score"` // 0–100, rounded to 0.01; see MatchOffers
	Items []string `json:"items"` // keys of the demand's open lines the offer has (see MatchOffers)
	Why   []string `json:"why"`   // reason codes; see MatchOffers
}

// MatchOffers ranks offers for the demand d at time now, highest score first,
// ties by offer id. An offer is left out if it expired (ValidUntil not after now)
// or has none of d's open lines.
//
// A line is open while its quantity is unknown (Needed nil) or Needed exceeds
// Received. Lines match by key: the catalog item id (cat.ResolveItem) or, for
// names the catalog does not know, "name:" + NormalizeName(name), so unknown
// names match only each other. An offer's lines with the same key add up.
//
// The score, 0–100, is
//
//	50·items + 25·quantity + 15·region + 10·validity
//
// with each part in [0, 1]:
//
//   - items: the share of d's open lines the offer has;
//   - quantity: the mean, over those lines, of min(1, offered / (Needed −
//     Received)); 1 if the demand's quantity is unknown, 0.5 if only the
//     offer's is;
//   - region: 1 if the offer's Region and d's District name the same place
//     (NormalizeName, or one containing the other), 0 if not, 0.5 if either is
//     empty;
//   - validity: 1 if open-ended or at least ValidityHorizon hours are left, else
//     hours left / ValidityHorizon.
//
// Why lists item, missing, covers and qty_unknown per line (in d's line order),
// then the region and validity codes, e.g. ["item=mask_n95",
// "covers=mask_n95:0.50", "missing=coverall", "same_region=江汉区", "open_ended"].
func MatchOffers(cat *Catalog, d Demand, offers []Offer, now time.Time) []OfferMatch {
	keys := make(map[[2]string]string)
	key := func(it Item) string {
		k := [2]string{it.Name, it.Spec}
		if s, ok := keys[k]; ok {
			return s
		}
		s := "name:" + NormalizeName(it.Name)
		if cat != nil {
			if ci, ok := cat.ResolveItem(it); ok {
				s = ci.ID
			}
		}
		keys[k] = s
		return s
	}
	type line struct {
		key       string
		remaining *float64 // nil: unknown
	}
	var open []line
	seen := make(map[string]bool)
	for _, it := range d.Items {
		var rem *float64
		if it.Needed != nil {
			r := *it.Needed - it.Received
			if r <= 0 {
				continue
			}
			rem = &r
		}
		k := key(it)
		if seen[k] {
			continue
		}
		seen[k] = true
		open = append(open, line{k, rem})
	}
	if len(open) == 0 {
		return nil
	}
	district := NormalizeName(d.District)

	var out []OfferMatch
	for _, o := range offers {
		if !o.ValidUntil.IsZero() && !o.ValidUntil.After(now) {
			continue
		}
		type qty struct {
			sum     float64
			unknown bool
		}
		has := make(map[string]*qty)
		for _, it := range o.Items {
			k := key(it)
			q := has[k]
			if q == nil {
				q = &qty{}
				has[k] = q
			}
			if it.Needed == nil {
				q.unknown = true
			} else {
				q.sum += *it.Needed
			}
		}
		m := OfferMatch{Offer: o}
		var matched int
		var cover float64
		for _, l := range open {
			q := has[l.key]
			if q == nil {
				m.Why = append(m.Why, WhyMissing+"="+l.key)
				continue
			}
			matched++
			m.Items = append(m.Items, l.key)
			m.Why = append(m.Why, WhyItem+"="+l.key)
			switch {
			case l.remaining == nil:
				cover++
				m.Why = append(m.Why, WhyQtyUnknown+"="+l.key)
			case q.unknown && q.sum == 0:
				cover += 0.5
				m.Why = append(m.Why, WhyQtyUnknown+"="+l.key)
			default:
				c := min(1, q.sum / *l.remaining)
				cover += c
				m.Why = append(m.Why, WhyCovers+"="+l.key+":"+strconv.FormatFloat(c, 'f', 2, 64))
			}
		}
		if matched == 0 {
			continue
		}
		items := float64(matched) / float64(len(open))
		quantity := cover / float64(matched)

		region := 0.5
		switch r := NormalizeName(o.Region); {
		case r == "" || district == "":
			m.Why = append(m.Why, WhyLocationUnknown)
		case sameRegion(r, district):
			region = 1
			m.Why = append(m.Why, WhySameRegion+"="+o.Region)
		default:
			region = 0
			m.Why = append(m.Why, WhyOtherRegion+"="+o.Region)
		}

		validity := 1.0
		if o.ValidUntil.IsZero() {
			m.Why = append(m.Why, WhyOpenEnded)
		} else {
			left := o.ValidUntil.Sub(now).Hours()
			validity = min(1, left/ValidityHorizon)
			m.Why = append(m.Why, WhyValidHours+"="+strconv.Itoa(int(left)))
		}
		m.Score = round2(50*items + 25*quantity + 15*region + 10*validity)
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b OfferMatch) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Offer.ID, b.Offer.ID)
	})
	return out
}
