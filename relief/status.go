package relief

// DemandStatus returns FoldDemand(rec, roster).Status without folding the
// rest of the view: no field values are read or decoded, no conflicts
// gathered, no code computed. A hub's lean store counts its demands by
// status with it as each run commits (BENCHMARKS.md, "Ingest at the
// machine's limit"). It must stay the first half of FoldDemandAllowed, up
// to where that sets Status (nothing after changes it): the status
// depends on whether the demand was created (an allowed write of its title,
// createdBy) and on the steps folded with Rules, the deliveries' and
// evidence's checks included. Tests hold it to FoldDemand's on random
// records (relief's convergence and authority properties, the store's lean
// property).
func DemandStatus(rec *Record, roster *Roster) Status {
	_, creator, _ := created(rec)
	x := &writeContext{creator: creatorOf(rec)}
	titled, _ := authorise(rec, roster, x, FieldTitle)
	var title string
	uncreated := !titled.Value(FieldTitle, &title) ||
		!createdBy(rec, FieldTitle, func(w Write) bool { return fieldReason(rec.Kind, FieldTitle, w, roster, x) == "" })
	st, df := demandLifecycle(rec, creator, uncreated)
	steps, _ := splitAcks(rec.Transitions)
	st.fold(steps, Rules, roster, func(s *Step) {
		if s.Action != ActionMarkDuplicate {
			df.applied(s)
		}
	})
	return st.status
}
