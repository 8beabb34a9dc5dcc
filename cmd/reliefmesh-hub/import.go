package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/reliefmesh/reliefmesh/bulletin"
	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

func newImport(g *globals) *cobra.Command {
	var mappingFile string
	var dryRun, asJSON, oneIsCount bool
	var kind string
	c := &cobra.Command{
		Use:   "import FILE... [--mapping M.json] [--dry-run] [--json]",
		Short: "Import demands and offers from CSV, XLSX, HXL or wuhan2020 JSON files",
		Long: `Import reads each file (CSV or XLSX with Chinese or English headers, HXL-tagged
tables, the wuhan2020 JSON), cleans it and records its rows as demands or offers.
Importing the same file again creates nothing; probable duplicates of demands
already present are stored tagged possible_duplicate for a reviewer. Every row
or value that could not be used is listed with its file, row and field.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := importer.DefaultOptions()
			opts.Kind = kind
			opts.OneMeansNeeded = !oneIsCount
			if mappingFile != "" {
				b, err := os.ReadFile(mappingFile)
				if err != nil {
					return err
				}
				m, err := importer.ParseMapping(b)
				if err != nil {
					return fmt.Errorf("%s: %w", mappingFile, err)
				}
				opts.Mapping = &m
			}
			var recs []importer.Record
			var probs []importer.Problem
			for _, f := range args {
				r, p, err := importer.ReadFile(f, opts)
				if err != nil {
					return err
				}
				recs = append(recs, r...)
				probs = append(probs, p...)
			}
			out := cmd.OutOrStdout()
			var rep importer.Report
			hub, err := g.hub()
			if err != nil {
				return err
			}
			if !dryRun && hub != nil {
				if err := hub.call(cmd.Context(), "POST", "/v0/import", recs, &rep); err != nil {
					return err
				}
			} else if !dryRun {
				st, err := g.open()
				if err != nil {
					return err
				}
				defer st.Close()
				var bar *progressbar.ProgressBar
				if f, ok := cmd.ErrOrStderr().(*os.File); ok && isatty.IsTerminal(f.Fd()) && !asJSON {
					bar = progressbar.NewOptions(len(recs), progressbar.OptionSetWriter(f), progressbar.OptionSetDescription("importing"),
						progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
				}
				rep, err = importer.Apply(cmd.Context(), st, recs, func(done, total int) {
					if bar != nil {
						bar.Set(done)
					}
				})
				if bar != nil {
					bar.Finish()
				}
				if err != nil {
					return err
				}
			}
			rep.Problems = append(probs, rep.Problems...)
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(struct {
					Records int             `json:"records"`
					DryRun  bool            `json:"dry_run"`
					Report  importer.Report `json:"report"`
				}{len(recs), dryRun, rep})
			}
			printImport(out, recs, rep, dryRun)
			return nil
		},
	}
	c.Flags().StringVar(&mappingFile, "mapping", "", "a column mapping (JSON, see importer.Mapping) to use instead of the suggested one")
	c.Flags().BoolVar(&dryRun, "dry-run", false, "read and clean only: report what would be imported, write nothing")
	c.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	c.Flags().StringVar(&kind, "kind", "", "treat every record as a demand or an offer (default: guessed per file)")
	c.Flags().BoolVar(&oneIsCount, "one-is-count", false, "read a quantity of 1 as one piece, not as \"needed\" (the 2020 sheets' convention)")
	return c
}

func printImport(w io.Writer, recs []importer.Record, rep importer.Report, dryRun bool) {
	kinds := map[string]int{}
	for _, r := range recs {
		kinds[r.Kind]++
	}
	fmt.Fprintf(w, "read:       %d records (%d demands, %d offers)\n", len(recs), kinds[relief.KindDemand], kinds[relief.KindOffer])
	if dryRun {
		fmt.Fprintln(w, "dry run:    nothing written")
	} else {
		fmt.Fprintf(w, "created:    %d\n", rep.Created)
		fmt.Fprintf(w, "duplicates: %d flagged for review (tag %s)\n", rep.Flagged, importer.TagPossibleDuplicate)
		fmt.Fprintf(w, "skipped:    %d already present\n", rep.Skipped)
		fmt.Fprintf(w, "rejected:   %d\n", rep.Rejected)
		for _, d := range rep.Duplicates {
			fmt.Fprintf(w, "  %s row %d %s ~ %s %s: %v\n", d.File, d.Row, d.Org, d.OriginalCode, d.OriginalOrg, d.Reasons)
		}
	}
	fmt.Fprintf(w, "problems:   %d\n", len(rep.Problems))
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "  %s\n", p)
	}
}

func newExport(g *globals) *cobra.Command {
	var public, unpublished bool
	var outFile, format string
	c := &cobra.Command{
		Use:   "export --public -o FILE.csv|.json|.xlsx",
		Short: "Write the public bulletin: published demands, public fields only",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !public {
				return fmt.Errorf("only --public exports exist yet: pass --public")
			}
			if format == "" {
				format = bulletin.FormatFor(outFile)
			}
			if format == "" {
				return fmt.Errorf("-o %q: say the format with --format csv|json|xlsx or a file extension", outFile)
			}
			hub, err := g.hub()
			if err != nil {
				return err
			}
			var ds []relief.Demand
			var fromHub []byte
			count := 0
			if hub != nil {
				b, err := json.Marshal(exportRequest{Format: format, Unpublished: unpublished})
				if err != nil {
					return err
				}
				resp, err := hub.do(cmd.Context(), "POST", "/v0/export", "application/json", bytes.NewReader(b))
				if err != nil {
					return fmt.Errorf("export %s: %w", outFile, err)
				}
				defer resp.Body.Close()
				if fromHub, err = io.ReadAll(resp.Body); err != nil {
					return fmt.Errorf("export %s: from the hub: %w", outFile, err)
				}
				count, _ = strconv.Atoi(resp.Header.Get("Demand-Count"))
			} else {
				st, err := g.open()
				if err != nil {
					return err
				}
				defer st.Close()
				if ds, err = publicDemands(st, unpublished); err != nil {
					return err
				}
				count = len(ds)
			}
			w := cmd.OutOrStdout()
			if outFile != "" && outFile != "-" {
				f, err := os.Create(outFile)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			if hub != nil {
				_, err = w.Write(fromHub)
			} else {
				err = bulletin.Write(w, format, ds)
			}
			if err != nil {
				return fmt.Errorf("export %s: %w", outFile, err)
			}
			if outFile != "" && outFile != "-" {
				fmt.Fprintf(cmd.ErrOrStderr(), "wrote %d demands to %s\n", count, outFile)
			}
			return nil
		},
	}
	c.Flags().BoolVar(&public, "public", false, "public fields only (required)")
	c.Flags().StringVarP(&outFile, "output", "o", "", "output file; its extension gives the format")
	c.Flags().StringVar(&format, "format", "", "csv, json or xlsx (default: from -o)")
	c.Flags().BoolVar(&unpublished, "include-unpublished", false, "include demands not yet published (practice networks)")
	return c
}

// publicDemands returns the demands of the public bulletin: published and in
// progress ones, or all of them with unpublished.
func publicDemands(st *store.Store, unpublished bool) ([]relief.Demand, error) {
	all, err := st.Demands(store.DemandQuery{})
	if err != nil {
		return nil, err
	}
	open := []relief.Status{relief.StatusPublished, relief.StatusInProgress}
	var ds []relief.Demand
	for _, d := range all {
		if unpublished || slices.Contains(open, d.Status) {
			ds = append(ds, d)
		}
	}
	return ds, nil
}
