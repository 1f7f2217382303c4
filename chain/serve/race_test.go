//go:build race

package serve_test

// raceEnabled: the race detector inflates memory, so the RSS bound is
// only logged.
const raceEnabled = true
