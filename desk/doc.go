// Package desk holds one member's commands and queries, shared by the desktop
// app (app/) and the headless hub (cmd/reliefmesh-hub): record and edit a
// demand, the pipeline actions, endorse, revoke, promote, profile, offers,
// tasks, import, merge; and every query a screen or a script asks (list,
// detail, inbox, leaderboard, overdue, volunteers, offers, tasks, map points,
// bulletin, status).
//
// A Desk is the only code above the store that writes: every command checks
// its input (errors are *Error with a stable code and the field concerned),
// builds the operations with relief and signs them through the store. Queries
// read the store's views; they never fold every record. Neither app/ nor the
// hub calls store.Store.ApplyLocal or re-implements a rule found here.
package desk
