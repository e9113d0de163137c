package pyread

import (
	"fmt"
	"sort"
	"strings"
)

func (ev *evaluator) recordImport(im Import) {
	if ev.specDepth > 0 {
		im.Conditional = true
	}
	for _, old := range ev.m.Imports {
		if old == im {
			return
		}
	}
	ev.m.Imports = append(ev.m.Imports, im)
}

// importedValue is the value a dotted name has through imports: the
// caller's host modules first, then what the reader knows.
func (ev *evaluator) importedValue(qual string, line int) Value {
	if v, ok := ev.hostQual(qual, line); ok {
		return v
	}
	return ev.qualValue(qual, line)
}

func (ev *evaluator) execImport(s *importStmt, sc *scope) {
	for _, a := range s.names {
		if !ev.knownModule(a.name) {
			ev.uncertain = true
		}
		if a.asname != "" {
			ev.recordImport(Import{Module: a.name, Alias: a.asname, Line: a.line})
			ev.setName(sc, a.asname, ev.importedValue(a.name, a.line), a.line, "")
			continue
		}
		top := strings.SplitN(a.name, ".", 2)[0]
		ev.recordImport(Import{Module: a.name, Alias: top, Line: a.line})
		ev.setName(sc, top, ev.importedValue(top, a.line), a.line, "")
	}
}

func (ev *evaluator) execImportFrom(s *importFromStmt, sc *scope) {
	mod := strings.Repeat(".", s.level) + s.module
	if s.level > 0 || !ev.knownModule(s.module) {
		ev.uncertain = true
	}
	if s.star {
		ev.recordImport(Import{Module: mod, Star: true, Line: s.line})
		if consts, ok := ev.r.opts.Modules[mod]; ok && s.level == 0 {
			names := make([]string, 0, len(consts))
			for n := range consts {
				if !strings.HasPrefix(n, "_") {
					names = append(names, n)
				}
			}
			sort.Strings(names)
			for _, n := range names {
				ev.setName(sc, n, FromGo(consts[n], s.line), s.line, "")
			}
			return
		}
		if mod == "os" || mod == "os.path" {
			for q, k := range stdNames() {
				if strings.HasPrefix(q, mod+".") && !strings.Contains(q[len(mod)+1:], ".") && k != stdModule {
					ev.setName(sc, q[len(mod)+1:], ev.qualValue(q, s.line), s.line, "")
				}
			}
			if mod == "os" {
				ev.setName(sc, "path", ev.qualValue("os.path", s.line), s.line, "")
			}
			return
		}
		ev.starModules = append(ev.starModules, mod)
		ev.r.noteAt(s.line, fmt.Sprintf("`from %s import *`: the names it brings in are not known; later uses of undefined names are unresolved", mod))
		return
	}
	for _, a := range s.names {
		bound := a.name
		if a.asname != "" {
			bound = a.asname
		}
		ev.recordImport(Import{Module: mod, Name: a.name, Alias: bound, Line: a.line})
		var v Value
		if s.level > 0 {
			v = &Opaque{Kind: "import", Source: mod + "." + a.name, Qualname: mod + "." + a.name, Line: a.line}
		} else if s.module == "__future__" {
			v = &Opaque{Kind: "object", Source: "__future__." + a.name, Line: a.line}
		} else {
			v = ev.importedValue(s.module+"."+a.name, a.line)
		}
		ev.setName(sc, bound, v, a.line, "")
	}
}
