//go:build race

package pyread

// raceEnabled: the race detector slows code 5-10x; time bounds scale.
const raceEnabled = true
