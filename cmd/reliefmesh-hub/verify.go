package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reliefmesh/reliefmesh/bulletin"
	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

func newVerify(g *globals) *cobra.Command {
	var sigFile, network string
	c := &cobra.Command{
		Use:   "verify FILE [--sig FILE.sig] [--network ID]",
		Short: "Check a bulletin's signature offline: who signed it, with which role, endorsed by whom",
		Long: `Verify checks that FILE is the bulletin a member of a ReliefMesh network signed,
unchanged, from its signature FILE.sig (written beside it by export; --sig
names another). It needs no network: the .sig carries the signed member
changes that admitted the signer, up to the network's founder, and the
founder's key must hash to the network id. With --network, the bulletin must
come from that network (the id in a join code or in the XLSX's metadata
sheet). When --data-dir holds this device's store of the same network (and no
hub is serving it), a signer this device knows to be revoked is refused too.

It prints who signed, with which role, and who endorsed them up to the
founder; or exactly what failed (a changed file, an unknown or swapped
signer, a missing link in the chain, another network, a revoked signer),
and exits with status 1.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file := args[0]
			sp := g.speaker()
			if sigFile == "" {
				sigFile = file + bulletin.SigExt
			}
			data, err := os.ReadFile(file)
			if err != nil {
				return sp.errorf("verify.read", file, err)
			}
			sig, err := os.ReadFile(sigFile)
			if errors.Is(err, fs.ErrNotExist) {
				return sp.errorf("verify.nosig", file, sigFile)
			}
			if err != nil {
				return sp.errorf("verify.read", sigFile, err)
			}
			v, local, notes, err := g.verify(data, sig, network, sp)
			for _, n := range notes {
				fmt.Fprintln(cmd.ErrOrStderr(), n)
			}
			if err != nil {
				return errors.New(sp.t("notverified", filepath.Base(file), verifyWhy(sp, err)))
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s\n%s\n", sp.t("verified", filepath.Base(file)), describeVerified(v, sp))
			if local {
				fmt.Fprintln(cmd.OutOrStdout(), sp.t("verify.local"))
			}
			return nil
		},
	}
	c.Flags().StringVar(&sigFile, "sig", "", "the signature file (default: FILE.sig)")
	c.Flags().StringVar(&network, "network", "", "the network id the bulletin must come from")
	return c
}

// verify checks a bulletin against its .sig: with this device's roster as
// well when the data dir holds a store of the bulletin's network that no hub
// is serving (local is then true), else from the two files alone. notes
// warn, in sp's language, of what this device's store knows beyond the two
// files: the bulletin comes from another network than this device's, or its
// signer was demoted since they signed.
func (g *globals) verify(data, sig []byte, network string, sp speaker) (v bulletin.Verified, local bool, notes []string, err error) {
	s, derr := bulletin.DecodeSig(sig)
	if derr == nil && g.checkDevice() == nil {
		if hub, _ := g.hub(); hub == nil {
			if st, err := openStore(g.dataDir, store.Options{SkipDemandList: true}, sp); err == nil {
				defer st.Close()
				if n, ok := st.Network(); ok && n.ID == s.Network {
					v, err := desk.New(st).VerifyBulletin(data, sig, network)
					if err == nil {
						if m, ok := st.Member(v.Signer.Key); ok && !m.Revoked && m.Role != v.Signer.Role && roleChange(v.Signer.Role, m.Role) == "demoted" {
							notes = append(notes, sp.t("verify.demoted", describeWho(v.Signer), sp.label("role", string(v.Signer.Role)), sp.label("role", string(m.Role))))
						}
					}
					return v, true, notes, err
				} else if ok {
					notes = append(notes, sp.t("verify.othernet", s.Network, n.Name, n.ID))
				}
			}
		}
	}
	v, err = bulletin.Verify(data, sig, bulletin.VerifyOptions{Network: network})
	return v, false, notes, err
}

// describeVerified says in sp's language who signed a verified bulletin, as
// bulletin.Verified.Describe does in English: the signer with their role,
// who endorsed them up to the founder, when, and who was revoked since.
func describeVerified(v bulletin.Verified, sp speaker) string {
	who := describeWho
	var b strings.Builder
	b.WriteString(sp.t("verify.signer", who(v.Signer), sp.label("role", string(v.Signer.Role))))
	for _, m := range v.Chain[1:] {
		b.WriteString(sp.t("verify.endorser", who(m), sp.label("role", string(m.Role))))
	}
	b.WriteString(sp.t("verify.founder", v.Network))
	if !v.SignedAt.IsZero() {
		b.WriteString(sp.t("verify.at", v.SignedAt.In(relief.IncidentZone).Format("2006-01-02 15:04 UTC+8")))
	}
	for _, m := range v.Revoked {
		b.WriteString(sp.t("verify.later", who(m)))
	}
	return b.String()
}

// describeWho names a member: "name (short id)", or the short id.
func describeWho(m relief.Member) string {
	if m.Name == "" {
		return m.Key.Short()
	}
	return m.Name + " (" + m.Key.Short() + ")"
}
