package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/reliefmesh/reliefmesh/bulletin"
	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/relief"
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
				if fi, err := os.Stat(f); err == nil && fi.Size() > 1<<20 && !asJSON {
					fmt.Fprintf(cmd.ErrOrStderr(), "reading %s (%.1f MB)…\n", f, float64(fi.Size())/1e6)
				}
				r, p, err := importer.ReadFile(f, opts)
				if err != nil {
					return err
				}
				recs = append(recs, r...)
				probs = append(probs, p...)
			}
			if dryRun { // what an import would cut to the limits (an import reports its cuts itself)
				for _, r := range recs {
					probs = append(probs, importer.Cuts(r)...)
				}
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
				st, err := g.openExisting()
				if err != nil {
					return err
				}
				defer st.Close()
				ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
				defer stop()
				prog := newImportProgress(cmd.ErrOrStderr(), len(recs), asJSON)
				done := 0
				rep, err = desk.New(st).Import(ctx, recs, func(n, total int) {
					done = n
					prog.update(n)
				})
				prog.finish()
				stop() // a second Ctrl-C ends the process
				if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
					rep.AddReadProblems(probs)
					if !asJSON {
						printImport(out, recs, rep, false)
					}
					return fmt.Errorf("import interrupted: %d of %d records applied (every change written is complete; "+
						"run the same import again to add the other %d, rows already imported are skipped)", done, len(recs), len(recs)-done)
				}
				if err != nil {
					return err
				}
			}
			rep.AddReadProblems(probs)
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

// progressEvery is how often a non-terminal stderr gets an "imported N/M
// records" line during an import.
var progressEvery = 5 * time.Second

// importProgress shows how far an import is: a progress bar when w is a
// terminal, else a line every progressEvery (for scripts and logs); nothing
// with --json.
type importProgress struct {
	w     io.Writer
	total int
	bar   *progressbar.ProgressBar
	lines bool
	last  time.Time
	done  int
}

func newImportProgress(w io.Writer, total int, asJSON bool) *importProgress {
	p := &importProgress{w: w, total: total, last: time.Now()}
	if asJSON {
		return p
	}
	if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription("importing"),
			progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
		return p
	}
	p.lines = true
	fmt.Fprintf(w, "importing %d records…\n", total)
	return p
}

// update records that done of the records are applied.
func (p *importProgress) update(done int) {
	p.done = done
	switch {
	case p.bar != nil:
		p.bar.Set(done)
	case p.lines && done < p.total && time.Since(p.last) >= progressEvery:
		p.last = time.Now()
		fmt.Fprintf(p.w, "imported %d/%d records…\n", done, p.total)
	}
}

func (p *importProgress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
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
		fmt.Fprintf(w, "updated:    %d (changed in the file since the last import)\n", rep.Updated)
		fmt.Fprintf(w, "held:       %d (the file differs from values edited in the app: not overwritten)\n", rep.Held)
		fmt.Fprintf(w, "duplicates: %d flagged for review (tag %s)\n", rep.Flagged, importer.TagPossibleDuplicate)
		fmt.Fprintf(w, "skipped:    %d already present\n", rep.Skipped)
		fmt.Fprintf(w, "rejected:   %d\n", rep.Rejected)
		fmt.Fprintf(w, "cut:        %d (a value cut to the limits: see problems)\n", rep.Cut)
		for _, d := range rep.Duplicates {
			fmt.Fprintf(w, "  %s row %d %s ~ %s %s: %v\n", d.File, d.Row, d.Org, d.OriginalCode, d.OriginalOrg, d.Reasons)
		}
		for _, u := range rep.Updates {
			what := "updated"
			if u.Held {
				what = fmt.Sprintf("held, edited in the app: %v", u.Edited)
			} else if len(u.Edited) > 0 {
				what = fmt.Sprintf("updated, but kept as edited in the app: %v", u.Edited)
			}
			fmt.Fprintf(w, "  %s row %d %s %s: %v %s\n", u.File, u.Row, u.Code, u.Org, u.Fields, what)
		}
	}
	fmt.Fprintf(w, "problems:   %d\n", len(rep.Problems))
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "  %s\n", p)
	}
}

func newExport(g *globals) *cobra.Command {
	var public, unpublished bool
	var outFile, format, level, lang string
	c := &cobra.Command{
		Use:   "export [--format csv|xlsx|hxl|json|text] [--level public|team|restricted] [--lang zh-CN|en] -o FILE",
		Short: "Write the bulletin: published demands, public fields only unless --level says otherwise",
		Long: `Export writes the bulletin of published and in-progress demands as CSV (UTF-8
with a BOM and an HXL hashtag row), XLSX, HXL-tagged CSV, JSON or a plain-text
summary to paste into a chat group (--lang zh-CN or en). It holds public fields
only, unless --level team (adds addresses; any member) or --level restricted
(adds contacts; coordinators and reviewers) is asked for explicitly.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			lvl, err := desk.ParseLevel(level)
			if err != nil {
				return cliError(err)
			}
			if public && lvl != relief.LevelPublic {
				return fmt.Errorf("--public and --level %s: choose one", level)
			}
			if outFile == "" {
				return errors.New("-o FILE is required: the file to write the bulletin to (its extension gives the format), or -o - with --format csv|xlsx|hxl|json|text for standard output")
			}
			if format == "" {
				format = bulletin.FormatFor(outFile)
			}
			if format == "" {
				return fmt.Errorf("-o %q: say the format with --format csv|xlsx|hxl|json|text or a file extension", outFile)
			}
			hub, err := g.hub()
			if err != nil {
				return err
			}
			var out bytes.Buffer // written to the file only when the whole bulletin is ready
			count := 0
			if hub != nil {
				b, err := json.Marshal(exportRequest{Format: format, Unpublished: unpublished, Level: lvl.String(), Lang: lang})
				if err != nil {
					return err
				}
				resp, err := hub.do(cmd.Context(), "POST", "/v0/export", "application/json", bytes.NewReader(b))
				if err != nil {
					return fmt.Errorf("export %s: %w", outFile, err)
				}
				defer resp.Body.Close()
				if _, err := io.Copy(&out, resp.Body); err != nil {
					return fmt.Errorf("export %s: from the hub: %w", outFile, err)
				}
				count, _ = strconv.Atoi(resp.Header.Get("Demand-Count"))
			} else {
				st, err := g.openExisting()
				if err != nil {
					return err
				}
				defer st.Close()
				b, err := desk.New(st).WriteBulletin(&out, desk.BulletinRequest{Format: format, Level: level, Lang: lang,
					IncludeUnpublished: unpublished})
				if err != nil {
					return fmt.Errorf("export %s: %w", outFile, cliError(err))
				}
				count = len(b.Demands)
			}
			if outFile == "-" {
				_, err = cmd.OutOrStdout().Write(out.Bytes())
				return err
			}
			if err := os.WriteFile(outFile, out.Bytes(), 0o644); err != nil {
				return fmt.Errorf("export %s: %w", outFile, err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %d demands (%s) to %s\n", count, lvl, outFile)
			return nil
		},
	}
	c.Flags().BoolVar(&public, "public", false, "public fields only (the default; kept for scripts)")
	c.Flags().StringVarP(&outFile, "output", "o", "", "output file (required; - for standard output); its extension gives the format (.hxl.csv for hxl, .txt for text)")
	c.Flags().StringVar(&format, "format", "", "csv, xlsx, hxl, json or text (default: from -o)")
	c.Flags().StringVar(&level, "level", "public", "public, team (adds addresses) or restricted (adds contacts; coordinators and reviewers)")
	c.Flags().StringVar(&lang, "lang", "zh-CN", "language of the text format: zh-CN or en")
	c.Flags().BoolVar(&unpublished, "include-unpublished", false, "include demands not yet published (practice networks)")
	return c
}
