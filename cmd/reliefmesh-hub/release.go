package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/reliefmesh/reliefmesh/internal/release"
)

func newVerifyRelease(g *globals) *cobra.Command {
	var sumsPath, sigPath string
	var keyFiles []string
	c := &cobra.Command{
		Use:   "verify-release FILE [--sums SHA256SUMS] [--sig SHA256SUMS.minisig]",
		Short: "Check a ReliefMesh release file (carried on a USB stick) against the maintainers' signed SHA-256 sums",
		Long: `verify-release checks that FILE (an installer, a zip, a hub binary) is part of a
ReliefMesh release: the release's SHA256SUMS must be signed (SHA256SUMS.minisig,
minisign's format, ed25519) by one of the maintainers' keys built into this
program, and must list FILE's SHA-256 (under any name: a renamed copy is found
by its content). No network is needed. By default SHA256SUMS and its signature
are looked for beside FILE. It says in words what it found and exits with
status 1 when FILE is not verified. --key adds a trusted public key (a
minisign .pub file); a release signed by it is named as NOT the maintainers'.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file := args[0]
			sp := g.speaker()
			if sumsPath == "" {
				sumsPath = filepath.Join(filepath.Dir(file), release.SumsFile)
			}
			if sigPath == "" {
				sigPath = sumsPath + ".minisig"
			}
			keys, err := release.Maintainers()
			if err != nil {
				return err
			}
			for _, kf := range keyFiles {
				text, err := os.ReadFile(kf)
				if err != nil {
					return sp.errorf("release.read", err)
				}
				more, err := release.ParseKeys(text, kf)
				if err != nil {
					return sp.errorf("release.err", err)
				}
				keys = append(keys, more...)
			}
			sums, err := os.ReadFile(sumsPath)
			if errors.Is(err, fs.ErrNotExist) {
				return sp.errorf("release.nosumsfile", release.SumsFile, sumsPath, release.SigFile, file)
			} else if err != nil {
				return sp.errorf("release.err", err)
			}
			sig, err := os.ReadFile(sigPath)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return sp.errorf("release.err", err)
			}
			v, err := release.Check(file, sums, sig, keys)
			if err != nil {
				return sp.errorf("release.err", err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), verdictWords(v, sp))
			if v.Outcome != release.Verified {
				return sp.errorf("release.notverified", file)
			}
			return nil
		},
	}
	c.Flags().StringVar(&sumsPath, "sums", "", "the release's SHA256SUMS (default: beside FILE)")
	c.Flags().StringVar(&sigPath, "sig", "", "its signature (default: the sums' path + .minisig)")
	c.Flags().StringArrayVar(&keyFiles, "key", nil, "also trust this minisign public key file (repeatable; named as not the maintainers')")
	return c
}
