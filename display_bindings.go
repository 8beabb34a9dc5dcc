//go:build bindings

package main

// noDisplay never stops `wails build` generating bindings: that run opens no window.
func noDisplay() string { return "" }
