//go:build race

package shopifysim

// raceEnabled reports a -race build, which is too slow for throughput checks.
const raceEnabled = true
