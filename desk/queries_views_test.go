package desk

import (
	"slices"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestViewQueriesMatchWholeLists checks that the queries answered from the
// store's views (Offers by text, TasksOf, Task, Volunteers' load) give what
// filtering the whole lists gives: same entries, same order.
func TestViewQueriesMatchWholeLists(t *testing.T) {
	a, b := peopleNetwork(t)
	for _, in := range []OfferInput{
		{Supplier: "稳健医疗", Region: "江汉区", Items: []ItemInput{item("N95口罩", "2000", "只")}},
		{Supplier: "某酒店", Region: "武昌区", Items: []ItemInput{item("客房", "30", "间")}},
		{Supplier: "Mask Works", Region: "江汉区", Items: []ItemInput{item("医用口罩", "500", "只"), item("Gloves", "100", "双")}},
	} {
		if _, err := a.RecordOffer(in); err != nil {
			t.Fatal(err)
		}
	}
	all, err := a.Store().Offers()
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"", "口罩", " 江汉 ", "MASK", "gloves", "酒店", "nothing"} {
		got, err := a.Offers(text)
		if err != nil {
			t.Fatal(err)
		}
		q := strings.ToLower(strings.TrimSpace(text))
		var want []string
		for _, o := range all {
			hay := strings.ToLower(o.Supplier + "\x00" + o.Region + "\x00" + o.Code)
			for _, it := range o.Items {
				hay += "\x00" + strings.ToLower(it.Name)
			}
			if strings.Contains(hay, q) {
				want = append(want, o.ID)
			}
		}
		var ids []string
		for _, o := range got {
			ids = append(ids, o.Offer.ID)
		}
		if !slices.Equal(ids, want) {
			t.Errorf("Offers(%q) = %v; want %v (the whole list filtered)", text, ids, want)
		}
	}

	need := 1.0
	var demands []string
	for _, title := range []string{"送水", "送药"} {
		dm, err := a.Store().RecordDemand(relief.Demand{Title: title, Category: "food_water", Items: []relief.Item{{Name: "水", Needed: &need}}})
		if err != nil {
			t.Fatal(err)
		}
		demands = append(demands, dm.ID)
	}
	bID := b.Status().Device
	for i, skill := range []string{"driver", "medic", "cook", "driver", "porter"} {
		if _, err := a.OfferTask(demands[i%2], bID, skill); err != nil {
			t.Fatal(err)
		}
	}
	tasks, err := a.Store().Tasks()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range append(demands, "no-such-demand") {
		got, err := a.TasksOf(id)
		if err != nil {
			t.Fatal(err)
		}
		var want, ids []string
		for _, tk := range tasks {
			if tk.Demand == id {
				want = append(want, tk.ID)
			}
		}
		for _, tk := range got {
			ids = append(ids, tk.ID)
			one, err := a.Task(tk.ID)
			if err != nil || one.ID != tk.ID || one.Skill != tk.Skill || one.Status != tk.Status || one.Demand != id {
				t.Errorf("Task(%s) = %+v, %v; want %+v", tk.ID, one, err, tk)
			}
		}
		if !slices.Equal(ids, want) {
			t.Errorf("TasksOf(%s) = %v; want %v (the whole list filtered, newest first)", id, ids, want)
		}
	}

	// B accepts two tasks and declines one: the load counts the accepted ones
	peopleSync(t, a.Store(), b.Store())
	for i, tk := range tasks[:3] {
		action := "accept"
		if i == 1 {
			action = "decline"
		}
		if _, err := b.AnswerTask(tk.ID, action); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.SaveProfile(Profile{Name: "乙", Skills: []string{"driver"}}); err != nil {
		t.Fatal(err)
	}
	vs, err := b.Volunteers()
	if err != nil || len(vs) != 1 || vs[0].Load != 2 {
		t.Errorf("B's Volunteers with two tasks accepted, one declined = %+v, %v; want a load of 2", vs, err)
	}
}
