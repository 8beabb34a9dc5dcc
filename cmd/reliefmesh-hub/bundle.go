package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

func newBundle(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "bundle",
		Short: "Carry changes on a file (USB stick) between sites no network reaches",
	}
	c.AddCommand(newBundleExport(g), newBundleImport(g), newBundleVV(g))
	return c
}

func newBundleExport(g *globals) *cobra.Command {
	var out, sinceFile, forMember, rel, relSums, relSig string
	var keyFiles []string
	c := &cobra.Command{
		Use:   "export -o FILE [--since-file VV.cbor | --for MEMBER_ID] [--release INSTALLER]",
		Short: "Write the changes another site lacks (default: everything) to FILE",
		Long: "Write a bundle of changes to FILE. --since-file takes the other site's version vector\n" +
			"(written there by `bundle vv -o VV.cbor`); --for takes a member id and uses what this\n" +
			"device last knew that member to hold (after a sync). Without either, everything.\n" +
			"--release adds a release file (an installer, a hub binary) with the release's SHA256SUMS\n" +
			"and SHA256SUMS.minisig (beside it, or --sums and --sig): the site that imports the bundle\n" +
			"is told whether the maintainers signed it and keeps it to install; nothing installs itself.\n" +
			"An older reader imports the bundle's changes as before and leaves the release unread.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sp := g.speaker()
			if out == "" {
				return sp.errorf("bundle.needout")
			}
			if sinceFile != "" && forMember != "" {
				return sp.errorf("bundle.sinceorfor")
			}
			if rel != "" {
				// a release that cannot be carried is refused before the
				// bundle is written, not found out at the other site
				if err := checkRelease(cmd.ErrOrStderr(), rel, relSums, relSig, keyFiles, g.speaker()); err != nil {
					return err
				}
			}
			var since ledger.VersionVector
			var forID ledger.DeviceID
			switch {
			case sinceFile != "":
				b, err := os.ReadFile(sinceFile)
				if err != nil {
					return sp.errorf("bundle.sincefile", err)
				}
				if err := ledger.Unmarshal(b, &since); err != nil {
					return sp.errorf("bundle.notvv", sinceFile, err)
				}
			case forMember != "":
				d, err := ledger.ParseDeviceID(forMember)
				if err != nil {
					return sp.errorf("bundle.for", err)
				}
				forID = d
			}
			hub, err := g.hub()
			if err != nil {
				return err
			}
			if hub != nil {
				n, err := exportFromHub(cmd, hub, out, since, forMember, sp)
				if err != nil {
					return sp.errorf("bundle.exportfail", out, err)
				}
				fmt.Fprintln(cmd.OutOrStdout(), sp.t("bundle.wrote", n, out))
				return withRelease(cmd, out, rel, relSums, relSig, sp)
			}
			dk, done, err := g.openReader()
			if err != nil {
				return err
			}
			defer done()
			if forMember != "" {
				vv, ok := dk.PeerVersionVector(forID)
				if !ok {
					fmt.Fprintln(cmd.ErrOrStderr(), sp.t("bundle.neversynced", forID.Short()))
				}
				since = vv
			}
			h, err := dk.ExportBundleFile(out, since)
			if err != nil {
				return sp.errorf("bundle.exportfail", out, err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), sp.t("bundle.wrote", h.Count, out))
			return withRelease(cmd, out, rel, relSums, relSig, sp)
		},
	}
	c.Flags().StringVar(&rel, "release", "", "carry this release file (installer or binary) in the bundle, with its signed sums")
	c.Flags().StringVar(&relSums, "sums", "", "the release's SHA256SUMS (default: beside --release)")
	c.Flags().StringVar(&relSig, "sig", "", "the sums' signature (default: the sums' path + .minisig)")
	c.Flags().StringArrayVar(&keyFiles, "key", nil, "also trust this minisign public key file when checking the release's signature before it is carried (repeatable)")
	c.Flags().StringVarP(&out, "output", "o", "", "the bundle file to write")
	c.Flags().StringVar(&sinceFile, "since-file", "", "export only what this version vector (CBOR, from 'bundle vv') lacks")
	c.Flags().StringVar(&forMember, "for", "", "export only what this member lacked when last synced")
	return c
}

// withRelease appends rel (when given) to the bundle out and says so.
func withRelease(cmd *cobra.Command, out, rel, sums, sig string, sp speaker) error {
	if rel == "" {
		return nil
	}
	if err := appendRelease(cmd.ErrOrStderr(), out, rel, sums, sig, sp); err != nil {
		return err
	}
	fmt.Fprintln(cmd.OutOrStdout(), sp.t("bundle.release", filepath.Base(rel), out))
	return nil
}

func newBundleImport(g *globals) *cobra.Command {
	var keyFiles []string
	c := &cobra.Command{
		Use:   "import FILE",
		Short: "Verify and apply the changes of a bundle file (importing twice changes nothing)",
		Long: "Verify and apply the changes of a bundle file. A release the bundle carries (bundle\n" +
			"export --release) is checked against the maintainers' keys: a verified one is kept in\n" +
			"DATA/releases to install when you decide; one that is not verified is removed, and\n" +
			"either way it says why. Nothing installs itself.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, k := range keyFiles { // before anything is imported, not after
				if _, err := os.Stat(k); err != nil {
					return g.speaker().errorf("bundle.key", err)
				}
			}
			f, err := os.Open(args[0])
			if errors.Is(err, fs.ErrNotExist) {
				return g.speaker().errorf("bundle.missing", args[0], err)
			} else if err != nil {
				return g.speaker().errorf("bundle.unreadable", args[0], err)
			}
			defer f.Close()
			hub, err := g.hub()
			if err != nil {
				return err
			}
			if hub != nil {
				if err := importThroughHub(cmd, hub, f, args[0], g.speaker()); err != nil {
					return err
				}
				_, err := carriedRelease(cmd.OutOrStdout(), args[0], filepath.Join(g.dataDir, "releases"), keyFiles, g.speaker())
				return err
			}
			dk, done, err := g.openDesk()
			if err != nil {
				return err
			}
			defer done()
			h, err := bundle.ReadHeader(f)
			if err != nil && !headerOnlyDamaged(err) { // a damaged header: the changes after it are read all the same
				return g.speaker().errorf("bundle.file", args[0], err)
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return err
			}
			bar := progressbar.NewOptions64(int64(h.Count),
				progressbar.OptionSetWriter(cmd.ErrOrStderr()),
				progressbar.OptionSetDescription(g.speaker().t("progress.bundle")),
				progressbar.OptionShowCount(),
				progressbar.OptionThrottle(100_000_000),
				progressbar.OptionClearOnFinish())
			res, err := dk.ImportBundle(f, func(p bundle.Progress) { bar.Set(p.Received) })
			bar.Finish()
			if err == nil || res.Received > 0 { // nothing to say before an error when nothing was read
				fmt.Fprintln(cmd.OutOrStdout(), g.speaker().t("bundle.summary", args[0], res.Received, res.Applied, res.Duplicates, res.Held, sum(desk.Refused(res))))
				if res.RefusedAgain > 0 {
					fmt.Fprintln(cmd.OutOrStdout(), g.speaker().t("bundle.again", res.RefusedAgain))
				}
			}
			if errors.Is(err, bundle.ErrOtherNetwork) {
				return otherNetworkError(g.speaker(), args[0], res.Header.Network, err)
			}
			if err != nil {
				return g.speaker().errorf("bundle.file", args[0], err)
			}
			if dk.Storage().Recovering != "" { // the import wrote, yet writing stays paused
				fmt.Fprintln(cmd.OutOrStdout(), g.speaker().t("bundle.paused"))
			}
			_, err = carriedRelease(cmd.OutOrStdout(), args[0], filepath.Join(g.dataDir, "releases"), keyFiles, g.speaker())
			return err
		},
	}
	c.Flags().StringArrayVar(&keyFiles, "key", nil, "also trust this minisign public key file for a carried release (repeatable; named as not the maintainers')")
	return c
}

func newBundleVV(g *globals) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "vv -o FILE",
		Short: "Write this device's version vector (CBOR), for the other site's `bundle export --since-file`",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return g.speaker().errorf("bundle.needvvout")
			}
			hub, err := g.hub()
			if err != nil {
				return err
			}
			var b []byte
			if hub != nil {
				resp, err := hub.do(cmd.Context(), "GET", "/v0/bundle/vv", "", nil)
				if err != nil {
					return err
				}
				defer resp.Body.Close()
				if b, err = io.ReadAll(resp.Body); err != nil {
					return g.speaker().errorf("bundle.vvfromhub", err)
				}
			} else {
				dk, done, err := g.openReader()
				if err != nil {
					return err
				}
				defer done()
				if b, err = ledger.Marshal(dk.VersionVector()); err != nil {
					return err
				}
			}
			return os.WriteFile(out, b, 0o644)
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "the file to write")
	return c
}

func sum[K comparable](m map[K]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if os.IsPathSeparator(path[i]) {
			return path[:i+1]
		}
	}
	return "."
}

// exportFromHub streams a bundle from the hub serving the data dir into out
// (through a temporary file, renamed only when the hub says the export
// completed) and returns how many changes it holds.
func exportFromHub(cmd *cobra.Command, hub *hubClient, out string, since ledger.VersionVector, forMember string, sp speaker) (uint64, error) {
	var body []byte
	if since != nil {
		var err error
		if body, err = ledger.Marshal(since); err != nil {
			return 0, err
		}
	}
	path := "/v0/bundle/export"
	if forMember != "" {
		path += "?for=" + url.QueryEscape(forMember)
	}
	resp, err := hub.do(cmd.Context(), "POST", path, "application/cbor", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if who := resp.Header.Get("Bundle-Never-Synced"); who != "" {
		fmt.Fprintln(cmd.ErrOrStderr(), sp.t("bundle.neversynced", who))
	} else if note := resp.Header.Get("Bundle-Note"); note != "" { // a hub of an older version
		fmt.Fprintln(cmd.ErrOrStderr(), note)
	}
	f, err := os.CreateTemp(dirOf(out), ".bundle-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	_, err = io.Copy(f, resp.Body)
	if err == nil {
		if e := resp.Trailer.Get("Bundle-Error"); e != "" {
			err = errors.New(e)
		}
	}
	var n uint64
	if err == nil {
		n, err = strconv.ParseUint(resp.Trailer.Get("Bundle-Count"), 10, 64)
		if err != nil {
			err = sp.errorf("bundle.hubcut", err)
		}
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), out)
	}
	return n, err
}

// headerOnlyDamaged says whether err (of bundle.ReadHeader) is a header
// whose bytes are damaged, after which Import still reads the changes.
func headerOnlyDamaged(err error) bool {
	var fe *bundle.FileError
	return errors.As(err, &fe) && fe.Kind == bundle.FileCorrupt
}

// importThroughHub streams the bundle f (named name) to the hub serving the
// data dir, which applies it, and prints what it did.
func importThroughHub(cmd *cobra.Command, hub *hubClient, f *os.File, name string, sp speaker) error {
	h, err := bundle.ReadHeader(f)
	if err != nil && !headerOnlyDamaged(err) { // a damaged header: the hub reads the changes after it
		return sp.errorf("bundle.file", name, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	fmt.Fprintln(cmd.ErrOrStderr(), sp.t("bundle.sending", name, h.Count))
	resp, err := hub.do(cmd.Context(), "POST", "/v0/bundle/import", "application/octet-stream", f)
	if err != nil {
		return sp.errorf("bundle.file", name, err)
	}
	defer resp.Body.Close()
	var res importResult
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return sp.errorf("bundle.hubanswer", name, err)
	}
	if res.Error != "" && res.Received == 0 && res.Damage == nil {
		// refused before a change was read (another network's bundle, not a
		// bundle): no "0 changes: 0 applied …" line that reads like a success
		if res.Code == desk.CodeBundleOtherNetwork && res.Network != "" {
			return otherNetworkError(sp, name, res.Network, &codedError{msg: res.Error, code: res.Code})
		}
		return sp.errorf("bundle.file", name, &codedError{msg: res.Error, code: res.Code})
	}
	fmt.Fprintln(cmd.OutOrStdout(), sp.t("bundle.summary", name, res.Received, res.Applied, res.Duplicates, res.Held, res.Refused))
	if res.RefusedAgain > 0 { // as the import without a serving hub says it
		fmt.Fprintln(cmd.OutOrStdout(), sp.t("bundle.again", res.RefusedAgain))
	}
	if d := res.Damage; d != nil {
		return sp.errorf("bundle.file", name, d.fileError(nil)) // its text is res.Error's
	}
	if res.Error != "" {
		return sp.errorf("bundle.file", name, &codedError{msg: res.Error, code: res.Code})
	}
	return nil
}

// otherNetworkError is the bundle file name refused as a bundle of the
// network netID, said in sp's language with the short form of that id
// (desk.ShortID, as the app says it) instead of both whole ids in English;
// it wraps err (bundle.ErrOtherNetwork, or the serving hub's answer with
// desk.CodeBundleOtherNetwork), so the hint after it (explainInput) stays.
func otherNetworkError(sp speaker, name, netID string, err error) error {
	return &saidError{msg: sp.t("bundle.othernet", name, desk.ShortID(netID)), err: err}
}

// saidError is an error said in the person's language (msg) that wraps the
// error it says, for errors.Is and As.
type saidError struct {
	msg string
	err error
}

func (e *saidError) Error() string { return e.msg }
func (e *saidError) Unwrap() error { return e.err }
