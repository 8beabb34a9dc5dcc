package app

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOtherIncidentBundleNamed: a bundle of another incident on this laptop,
// imported into the open one, is told by that incident's name (from
// incidents.json, the other store being closed) and the short form of its
// network id, not by the whole id alone; a bundle of a network no incident
// here knows gets the short id and the file.
func TestOtherIncidentBundleNamed(t *testing.T) {
	dir := t.TempDir()
	a := newApp(t, dir)
	if _, err := a.Network.Create("洪水 A", "甲"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Network.AddIncident(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Network.Create("地震 B", "乙"); err != nil {
		t.Fatal(err)
	}
	netB := a.Network.Info().NetworkID
	path := filepath.Join(t.TempDir(), "b.rmbundle")
	if _, err := a.Network.ExportBundleTo(path); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Network.SwitchIncident(MainIncident); err != nil {
		t.Fatal(err)
	}
	_, err := a.Network.ImportBundleFrom(path)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeBundleOtherNetwork || e.Args["name"] != "地震 B" || e.Args["reason"] != "named" ||
		e.Args["network"] != netB[:ShortNetworkID] || e.Args["file"] != "b.rmbundle" {
		t.Fatalf("B's bundle imported into A = %#v; want %s naming 地震 B, network %s, file b.rmbundle", err, CodeBundleOtherNetwork, netB[:ShortNetworkID])
	}
	b, _ := os.ReadFile(filepath.Join(dir, IncidentsFile))
	var l incidentList
	if err := json.Unmarshal(b, &l); err != nil || !strings.Contains(string(b), netB) {
		t.Fatalf("%s = %s, %v; want B's network id kept", IncidentsFile, b, err)
	}

	// a network nobody here belongs to: the short id and the file, no name
	c := newApp(t, t.TempDir())
	if _, err := c.Network.Create("火灾 C", "丙"); err != nil {
		t.Fatal(err)
	}
	netC := c.Network.Info().NetworkID
	pathC := filepath.Join(t.TempDir(), "c.rmbundle")
	if _, err := c.Network.ExportBundleTo(pathC); err != nil {
		t.Fatal(err)
	}
	_, err = a.Network.ImportBundleFrom(pathC)
	if !errors.As(err, &e) || e.Code != CodeBundleOtherNetwork || e.Args["name"] != "" || e.Args["network"] != netC[:ShortNetworkID] || e.Args["file"] != "c.rmbundle" {
		t.Fatalf("C's bundle imported into A = %#v; want %s with network %s, no name", err, CodeBundleOtherNetwork, netC[:ShortNetworkID])
	}
}
