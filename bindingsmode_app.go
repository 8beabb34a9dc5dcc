//go:build !bindings

package main

// generatingBindings is false in the app itself (see bindingsmode.go).
const generatingBindings = false
