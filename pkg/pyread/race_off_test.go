//go:build !race

package pyread

const raceEnabled = false
