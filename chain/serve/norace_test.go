//go:build !race

package serve_test

// raceEnabled: without the race detector, the RSS bound is asserted.
const raceEnabled = false
