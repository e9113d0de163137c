package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/lazyre"
)

// indentedProviders is OAUTH_PROVIDERS assigned inside a block.
var indentedProviders = lazyre.New(`^[ \t]+OAUTH_PROVIDERS\s*=`)

// envRead finds the environment variables a line reads.
var envRead = lazyre.New(`(?:getenv|environ\.get|environ\[)\(?\s*["']([A-Za-z_][A-Za-z0-9_]*)["']`)

// untakenProviders says when a file assigns OAUTH_PROVIDERS only in a
// branch this reading did not take (`if os.getenv("AUTH_MODE") ==
// "oauth": … OAUTH_PROVIDERS = […]` with the variable unset here): without
// it, a file whose whole OAuth set-up sits behind the environment would
// read as "no problems" with nothing said.
func untakenProviders(f *File, env map[string]string) []fab.UnresolvedSetting {
	if f.Kind != KindPython || f.Module == nil {
		return nil
	}
	if _, bound := f.Module.Lookup("OAUTH_PROVIDERS"); bound {
		return nil
	}
	lines := strings.Split(f.Source, "\n")
	at := 0
	for i, l := range lines {
		if indentedProviders.MatchString(l) {
			at = i + 1
			break
		}
	}
	if at == 0 {
		return nil
	}
	var unset []string
	for _, l := range lines {
		for _, m := range envRead.FindAllStringSubmatch(l, -1) {
			if _, set := env[m[1]]; !set && !slices.Contains(unset, m[1]) {
				unset = append(unset, m[1])
			}
		}
	}
	why := fmt.Sprintf("it is assigned only inside a block (line %d) that this reading did not run", at)
	if len(unset) > 0 {
		why += fmt.Sprintf("; the file reads environment variables not set here (%s), which may choose that block in the deployment", strings.Join(unset, ", "))
	}
	return []fab.UnresolvedSetting{{Name: "OAUTH_PROVIDERS", Line: at, Reason: why, Env: unset, Whole: true}}
}
