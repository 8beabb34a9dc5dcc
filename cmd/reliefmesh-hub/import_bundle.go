package main

import (
	"io"
	"os"

	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// refuseBundles returns an error for the first of files that is a bundle
// (it starts with bundle.Magic, whatever its name), saying to use `bundle
// import`: `import` reads tables, and would otherwise say that the file has
// no column naming an organisation. Files that cannot be read are left to
// the import, which says why; so are named pipes and devices, which are
// not sniffed.
func refuseBundles(files []string, sp speaker) error {
	for _, f := range files {
		// only regular files: a named pipe would block here, out of Ctrl-C's
		// reach, and the bytes read would be lost to the import
		if fi, err := os.Stat(f); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		fh, err := os.Open(f)
		if err != nil {
			continue
		}
		head := make([]byte, len(bundle.Magic))
		_, err = io.ReadFull(fh, head)
		fh.Close()
		if err == nil && string(head) == bundle.Magic {
			return sp.errorf("bundle.isbundle", f)
		}
	}
	return nil
}
