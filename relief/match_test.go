package relief

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
)

func TestHaversine(t *testing.T) {
	wuhan := Position{Lat: 30.5928, Lon: 114.3055}
	tests := []struct {
		a, b Position
		want float64 // metres
		tol  float64
	}{
		{wuhan, wuhan, 0, 0},
		{Position{0, 0}, Position{1, 0}, 111195, 1},                  // one degree of latitude
		{wuhan, Position{Lat: 39.9042, Lon: 116.4074}, 1.053e6, 5e3}, // Wuhan–Beijing
		{Position{0, 0}, Position{0, 180}, math.Pi * EarthRadius, 1}, // antipodes on the equator
	}
	for _, tt := range tests {
		if got := Haversine(tt.a, tt.b); math.Abs(got-tt.want) > tt.tol {
			t.Errorf("Haversine(%v, %v) = %.0f; want %.0f ± %.0f", tt.a, tt.b, got, tt.want, tt.tol)
		}
	}
}

// monday9 is Monday 27 January 2020, 09:30 in Wuhan (UTC+8).
var (
	wuhanTZ = time.FixedZone("CST", 8*3600)
	monday9 = time.Date(2020, 1, 27, 9, 30, 0, 0, wuhanTZ)
)

func TestMatchVolunteers(t *testing.T) {
	here := &Position{Lat: 30.5928, Lon: 114.3055}
	near := &Position{Lat: 30.6028, Lon: 114.3055}      // ~1.1 km north
	far := &Position{Lat: 30.5928 + 0.5, Lon: 114.3055} // ~56 km north
	weekday := []Window{{Day: time.Monday, From: 8 * 60, To: 18 * 60}}
	later := []Window{{Day: time.Monday, From: 10 * 60, To: 12 * 60}} // starts in 30 min
	sunday := []Window{{Day: time.Sunday, From: 8 * 60, To: 18 * 60}}
	need := Need{Skill: "Driver", Region: "江汉区", Position: here, At: monday9}

	tests := []struct {
		name  string
		v     Volunteer
		load  int
		score float64
		why   []string
	}{
		{"perfect", Volunteer{Skills: []string{"driver"}, Availability: weekday, Position: here},
			0, 100, []string{"skill=Driver", "available=mon 08:00-18:00", "distance_m=0", "load=0"}},
		{"near, busy", Volunteer{Skills: []string{"DRIVER"}, Availability: weekday, Position: near},
			2, 40 + 25 + 20/(1+1112.0/5000) + 5, []string{"skill=Driver", "available=mon 08:00-18:00", "distance_m=1112", "load=2"}},
		{"trained, not listed", Volunteer{Training: []string{"driver"}, Availability: weekday, Region: "江汉区"},
			0, 24 + 25 + 10 + 15, []string{"skill_from_training=Driver", "available=mon 08:00-18:00", "same_region=江汉区", "load=0"}},
		{"no skill, later, far", Volunteer{Skills: []string{"cook"}, Availability: later, Position: far},
			0, 0 + 12.5*(1-30.0/120) + 20/(1+55598.0/5000) + 15, []string{"no_skill=Driver", "available_in_min=30", "distance_m=55598", "load=0"}},
		{"unknown availability, other region", Volunteer{Skills: []string{"driver"}, Region: "武昌区"},
			0, 40 + 12.5 + 0 + 15, []string{"skill=Driver", "availability_unknown", "other_region=武昌区", "load=0"}},
		{"only on Sundays, no location", Volunteer{Skills: []string{"driver"}, Availability: sunday},
			0, 40 + 0 + 5 + 15, []string{"skill=Driver", "available_in_min=8550", "location_unknown", "load=0"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.v
			v.ID, v.Key = fmt.Sprintf("v%d", i), dev(byte(100+i))
			var tasks []Task
			for k := range tt.load {
				tasks = append(tasks, Task{ID: fmt.Sprint(k), OfferedTo: v.Key, Status: StatusAccepted})
			}
			tasks = append(tasks, Task{ID: "x", OfferedTo: v.Key, Status: StatusDone}, Task{ID: "y", OfferedTo: v.Key, Status: StatusOffered})
			got := MatchVolunteers(need, []Volunteer{v}, tasks, 0)
			if len(got) != 1 || math.Abs(got[0].Score-tt.score) > 0.02 || !slices.Equal(got[0].Why, tt.why) {
				t.Errorf("MatchVolunteers(%s) = %.2f %q; want %.2f %q", tt.name, got[0].Score, got[0].Why, tt.score, tt.why)
			}
		})
	}
}

func TestMatchVolunteersTraining(t *testing.T) {
	need := Need{Skill: "nurse", Training: []string{"PPE", "hazmat"}, At: monday9}
	v := Volunteer{ID: "v", Skills: []string{"nurse"}, Training: []string{"ppe"}}
	got := MatchVolunteers(need, []Volunteer{v}, nil, 0)[0]
	want := []string{"skill=nurse", "training=PPE", "no_training=hazmat", "availability_unknown", "location_unknown", "load=0"}
	wantScore := 40*(0.7+0.3*0.5) + 12.5 + 5 + 15
	if math.Abs(got.Score-wantScore) > 0.01 || !slices.Equal(got.Why, want) {
		t.Errorf("MatchVolunteers(training) = %.2f %q; want %.2f %q", got.Score, got.Why, wantScore, want)
	}
}

func TestMatchVolunteersOrder(t *testing.T) {
	need := Need{Skill: "driver", Region: "江汉区", At: monday9}
	vols := []Volunteer{
		{ID: "c", Skills: []string{"driver"}, Region: "江汉区"},
		{ID: "a", Skills: []string{"driver"}, Region: "江汉区"}, // ties with c: id order
		{ID: "b", Skills: []string{"cook"}, Region: "江汉区"},
		{ID: "d", Skills: []string{"driver"}, Region: "武汉市江汉区"},
		{ID: "e", Skills: []string{"driver"}, Region: "洪山区", Key: dev(50)},
	}
	tasks := []Task{{OfferedTo: dev(50), Status: StatusAccepted}}
	var got []string
	for _, m := range MatchVolunteers(need, vols, tasks, 0) {
		got = append(got, m.Volunteer.ID)
	}
	if want := []string{"a", "c", "d", "e", "b"}; !slices.Equal(got, want) {
		t.Errorf("MatchVolunteers order = %q; want %q", got, want)
	}
	if got := MatchVolunteers(need, vols, tasks, 2); len(got) != 2 || got[0].Volunteer.ID != "a" || got[0].Why == nil {
		t.Errorf("MatchVolunteers(limit 2) = %+v; want a, c with reasons", got)
	}
	if got := MatchVolunteers(need, nil, nil, 5); len(got) != 0 {
		t.Errorf("MatchVolunteers(none) = %+v; want none", got)
	}
}

func TestTaskNeed(t *testing.T) {
	pos := &Position{Lat: 1, Lon: 2}
	got := TaskNeed(Task{Skill: "driver"}, Demand{District: "江汉区", Position: pos}, monday9)
	if got.Skill != "driver" || got.Region != "江汉区" || got.Position != pos || !got.At.Equal(monday9) {
		t.Errorf("TaskNeed = %+v", got)
	}
}

func qty(f float64) *float64 { return &f }

func TestMatchOffers(t *testing.T) {
	now := monday9
	d := Demand{ID: "d", District: "江汉区", Items: []Item{
		{Name: "医用防护口罩 | N95口罩", Needed: qty(1000), Received: 200},
		{Name: "防护服"}, // quantity unknown
		{Name: "护目镜", Needed: qty(50), Received: 50}, // already met: not open
		{Name: "床垫", Needed: qty(10)},                // unknown to the catalog
	}}
	offers := []Offer{
		{ID: "o-n95", Region: "武汉市江汉区", Items: []Item{{Name: "N95", Needed: qty(500)}, {Name: "N95口罩", Needed: qty(300)}}},
		{ID: "o-kn95", Region: "江汉区", Items: []Item{{Name: "KN95", Needed: qty(5000)}}},
		{ID: "o-expired", Items: []Item{{Name: "N95", Needed: qty(5000)}}, ValidUntil: now.Add(-time.Minute)},
		{ID: "o-both", Region: "北京市", ValidUntil: now.Add(36 * time.Hour), Items: []Item{{Name: "防护服", Needed: qty(100)}, {Name: "n95 口罩"}}},
		{ID: "o-bed", Items: []Item{{Name: "床垫 ", Needed: qty(20)}, {Name: "护目镜", Needed: qty(100)}}},
	}
	tests := []struct {
		id    string
		score float64
		why   []string
	}{
		{"o-n95", 50.0/3 + 25 + 15 + 10,
			[]string{"item=mask_n95", "covers=mask_n95:1.00", "missing=coverall", "missing=name:床垫", "same_region=武汉市江汉区", "open_ended"}},
		{"o-bed", 50.0/3 + 25 + 7.5 + 10,
			[]string{"missing=mask_n95", "missing=coverall", "item=name:床垫", "covers=name:床垫:1.00", "location_unknown", "open_ended"}},
		{"o-both", 50*2.0/3 + 25*(0.5+1)/2 + 0 + 10*0.5,
			[]string{"item=mask_n95", "qty_unknown=mask_n95", "item=coverall", "qty_unknown=coverall", "missing=name:床垫", "other_region=北京市", "valid_hours=36"}},
	}
	got := MatchOffers(DefaultCatalog(), d, offers, now)
	if len(got) != len(tests) {
		var ids []string
		for _, m := range got {
			ids = append(ids, m.Offer.ID)
		}
		t.Fatalf("MatchOffers = %q; want %d offers", ids, len(tests))
	}
	for i, tt := range tests {
		m := got[i]
		if m.Offer.ID != tt.id || math.Abs(m.Score-tt.score) > 0.01 || !slices.Equal(m.Why, tt.why) {
			t.Errorf("MatchOffers[%d] = %s %.2f %q; want %s %.2f %q", i, m.Offer.ID, m.Score, m.Why, tt.id, tt.score, tt.why)
		}
	}
	if got := MatchOffers(DefaultCatalog(), Demand{Items: []Item{{Name: "N95", Needed: qty(1), Received: 1}}}, offers, now); got != nil {
		t.Errorf("MatchOffers(demand met) = %+v; want nil", got)
	}
	// Without a catalog, names match only literally (normalised).
	if got := MatchOffers(nil, d, offers, now); len(got) != 2 || got[0].Offer.ID != "o-bed" {
		t.Errorf("MatchOffers(nil catalog) = %d offers; want o-bed then o-both", len(got))
	}
}

// BenchmarkMatchVolunteers ranks 10 000 volunteers (mixed skills, windows,
// positions and regions, 2 000 accepted tasks) and keeps the best 20.
func BenchmarkMatchVolunteers(b *testing.B) {
	skills := []string{"driver", "nurse", "cook", "搬运", "logistics", "医护"}
	regions := []string{"江汉区", "武昌区", "洪山区", "汉阳区", "江岸区"}
	vols := make([]Volunteer, 10000)
	var tasks []Task
	for i := range vols {
		v := Volunteer{ID: fmt.Sprintf("v%05d", i), Key: dev(byte(i)), Region: regions[i%len(regions)],
			Skills:   []string{skills[i%len(skills)], skills[(i/7)%len(skills)]},
			Training: []string{"ppe"},
			Availability: []Window{{Day: time.Weekday(i % 7), From: 8 * 60, To: 12 * 60},
				{Day: time.Weekday((i + 3) % 7), From: 14 * 60, To: 20 * 60}}}
		var k ledger.DeviceID
		k[0], k[1] = byte(i), byte(i>>8)
		v.Key = k
		if i%3 == 0 {
			v.Position = &Position{Lat: 30.5 + float64(i%100)/100, Lon: 114.2 + float64(i%37)/100}
		}
		if i%5 == 0 {
			tasks = append(tasks, Task{OfferedTo: k, Status: StatusAccepted})
		}
		vols[i] = v
	}
	need := Need{Skill: "医护", Training: []string{"PPE"}, Region: "江汉区", Position: &Position{Lat: 30.59, Lon: 114.30}, At: monday9}
	b.ReportAllocs()
	for b.Loop() {
		if got := MatchVolunteers(need, vols, tasks, 20); len(got) != 20 {
			b.Fatal(len(got))
		}
	}
}
