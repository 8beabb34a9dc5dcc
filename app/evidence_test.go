package app

import "github.com/reliefmesh/reliefmesh/desk"

// called gives an approve without evidence or reason a call-back as its
// evidence, as the approve form does.
func called(in ActInput) ActInput {
	if in.Action == "approve" && in.Evidence == nil && in.Note == "" {
		in.Evidence = &desk.EvidenceInput{Kind: "callback", Caller: "王"}
	}
	return in
}
