package app

import (
	"encoding/base64"
	"path/filepath"
	"testing"

	"github.com/reliefmesh/reliefmesh/desk"
)

// bundleTo carries every change of from to to on a USB stick (a bundle).
func bundleTo(t *testing.T, from, to *App) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.rmbundle")
	if _, err := from.Network.ExportBundleTo(path); err != nil {
		t.Fatal(err)
	}
	if _, err := to.Network.ImportBundleFrom(path); err != nil {
		t.Fatal(err)
	}
}

// TestTrainingByBundle: a trainer's completion, recorded on a laptop reached
// only by USB stick, reaches the coordinator's training screen (who signed,
// when it expires) and changes the coordinator's match for a task needing
// the skill; the materials file comes back as it went in.
func TestTrainingByBundle(t *testing.T) {
	a, b, bID := coordinatorAndVolunteer(t)
	if _, err := a.Volunteers.SaveProfile(ProfileInput{Name: "甲"}); err != nil {
		t.Fatal(err)
	}
	_, err := a.Volunteers.SaveCourse(CourseInput{Name: "心理急救", Qualifies: []string{"心理援助"}, Material: "not base64!"})
	if e, ok := err.(*desk.Error); !ok || e.Code != desk.CodeInvalid || e.Field != "material" {
		t.Fatalf("SaveCourse(bad base64) = %v; want invalid material", err)
	}
	file := []byte("一、倾听\n二、稳定情绪\n")
	tr, err := a.Volunteers.SaveCourse(CourseInput{Name: "心理急救", Qualifies: []string{"心理援助"}, ValidityDays: 30,
		MaterialName: "讲义.txt", MaterialType: "text/plain", Material: base64.StdEncoding.EncodeToString(file)})
	if err != nil || len(tr.Courses) != 1 || tr.Courses[0].MaterialSize != len(file) || !tr.Courses[0].CanRecord {
		t.Fatalf("SaveCourse = %+v, %v; want one course with its file, recordable by the coordinator", tr.Courses, err)
	}
	course := tr.Courses[0].ID
	if tr, err = a.Volunteers.MarkTrainer(course, bID, true); err != nil || len(tr.Courses[0].Trainers) != 1 || tr.Courses[0].Trainers[0].Name != "乙" {
		t.Fatalf("MarkTrainer = %+v, %v; want 乙 as trainer", tr.Courses, err)
	}
	d, err := a.Demands.Record(DemandInput{Title: "方舱 心理疏导", Category: "other", District: "江岸区", Items: []desk.ItemInput{{Name: "心理咨询师", Quantity: "2"}}})
	if err != nil {
		t.Fatal(err)
	}
	if ms, err := a.Tasks.Matches(d.ID, "心理援助"); err != nil || len(ms) == 0 || ms[0].Qualification == nil || ms[0].Qualification.Qualified {
		t.Fatalf("Matches before = %+v, %v; want 甲 not qualified", ms, err)
	}
	bundleTo(t, a, b)

	btr, err := b.Volunteers.Training()
	if err != nil || len(btr.Courses) != 1 || !btr.Courses[0].CanRecord || btr.Coordinator || len(btr.Needs) != 0 {
		t.Fatalf("B's Training = %+v, %v; want the course, recordable by B (a trainer), no needs list (not a coordinator)", btr, err)
	}
	var aProfile string
	for _, v := range btr.Volunteers {
		if v.Name == "甲" {
			aProfile = v.ID
		}
	}
	if _, err := b.Volunteers.RecordCompletion(course, aProfile); err != nil {
		t.Fatal(err)
	}
	bundleTo(t, b, a)

	tr, err = a.Volunteers.Training()
	if err != nil || len(tr.Courses[0].Completions) != 1 {
		t.Fatalf("A's Training after the bundle = %+v, %v; want one completion", tr, err)
	}
	c := tr.Courses[0].Completions[0]
	if c.Volunteer.Name != "甲" || c.By.Name != "乙" || c.Expires-c.At != 30*24*3600*1000 || c.Expired {
		t.Errorf("completion = %+v; want 甲's, signed by 乙, expiring 30 days later", c)
	}
	checkNoNulls(t, map[string]any{"VolunteerService.Training": tr})
	ms, err := a.Tasks.Matches(d.ID, "心理援助")
	if err != nil || ms[0].Volunteer.Name != "甲" || ms[0].Qualification == nil || !ms[0].Qualification.Qualified || ms[0].Why[0] != "qualified=心理援助:1/1" {
		t.Fatalf("Matches after = %+v, %v; want 甲 first, qualified 1/1", ms, err)
	}
	m, err := a.Volunteers.CourseMaterial(course)
	if got, _ := base64.StdEncoding.DecodeString(m.Data); err != nil || string(got) != string(file) || m.Name != "讲义.txt" {
		t.Errorf("CourseMaterial = %+v, %v; want the file back", m, err)
	}
}
