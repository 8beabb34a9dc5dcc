// Command relsign signs a release's SHA256SUMS for `make dist`: it writes
// SUMS.minisig beside SUMS, a minisign signature by the ed25519 key in the
// file -key (minisign's secret key format; encrypted keys take their
// password from the environment variable RELIEFMESH_RELEASE_KEY_PASSWORD),
// with -comment as the signed (trusted) comment.
//
//	go run ./internal/tools/relsign -key reliefmesh.key -comment "reliefmesh 0.1.0" dist/SHA256SUMS
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/reliefmesh/reliefmesh/internal/release"
)

func main() {
	key := flag.String("key", os.Getenv("RELIEFMESH_RELEASE_KEY"), "minisign secret key file (env RELIEFMESH_RELEASE_KEY)")
	comment := flag.String("comment", "reliefmesh", "trusted comment signed with the sums, e.g. \"reliefmesh 0.1.0\"")
	flag.Parse()
	if flag.NArg() != 1 || *key == "" {
		fmt.Fprintln(os.Stderr, "usage: relsign -key KEYFILE [-comment TEXT] SHA256SUMS")
		os.Exit(2)
	}
	if err := run(*key, *comment, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "relsign:", err)
		os.Exit(1)
	}
}

// run signs the file sums with the key in keyFile into sums + ".minisig".
func run(keyFile, comment, sums string) error {
	keyText, err := os.ReadFile(keyFile)
	if err != nil {
		return fmt.Errorf("read the signing key: %w", err)
	}
	data, err := os.ReadFile(sums)
	if err != nil {
		return fmt.Errorf("read the sums: %w", err)
	}
	if _, err := release.ParseSums(data); err != nil {
		return err
	}
	sig, err := release.Sign(data, keyText, os.Getenv("RELIEFMESH_RELEASE_KEY_PASSWORD"), comment)
	if err != nil {
		return fmt.Errorf("sign %s with %s: %w", sums, keyFile, err)
	}
	if err := os.WriteFile(sums+".minisig", sig, 0o644); err != nil {
		return fmt.Errorf("write the signature: %w", err)
	}
	fmt.Printf("relsign: signed %s with key %s into %s.minisig\n", sums, keyFile, sums)
	return nil
}
