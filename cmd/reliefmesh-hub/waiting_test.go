package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestStatusWaitingWhileCatchingUp: a tester endorsed a new hub on the
// network's hub (100,000 demands), joined and served it; while it caught up,
// `status` said "waiting for endorsement: ask a member to run
// `reliefmesh-hub endorse …`" though the endorsement was made: it comes last
// in the endorser's feed, so it arrives at the end of the catch-up, and a
// member's node only syncs with a device its roster admits. A coordinator
// reading it endorses again. While a connected peer syncs with it, the hub
// now says the endorsement arrives with the catch-up; with no peer syncing,
// it still asks for one.
func TestStatusWaitingWhileCatchingUp(t *testing.T) {
	s := hubStatus{Hub: &hubInfo{PeerID: "12D3KooWtest", WaitingForEndorsement: true}}
	s.Device = "aydefuihisvdo2vtf65q427jxc5ob5txtticwhekpn2o2j6yehua"
	for _, lang := range []string{langZH, langEN} {
		var idle bytes.Buffer
		printPeersIn(&idle, s, speakerOf(lang))
		if !strings.Contains(idle.String(), "reliefmesh-hub endorse "+s.Device) {
			t.Errorf("%s, no peer syncing: %q; want it to ask for an endorsement", lang, idle.String())
		}
		syncing := s
		syncing.Peers = []peerStatus{{Member: "rzbuxbmahx5ehqlt4g3i7snyacwtv6ydovslmr4uksld37ccm7gq", Connected: true, Kind: "lan", Syncing: true,
			Progress: &progressState{Applied: 2235, Expected: 2235}}}
		var out bytes.Buffer
		printPeersIn(&out, syncing, speakerOf(lang))
		if strings.Contains(out.String(), sp(lang, "hub.waiting", s.Device)) {
			t.Errorf("%s, catching up from a member: %q; want no plain request for another endorsement", lang, out.String())
		}
		for _, want := range map[string][]string{langZH: {"背书会随同步一起到达", "同步完成后"}, langEN: {"the endorsement arrives with the catch-up", "once caught up"}}[lang] {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s, catching up from a member: %q; want %q", lang, out.String(), want)
			}
		}
	}
}

// sp is speakerOf(lang).t(key, args...).
func sp(lang, key string, args ...any) string { return speakerOf(lang).t(key, args...) }
