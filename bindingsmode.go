//go:build bindings

package main

// generatingBindings is true in the binary `wails build` and `wails generate
// module` compile with the `bindings` tag and run to read the bound methods:
// it must not open (or create) the user's data directory.
const generatingBindings = true
