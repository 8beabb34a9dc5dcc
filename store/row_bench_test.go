package store

import (
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// BenchmarkNewDemandRow makes the row of a demand shaped like bench.Demand
// (Chinese text, three items): a large catch-up's fold does it for every
// demand it brings, before the list answers.
func BenchmarkNewDemandRow(b *testing.B) {
	need := func(f float64) *float64 { return &f }
	d := relief.Demand{ID: "d1", Code: "D-7K2Q", Status: relief.StatusCollected,
		Title:        "武昌第12人民医院急需医用防护物资",
		Description:  "发热门诊接诊量大，医护人员防护物资严重短缺，急需防护口罩、防护服和护目镜。",
		Category:     "protective_equipment",
		District:     "武昌",
		Address:      "武汉市武昌解放大道112号住院部3楼",
		RequesterOrg: "武昌第12人民医院",
		Urgency:      relief.UrgencyHigh,
		Items: []relief.Item{
			{Name: "医用防护口罩 | N95口罩", Spec: "符合GB19083", Unit: "只", Needed: need(1200)},
			{Name: "医用防护服", Spec: "一次性", Unit: "套", Needed: need(300)},
			{Name: "护目镜", Unit: "个"},
		},
	}
	b.ReportAllocs()
	for b.Loop() {
		if r := newDemandRow(d); len(r.text) == 0 {
			b.Fatal("no text")
		}
	}
}

// BenchmarkLower lowers a demand's text fields (as newDemandRow does) by
// strings.ToLower and by writeLower.
func BenchmarkLower(b *testing.B) {
	texts := []string{"武昌第12人民医院急需医用防护物资", "D-7K2Q", "武昌", "武昌第12人民医院", "武汉市武昌解放大道112号住院部3楼",
		"医用防护口罩 | N95口罩", "医用防护服", "护目镜"}
	b.Run("strings.ToLower", func(b *testing.B) {
		b.ReportAllocs()
		var sb strings.Builder
		for b.Loop() {
			sb.Reset()
			sb.Grow(256)
			for _, s := range texts {
				sb.WriteString(strings.ToLower(s))
			}
		}
	})
	b.Run("writeLower", func(b *testing.B) {
		b.ReportAllocs()
		var sb strings.Builder
		for b.Loop() {
			sb.Reset()
			sb.Grow(256)
			for _, s := range texts {
				writeLower(&sb, s)
			}
		}
	})
}

// BenchmarkPackViewAfterLarge packs the list view of a demand shaped like
// bench.Demand after packing one of 1,000 strings (a large catch-up meets
// some): packView's clear of its writer's map costs what the map has room
// for, unless the writer dropped the map (packSeenKept).
func BenchmarkPackViewAfterLarge(b *testing.B) {
	need := func(f float64) *float64 { return &f }
	d := relief.Demand{ID: "d1", Code: "D-7K2Q", Status: relief.StatusCollected,
		Title: "武昌第12人民医院急需医用防护物资", Category: "protective_equipment", District: "武昌",
		Items: []relief.Item{{Name: "医用防护口罩", Unit: "只", Needed: need(1200)}, {Name: "护目镜", Unit: "个"}}}
	big := d
	for i := range 1000 {
		big.Tags = append(big.Tags, "tag-"+strings.Repeat("x", i%50)+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	packView(&big) // the writer's map grows
	b.ReportAllocs()
	for b.Loop() {
		if pv := packView(&d); len(pv.b) == 0 {
			b.Fatal("empty view")
		}
	}
}
