package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

type globals struct{ dataDir string }

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "reliefmesh-hub",
		Short:         "Headless ReliefMesh node: hubs, scripting, status",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.dataDir, "data-dir", store.DefaultDataDir(),
		"data directory holding the store and the device key (env "+store.EnvDataDir+")")
	root.AddCommand(newInit(g), newStatus(g), newEndorse(g))
	return root
}

func (g *globals) open() (*store.Store, error) { return store.Open(g.dataDir, store.Options{}) }

func newInit(g *globals) *cobra.Command {
	var name, member string
	c := &cobra.Command{
		Use:   "init --name INCIDENT --member-name YOUR_NAME",
		Short: "Create a network (one incident) with this device as its first coordinator",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if strings.TrimSpace(name) == "" {
				return fmt.Errorf("--name: the incident's name is required")
			}
			if strings.TrimSpace(member) == "" {
				member = "hub"
			}
			st, err := g.open()
			if err != nil {
				return err
			}
			defer st.Close()
			n, err := st.CreateNetwork(strings.TrimSpace(name), strings.TrimSpace(member))
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created network %q (%s)\nmember id: %s\n", n.Name, n.ID, st.Device())
			return nil
		},
	}
	c.Flags().StringVar(&name, "name", "", "the incident's name")
	c.Flags().StringVar(&member, "member-name", "", "your name as members will see it (default \"hub\")")
	return c
}

func newStatus(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "status",
		Short: "Print this device's id, its network, role, demand counts, members and version vector",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := g.open()
			if err != nil {
				return err
			}
			defer st.Close()
			s := st.Status()
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(s)
			}
			printStatus(cmd.OutOrStdout(), s)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON for scripts")
	return c
}

func printStatus(w io.Writer, s store.Status) {
	fmt.Fprintf(w, "device:   %s\n", s.Device)
	if s.Network == nil {
		fmt.Fprintln(w, "network:  none yet (reliefmesh-hub init --name INCIDENT)")
	} else {
		fmt.Fprintf(w, "network:  %s (%s)\n", s.Network.Name, s.Network.ID)
	}
	if s.Role != "" {
		fmt.Fprintf(w, "role:     %s\n", s.Role)
	}
	fmt.Fprintf(w, "members:  %d\n", s.Members)
	fmt.Fprintf(w, "demands:  %d\n", s.Demands)
	statuses := make([]string, 0, len(s.DemandsByStatus))
	for k := range s.DemandsByStatus {
		statuses = append(statuses, k)
	}
	sort.Strings(statuses)
	for _, k := range statuses {
		fmt.Fprintf(w, "  %-12s %d\n", k, s.DemandsByStatus[k])
	}
	fmt.Fprintf(w, "feeds:    %d\n", len(s.VersionVector))
}

func newEndorse(g *globals) *cobra.Command {
	var role, name string
	c := &cobra.Command{
		Use:   "endorse MEMBER_ID --role ROLE [--name NAME]",
		Short: "Vouch for a new member's key with a role (coordinator, reviewer, volunteer, observer)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			key, err := ledger.ParseDeviceID(args[0])
			if err != nil {
				return err
			}
			r := relief.Role(role)
			if !r.Valid() {
				return fmt.Errorf("--role %q: want coordinator, reviewer, volunteer or observer", role)
			}
			st, err := g.open()
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.Endorse(key, r, name); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "endorsed %s as %s\n", key, r)
			return nil
		},
	}
	c.Flags().StringVar(&role, "role", "volunteer", "the role to give")
	c.Flags().StringVar(&name, "name", "", "the member's name")
	return c
}
