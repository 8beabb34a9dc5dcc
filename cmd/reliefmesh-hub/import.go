package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/reliefmesh/reliefmesh/bulletin"
	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/internal/atomicfile"
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
or value that could not be used is listed with its file, row and field.

Every file is read before anything is written: a file that cannot be read
stops the import, and nothing is imported. --dry-run says what the import
would create, update, hold, skip and flag, and writes nothing. Ctrl-C while the
files are read writes nothing; during the import it stops between batches of
` + strconv.Itoa(importer.BatchSize) + ` records, says how many were applied, and exits with status 1
(run the same import again to add the rest); a second Ctrl-C ends at once.
While ` + "`serve`" + ` runs, the import goes through its control socket, and Ctrl-C
stops it there the same way.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Ctrl-C (or SIGTERM) from the start: while the files are read
			// nothing is written; during the import it stops between batches.
			// A second Ctrl-C ends the process (the handler is removed once
			// the first arrived).
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			go func() { <-ctx.Done(); stop() }()
			sp := g.speaker()
			if err := checkKind(kind, sp); err != nil {
				return err
			}
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
					return sp.errorf("import.mapping", mappingFile, err)
				}
				opts.Mapping = &m
			}
			if err := refuseBundles(args, sp); err != nil {
				return err
			}
			recs, probs, err := readImportFiles(ctx, args, opts, cmd.ErrOrStderr(), asJSON, sp)
			if err != nil {
				return err
			}
			var samples []importer.Sample
			if dryRun { // what an import would cut to the limits (an import reports its cuts itself)
				for _, r := range recs {
					probs = append(probs, importer.Cuts(r)...)
				}
				// the first rows as decoded: a wrong encoding shows before anything is written
				for _, f := range args {
					s, err := importer.SampleFile(f, sampleRows)
					if err != nil {
						return err
					}
					samples = append(samples, s...)
				}
			}
			out := cmd.OutOrStdout()
			var rep importer.Report
			hub, err := g.hub()
			if err != nil {
				return err
			}
			done, interrupted, hubStopped := 0, false, false
			stopped := func() error {
				if hubStopped {
					return hubStoppedError(done, len(recs), g.speaker())
				}
				return interruptedError(done, len(recs), g.speaker())
			}
			switch {
			case hub != nil:
				if !asJSON {
					key := "progress.viahub"
					if dryRun {
						key = "progress.viahub.plan"
					}
					fmt.Fprintln(cmd.ErrOrStderr(), sp.t(key, len(recs), g.dataDir))
				}
				var ans importAnswer
				ans, err = hub.importRecords(ctx, cmd.Context(), recs, dryRun, sp)
				rep, done, interrupted = ans.Report, ans.Applied, ans.Interrupted
				if err != nil {
					return err
				}
				hubStopped = ans.HubStopped
			default:
				st, err := g.openExisting()
				if err != nil {
					return err
				}
				defer st.Close()
				dk := desk.New(st)
				if dryRun {
					rep, err = dk.PlanImport(ctx, recs)
					if err != nil && ctx.Err() != nil {
						return sp.errorf("import.dryinterrupt")
					}
					if err != nil {
						return err
					}
					break
				}
				prog := newImportProgress(cmd.ErrOrStderr(), len(recs), asJSON, sp)
				rep, err = dk.Import(ctx, recs, func(n, total int) {
					done = n
					prog.update(n)
				})
				prog.finish()
				if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
					interrupted = true
				} else if err != nil {
					return err
				}
			}
			rep.AddReadProblems(probs)
			rep = nonNullReport(rep)
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				err := enc.Encode(struct {
					Records     int               `json:"records"`
					DryRun      bool              `json:"dry_run"`
					Interrupted bool              `json:"interrupted"` // stopped by Ctrl-C: only report's writes were made
					Report      importer.Report   `json:"report"`
					Samples     []importer.Sample `json:"samples,omitempty"` // dry run: the first rows of each table as decoded
				}{len(recs), dryRun, interrupted, rep, samples})
				if interrupted {
					return stopped()
				}
				return err
			}
			if interrupted {
				printImport(out, recs, rep, false, g.speaker())
				return stopped()
			}
			printSamples(out, samples, sp)
			printImport(out, recs, rep, dryRun, g.speaker())
			return nil
		},
	}
	c.Flags().StringVar(&mappingFile, "mapping", "", "a column mapping (JSON, see importer.Mapping) to use instead of the suggested one")
	c.Flags().BoolVar(&dryRun, "dry-run", false, "report what the import would create, update, hold, skip and flag; write nothing")
	c.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	c.Flags().StringVar(&kind, "kind", "", "treat every record as a demand or an offer: "+strings.Join(importKinds, " or ")+" (default: guessed per file)")
	c.Flags().BoolVar(&oneIsCount, "one-is-count", false, "read a quantity of 1 as one piece, not as \"needed\" (the 2020 sheets' convention)")
	return c
}

// importKinds are the values --kind accepts.
var importKinds = []string{relief.KindDemand, relief.KindOffer}

// checkKind refuses a --kind that is neither a demand nor an offer ("" lets
// the files decide).
func checkKind(kind string, sp speaker) error {
	if kind == "" || slices.Contains(importKinds, kind) {
		return nil
	}
	return sp.errorf("import.kind", kind, strings.Join(importKinds, sp.t("import.kind.or")))
}

// interruptedError says that an import stopped after done of total records,
// in sp's language.
func interruptedError(done, total int, sp speaker) error {
	return errors.New(sp.t("import.interrupted", done, total, total-done))
}

// hubStoppedError says, in sp's language, that the hub serving the data
// directory stopped (SIGTERM, Ctrl-C on serve) part way through an import:
// done of total records were written.
func hubStoppedError(done, total int, sp speaker) error {
	return errors.New(sp.t("import.hubstopped", done, total, total-done))
}

// readImportFiles reads every file of an import (importer.ReadFile) before
// anything is written. A file that cannot be read stops the whole import
// before any write (the other files are still read, so that every bad file
// is named at once): the error says that nothing was imported and names the
// files that were readable. When ctx ends while a file is read, it returns at
// once saying nothing was written (the file's reading goroutine finishes on
// its own and its result is dropped).
func readImportFiles(ctx context.Context, files []string, opts importer.Options, stderr io.Writer, quiet bool, sp speaker) ([]importer.Record, []importer.Problem, error) {
	type result struct {
		recs  []importer.Record
		probs []importer.Problem
		err   error
	}
	var recs []importer.Record
	var probs []importer.Problem
	var bad []string
	var good []string
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && fi.Size() > 1<<20 && !quiet {
			fmt.Fprintln(stderr, sp.t("progress.reading", f, float64(fi.Size())/1e6))
		}
		ch := make(chan result, 1)
		go func() {
			r, p, err := importer.ReadFile(f, opts)
			ch <- result{r, p, err}
		}()
		var res result
		select {
		case res = <-ch:
		case <-ctx.Done():
			return nil, nil, sp.errorf("import.readinterrupt", f)
		}
		if res.err != nil {
			bad = append(bad, fileReadError(sp, f, res.err))
			continue
		}
		good = append(good, sp.t("import.goodfile", f, len(res.recs)))
		recs = append(recs, res.recs...)
		probs = append(probs, res.probs...)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, sp.errorf("import.interrupted0")
	}
	if len(bad) > 0 {
		msg := sp.t("import.unreadable", strings.Join(bad, "; "))
		if len(good) > 0 {
			msg += sp.t("import.goodtoo", strings.Join(good, ", "))
		}
		return nil, nil, errors.New(msg)
	}
	return recs, probs, nil
}

// fileReadError says why the file f could not be read for an import, in
// sp's language: not there, not allowed, a folder; any other error (the
// importer's, which names the file and the line) as it is, after a sentence
// of ours in Chinese.
func fileReadError(sp speaker, f string, err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return sp.t("import.file.missing", f)
	case errors.Is(err, fs.ErrPermission):
		return sp.t("import.file.denied", f)
	}
	if fi, serr := os.Stat(f); serr == nil && fi.IsDir() {
		return sp.t("import.file.dir", f)
	}
	return sp.t("import.file.other", err.Error())
}

// nonNullReport returns rep with every list empty instead of nil, so that
// its JSON never holds null for a list.
func nonNullReport(rep importer.Report) importer.Report {
	rep.IDs = nonNil(rep.IDs)
	rep.Duplicates = nonNil(rep.Duplicates)
	rep.Updates = nonNil(rep.Updates)
	rep.Problems = nonNil(rep.Problems)
	for i := range rep.Duplicates {
		rep.Duplicates[i].Reasons = nonNil(rep.Duplicates[i].Reasons)
	}
	for i := range rep.Updates {
		rep.Updates[i].Fields = nonNil(rep.Updates[i].Fields)
	}
	return rep
}

// nonNil returns s, or an empty slice when s is nil.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
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
	sp    speaker // says the lines
}

func newImportProgress(w io.Writer, total int, asJSON bool, sp speaker) *importProgress {
	p := &importProgress{w: w, total: total, last: time.Now(), sp: sp}
	if asJSON {
		return p
	}
	if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription(sp.t("progress.import")),
			progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
		return p
	}
	p.lines = true
	fmt.Fprintln(w, sp.t("progress.records", total))
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
		fmt.Fprintln(p.w, p.sp.t("progress.imported", done, p.total))
	}
}

func (p *importProgress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

func printImport(w io.Writer, recs []importer.Record, rep importer.Report, dryRun bool, sp speaker) {
	kinds := map[string]int{}
	for _, r := range recs {
		kinds[r.Kind]++
	}
	fmt.Fprintln(w, sp.t("import.read", len(recs), kinds[relief.KindDemand], kinds[relief.KindOffer]))
	if dryRun {
		fmt.Fprintln(w, sp.t("import.dryrun"))
	}
	fmt.Fprintln(w, sp.t("import.created", rep.Created))
	fmt.Fprintln(w, sp.t("import.updated", rep.Updated))
	fmt.Fprintln(w, sp.t("import.held", rep.Held))
	fmt.Fprintln(w, sp.t("import.flagged", rep.Flagged, importer.TagPossibleDuplicate))
	fmt.Fprintln(w, sp.t("import.skipped", rep.Skipped))
	fmt.Fprintln(w, sp.t("import.rejected", rep.Rejected))
	fmt.Fprintln(w, sp.t("import.cut", rep.Cut))
	for _, d := range rep.Duplicates {
		fmt.Fprintln(w, sp.t("import.dup", d.File, d.Row, d.Org, d.OriginalCode, d.OriginalOrg, dupReasons(sp, d.Reasons)))
	}
	for _, u := range rep.Updates {
		what := sp.t("import.u.updated")
		if u.Held {
			what = sp.t("import.u.held", updFields(sp, u.Edited))
		} else if len(u.Edited) > 0 {
			what = sp.t("import.u.kept", updFields(sp, u.Edited))
		}
		fmt.Fprintln(w, sp.t("import.upd", u.File, u.Row, u.Code, u.Org, updFields(sp, u.Fields), what))
	}
	fmt.Fprintln(w, sp.t("import.problems", len(rep.Problems)))
	for i, p := range rep.Problems {
		if i == maxProblemLines {
			break
		}
		fmt.Fprintf(w, "  %s\n", sp.problemLine(p))
	}
	if rest := rep.Problems[min(len(rep.Problems), maxProblemLines):]; len(rest) > 0 {
		// the rest counted by kind, most first: 24,000 lines scroll past
		// anyone (a tester's 8,000-row sheet); --json lists every one
		n := map[string]int{}
		for _, p := range rest {
			n[p.Code]++
		}
		codes := slices.SortedFunc(maps.Keys(n), func(a, b string) int {
			if c := cmp.Compare(n[b], n[a]); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
		parts := make([]string, len(codes))
		for i, c := range codes {
			parts[i] = fmt.Sprintf("%s %d", c, n[c])
		}
		fmt.Fprintln(w, sp.t("import.more", len(rest), strings.Join(parts, ", ")))
	}
}

// maxProblemLines is how many problems an import prints one by one; the
// rest are counted by kind (import --json lists them all).
const maxProblemLines = 200

// openForBulletin opens the store of an existing device (see openExisting)
// with only what a bulletin at level reads. A public bulletin needs the
// demand list and the roster alone (store.Options.ListOnly: on a large store
// about half the time and a fraction of the memory of opening it whole);
// team and restricted bulletins also carry each demand's duplicate flag,
// which the duplicate-key view that ListOnly skips keeps, so they open whole.
func (g *globals) openForBulletin(level relief.Level) (*store.Store, error) {
	if err := g.checkDevice(); err != nil {
		return nil, err
	}
	return g.openStore(store.Options{ListOnly: level == relief.LevelPublic})
}

func newExport(g *globals) *cobra.Command {
	var public, unpublished, noSign bool
	var outFile, format, level, lang string
	c := &cobra.Command{
		Use:   "export [--format csv|xlsx|hxl|json|text] [--level public|team|restricted] [--lang zh-CN|en] -o FILE",
		Short: "Write the bulletin: published demands, public fields only unless --level says otherwise",
		Long: `Export writes the bulletin of published and in-progress demands as CSV (UTF-8
with a BOM and an HXL hashtag row), XLSX, HXL-tagged CSV, JSON or a plain-text
summary to paste into a chat group (--lang zh-CN or en). It holds public fields
only, unless --level team (adds addresses; any member) or --level restricted
(adds contacts; coordinators and reviewers) is asked for explicitly.

--lang says the language of the bulletin: zh-CN (the default, as the
product's) or en. CSV and XLSX have their headers, statuses, categories,
urgencies and units in it (the HXL hashtag row under the header keeps them
readable by programs); XLSX adds a sheet saying when, from which network and
by whom it was exported; JSON keeps its English keys and codes and adds the
labels; the hxl format is in codes whatever the language.

Beside FILE it writes FILE.sig, this device's signature of the file with the
chain of endorsements that admitted it to the network (docs/bulletin-signature.md),
so that whoever receives both can check them offline with
` + "`reliefmesh-hub verify FILE`" + `. A device that is not a member yet writes the
bulletin unsigned and says so; --no-sign skips the signature.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// said in the hub's language (LANG), or the bulletin's when --lang
			// names it
			sp := g.speaker()
			if cmd.Flags().Changed("lang") {
				sp = speakerOf(lang)
				// this --lang hides the hub's: main prints the error
				// and its hint in the language it was said in
				g.lang = sp.lang
			}
			lvl, err := desk.ParseLevel(level)
			if err != nil {
				return cliErrorIn(sp, err)
			}
			if public && lvl != relief.LevelPublic {
				return sp.errorf("export.publiclevel", level)
			}
			if outFile == "" {
				return sp.errorf("export.needout")
			}
			if format == "" {
				format = bulletin.FormatFor(outFile)
			}
			if format == "" {
				return sp.errorf("export.format", outFile)
			}
			sign := !noSign && outFile != "-"
			sigName := ""
			if sign {
				sigName = filepath.Base(outFile) + bulletin.SigExt
			}
			hub, err := g.hub()
			if err != nil {
				return err
			}
			var out bytes.Buffer // written to the file only when the whole bulletin is ready
			var sig []byte
			var signErr error
			count, left := 0, 0
			if hub != nil {
				b, err := json.Marshal(exportRequest{Format: format, Unpublished: unpublished, Level: lvl.String(), Lang: lang, SigName: sigName})
				if err != nil {
					return err
				}
				resp, err := hub.do(cmd.Context(), "POST", "/v0/export", "application/json", bytes.NewReader(b))
				if err != nil {
					return sp.errorf("export.fail", outFile, err)
				}
				defer resp.Body.Close()
				if _, err := io.Copy(&out, resp.Body); err != nil {
					return sp.errorf("export.fromhub", outFile, err)
				}
				count, _ = strconv.Atoi(resp.Header.Get("Demand-Count"))
				left, _ = strconv.Atoi(resp.Header.Get("Unpublished-Count"))
				if sign {
					sig, signErr = hub.sign(cmd.Context(), out.Bytes(), filepath.Base(outFile))
				}
			} else {
				st, err := g.openForBulletin(lvl)
				if err != nil {
					return err
				}
				defer st.Close()
				dk := desk.New(st)
				b, err := dk.WriteBulletin(&out, desk.BulletinRequest{Format: format, Level: level, Lang: lang,
					IncludeUnpublished: unpublished, SigName: sigName})
				if err != nil {
					return sp.errorf("export.fail", outFile, cliErrorIn(sp, err))
				}
				count, left = len(b.Demands), b.Unpublished
				if sign {
					sig, signErr = dk.SignBulletin(out.Bytes(), filepath.Base(outFile), time.Now())
				}
			}
			if outFile == "-" {
				_, err = cmd.OutOrStdout().Write(out.Bytes())
				if err == nil && count == 0 {
					fmt.Fprintln(cmd.ErrOrStderr(), emptyBulletinNote(lang, left))
				}
				return err
			}
			// Team and restricted bulletins hold members' names and
			// requesters' phones: readable by this user only, as bundles.
			mode := os.FileMode(0o644)
			if lvl != relief.LevelPublic {
				mode = 0o600
			}
			if err := writePrivate(outFile, out.Bytes(), mode); err != nil {
				return sp.errorf("export.fail", outFile, err)
			}
			fmt.Fprintln(cmd.ErrOrStderr(), sp.t("export.wrote", count, sp.t("export.level."+lvl.String()), outFile))
			if count == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), emptyBulletinNote(lang, left))
			}
			switch {
			case !sign:
			case signErr != nil:
				os.Remove(outFile + bulletin.SigExt) // never leave an older signature beside the new file
				fmt.Fprintln(cmd.ErrOrStderr(), sp.t("export.notsigned", cliErrorIn(sp, signErr), sigName))
			default:
				if err := os.WriteFile(outFile+bulletin.SigExt, sig, 0o644); err != nil {
					return sp.errorf("export.signfail", outFile, err)
				}
				fmt.Fprintln(cmd.ErrOrStderr(), sp.t("export.signed", outFile+bulletin.SigExt, outFile))
			}
			return nil
		},
	}
	c.Flags().BoolVar(&public, "public", false, "public fields only (the default; kept for scripts)")
	c.Flags().StringVarP(&outFile, "output", "o", "", "output file (required; - for standard output); its extension gives the format (.hxl.csv for hxl, .txt for text)")
	c.Flags().StringVar(&format, "format", "", "csv, xlsx, hxl, json or text (default: from -o)")
	c.Flags().StringVar(&level, "level", "public", "public, team (adds addresses) or restricted (adds contacts; coordinators and reviewers)")
	c.Flags().StringVar(&lang, "lang", "zh-CN", "language of the bulletin (headers, statuses, categories, the text summary): zh-CN (the default) or en")
	c.Flags().BoolVar(&unpublished, "include-unpublished", false, "include demands not yet published (practice networks)")
	c.Flags().BoolVar(&noSign, "no-sign", false, "do not write FILE.sig, the signature that lets receivers check who wrote the bulletin")
	return c
}

// emptyBulletinNote says, in lang (zh-CN or en), why a bulletin holds no
// demand and what to do: how many demands are left out as unpublished and
// how to include them, or that there are none to publish yet.
func emptyBulletinNote(lang string, unpublished int) string {
	sp := speakerOf(langZH)
	if lang == "en" {
		sp = speakerOf(langEN)
	}
	if unpublished > 0 {
		return sp.t("export.empty.unpublished", unpublished)
	}
	return sp.t("export.empty")
}

// sampleRows is how many data rows of each table import --dry-run prints.
const sampleRows = 3

// sampleCell is how many characters of a cell import --dry-run prints.
const sampleCell = 24

// printSamples prints each table's encoding, header and first rows as
// decoded, so that garbled text is seen before an import writes it.
func printSamples(w io.Writer, samples []importer.Sample, sp speaker) {
	for _, s := range samples {
		name := s.File
		if s.Sheet != "" {
			name += sp.t("import.sheet", s.Sheet)
		}
		fmt.Fprintln(w, sp.t("import.encoding", name, s.Encoding))
		if s.HeaderRow > 0 {
			fmt.Fprintln(w, sp.t("import.header", s.HeaderRow, sampleLine(s.Headers)))
		}
		for _, r := range s.Rows {
			fmt.Fprintln(w, sp.t("import.row", r.Num, sampleLine(r.Cells)))
		}
	}
}

// sampleLine joins cells with " | ", each cut to sampleCell characters and
// on one line.
func sampleLine(cells []string) string {
	out := make([]string, len(cells))
	for i, c := range cells {
		c = strings.Join(strings.Fields(c), " ")
		if r := []rune(c); len(r) > sampleCell {
			c = string(r[:sampleCell]) + "…"
		}
		out[i] = c
	}
	return strings.Join(out, " | ")
}

// writePrivate writes b to path with mode, atomically (atomicfile): into a
// temporary file beside it, renamed into place once written and closed, so
// that a failed write (a full disk) never leaves an empty or partial file
// under the name asked for, nor an older file half overwritten. The file
// gets mode also when an older one of that name was readable by all (a
// restricted bulletin written over a public one). Errors: the file
// system's; nothing is left behind then.
func writePrivate(path string, b []byte, mode os.FileMode) error {
	return atomicfile.WriteBytes(path, b, mode)
}
