package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/reliefmesh/reliefmesh/desk"
)

func newUndoImport(g *globals) *cobra.Command {
	var dryRun, asJSON bool
	c := &cobra.Command{
		Use:   "undo-import REPORT.json [--dry-run] [--json]",
		Short: "Withdraw what an import created, as one signed change, unless someone acted on it since",
		Long: `undo-import reads the report an import printed with --json (import FILE --json > REPORT.json)
and withdraws, as one signed change, the demands it created that nobody acted on or
changed since (each gets a withdraw step noted "` + desk.UndoNote + `"), and expires the
offers it created (valid until now). The records acted on, edited, closed or updated
are listed with why and left as they are. --dry-run lists both and writes nothing.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return g.speaker().errorf("undo.read", err)
			}
			var rep struct {
				DryRun bool `json:"dry_run"`
				Report *struct {
					IDs     []string `json:"ids"`
					Updates []struct {
						ID   string `json:"id"`
						Held bool   `json:"held"`
					} `json:"updates"`
				} `json:"report"`
			}
			if err := json.Unmarshal(b, &rep); err != nil || rep.Report == nil {
				// JSON without an import's report ({}, another command's
				// output) is refused, not taken for an import of nothing
				return errors.New(g.speaker().t("undo.notreport", args[0]))
			}
			if rep.DryRun {
				return g.speaker().errorf("undo.dry", args[0])
			}
			// the records the import updated rather than created: kept,
			// told as such (an undo withdraws only what it created)
			var updated []string
			for _, u := range rep.Report.Updates {
				if !u.Held {
					updated = append(updated, u.ID)
				}
			}
			var plan desk.UndoImportPlan
			hub, err := g.hub()
			if err != nil {
				return err
			}
			if hub != nil {
				path := "/v0/import/undo"
				if dryRun {
					path += "?dry_run=1"
				}
				if err := hub.call(cmd.Context(), "POST", path, undoRequest{IDs: rep.Report.IDs, Updated: updated}, &plan); err != nil {
					return err
				}
			} else {
				dk, done, err := g.openDesk()
				if err != nil {
					return err
				}
				defer done()
				undo := dk.UndoImport
				if dryRun {
					undo = dk.PlanUndoImport
				}
				if plan, err = undo(rep.Report.IDs, updated); err != nil {
					return cliErrorIn(g.speaker(), err)
				}
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(plan)
			}
			printUndo(out, plan, dryRun, g.speaker())
			return nil
		},
	}
	c.Flags().BoolVar(&dryRun, "dry-run", false, "list what would be withdrawn and what kept; write nothing")
	c.Flags().BoolVar(&asJSON, "json", false, "print the plan as JSON")
	return c
}

// undoReasons are the words (keys of cliWords) saying why undo-import keeps
// a record.
var undoReasons = map[string]string{
	desk.UndoKeptUpdated:    "undo.why.updated",
	desk.UndoKeptChanged:    "undo.why.changed",
	desk.UndoKeptActed:      "undo.why.acted",
	desk.UndoKeptClosed:     "undo.why.closed",
	desk.UndoKeptNotAllowed: "undo.why.notallowed",
	desk.UndoKeptMissing:    "undo.why.missing",
}

// printUndo prints plan in sp's language: what is (or, with dryRun, would
// be) withdrawn, and what is kept and why.
func printUndo(w io.Writer, plan desk.UndoImportPlan, dryRun bool, sp speaker) {
	verb := "undo.withdrawn"
	if dryRun {
		fmt.Fprintln(w, sp.t("undo.dryrun"))
		verb = "undo.towithdraw"
	}
	fmt.Fprintln(w, sp.t(verb, len(plan.Withdraw)))
	for _, it := range plan.Withdraw {
		fmt.Fprintf(w, "  %s %s\n", it.Code, it.Title)
	}
	fmt.Fprintln(w, sp.t("undo.kept", len(plan.Kept)))
	for _, it := range plan.Kept {
		why := it.Reason
		if key, ok := undoReasons[it.Reason]; ok {
			why = sp.t(key)
		}
		fmt.Fprintln(w, sp.t("undo.keptline", it.Code, it.Title, why))
	}
}
