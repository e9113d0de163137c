// Package version holds build information, set with -ldflags -X at release
// time and read from the Go build info otherwise.
package version

import (
	"runtime/debug"
	"sync"
)

// Set by GoReleaser: -X github.com/authdoctor/authdoctor/pkg/version.Version=...
var (
	Version = ""
	Commit  = ""
	Date    = ""
)

// Info is the resolved build information.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Date    string `json:"date"`
	Go      string `json:"go"`
}

var (
	once sync.Once
	info Info
)

// Get resolves the build information once.
func Get() Info {
	once.Do(func() {
		info = Info{Version: Version, Commit: Commit, Date: Date}
		if bi, ok := debug.ReadBuildInfo(); ok {
			info.Go = bi.GoVersion
			if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
				info.Version = bi.Main.Version
			}
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					if info.Commit == "" {
						info.Commit = s.Value
					}
				case "vcs.time":
					if info.Date == "" {
						info.Date = s.Value
					}
				}
			}
		}
		if info.Version == "" {
			info.Version = "dev"
		}
	})
	return info
}
