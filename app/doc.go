// Package app holds the services the Wails desktop app binds to the frontend. Each
// service covers one area (network, demands, settings), has Startup(ctx) and
// Shutdown(), validates its input, calls the store and returns typed results.
// Errors reach the UI as rejected promises whose message is an *Error encoded as
// JSON, with a stable code and the field it concerns, so the UI can say what was
// wrong in the user's language.
//
// Only main.go and this package import Wails.
package app
