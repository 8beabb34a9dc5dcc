// Package practice builds a practice network from the 2020 Wuhan hospital
// demands and offers of the wuhan2020 community (MIT licence, see
// data/LICENSE-MIT-wuhan2020.txt), which ship embedded with the app: a
// newcomer can try every screen on real data without touching a real network.
package practice
