package config

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/authdoctor/authdoctor/pkg/lazyre"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/pyread"
	yaml "go.yaml.in/yaml/v3"
)

// extractHint carries what the YAML said about the host application.
type extractHint struct {
	helmKey        string // webserver.webserverConfig, apiServer.apiServerConfig, configOverrides
	airflowVersion string
	// versionSource names where airflowVersion came from: the chart's
	// airflowVersion, defaultAirflowTag or images.airflow.tag.
	versionSource string
	dataKey       string // the ConfigMap data key
}

type extracted struct {
	kind   Kind
	origin string
	source string
	lines  []pyread.LineOrigin
	notes  []string
	hint   extractHint
	// templates are the Helm template actions left unrendered (rendered
	// at install time): strings holding them are not literal values.
	templates []string
	// appended: a snippet the chart appends to its own base config.
	appended bool
}

// extractYAML finds the Python config inside a YAML file.
// ErrNoConfig says a YAML file holds no FAB config at all (a values file
// of another chart): nothing to check, not an unreadable file.
var ErrNoConfig = errors.New("no Python config found")

func extractYAML(data []byte) (*extracted, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if bytes.Contains(data, []byte("{{")) {
				return nil, fmt.Errorf("not valid YAML: %v; the file holds Go template actions ({{ … }}): it is a template, not the values; render it first (helm template, helmfile template) and lint the output", err)
			}
			return nil, fmt.Errorf("not valid YAML: %v", err)
		}
		docs = append(docs, &n)
		if len(docs) > 1000 {
			return nil, errors.New("too many YAML documents")
		}
	}
	raw := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	var found []*extracted
	var notes []string
	for di, d := range docs {
		root := d
		if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
			root = root.Content[0]
		}
		if root.Kind != yaml.MappingNode {
			continue
		}
		where := ""
		if len(docs) > 1 {
			where = fmt.Sprintf(" (document %d)", di+1)
		}
		if k := scalarOf(mapGet(root, "kind")); k == "ConfigMap" || k == "Secret" {
			name := scalarOf(mapGet(mapGet(root, "metadata"), "name"))
			if ns := scalarOf(mapGet(mapGet(root, "metadata"), "namespace")); ns != "" {
				name = ns + "/" + name
			}
			for _, field := range []string{"data", "stringData"} {
				dm := mapGet(root, field)
				if dm == nil || dm.Kind != yaml.MappingNode {
					continue
				}
				for i := 0; i+1 < len(dm.Content); i += 2 {
					key := dm.Content[i].Value
					if !strings.HasSuffix(key, ".py") {
						continue
					}
					if k == "Secret" && field == "data" {
						notes = append(notes, fmt.Sprintf("Secret %s%s holds %s base64-encoded; decode it to a file to read it", name, where, key))
						continue
					}
					ex := fromScalar(dm.Content[i+1], raw, nil)
					ex.kind = KindConfigMap
					ex.origin = fmt.Sprintf("%s %s%s, %s key %s", k, name, where, field, key)
					ex.hint.dataKey = key
					found = append(found, ex)
				}
			}
			continue
		}
		version, versionSource := chartAirflowVersion(root)
		var helm []*extracted
		for _, path := range [][]string{{"apiServer", "apiServerConfig"}, {"webserver", "webserverConfig"}} {
			v := mapGet(mapGet(root, path[0]), path[1])
			if v == nil || v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" || v.Tag == "!!null" {
				continue
			}
			ex := fromScalar(v, raw, root)
			ex.kind = KindHelm
			ex.origin = "Helm value " + path[0] + "." + path[1] + where
			ex.hint = extractHint{helmKey: path[0] + "." + path[1], airflowVersion: version, versionSource: versionSource}
			helm = append(helm, ex)
		}
		for _, path := range [][]string{{"webserver", "webserverConfigConfigMapName"}, {"apiServer", "apiServerConfigConfigMapName"}} {
			if v := scalarOf(mapGet(mapGet(root, path[0]), path[1])); v != "" {
				notes = append(notes, fmt.Sprintf("%s.%s names an existing ConfigMap %q%s: read that ConfigMap's manifest to check the config the pods mount", path[0], path[1], v, where))
			}
		}
		if len(helm) == 2 {
			// both set: the chart uses the one matching airflowVersion
			pick := 0
			if major(version) == "2" {
				pick = 1
			}
			notes = append(notes, fmt.Sprintf("both apiServer.apiServerConfig and webserver.webserverConfig are set; the chart uses %s for airflowVersion %q", helm[pick].hint.helmKey, version))
			helm = []*extracted{helm[pick]}
		}
		found = append(found, helm...)
		if ex, why := fromCommunityChart(root, raw, where); ex != nil {
			found = append(found, ex)
		} else if why != "" {
			notes = append(notes, why)
		}
		if co := mapGet(root, "configOverrides"); co != nil && co.Kind == yaml.MappingNode && len(co.Content) > 0 {
			found = append(found, fromOverrides(co, raw, where))
		}
	}
	if len(found) == 0 {
		found = lookalikes(docs, raw)
	}
	if len(found) == 0 {
		return nil, noConfig(docs, notes)
	}
	ex := found[0]
	for _, o := range found[1:] {
		notes = append(notes, "also found "+o.origin+", not read (lint it separately)")
	}
	ex.notes = append(ex.notes, notes...)
	return ex, nil
}

// chartAirflowVersion reads the Airflow version a values file pins: the
// official chart's airflowVersion, else defaultAirflowTag, else the
// images.airflow.tag (a tag such as "2.9.3-python3.11"); the community
// chart's airflow.image.tag.
func chartAirflowVersion(root *yaml.Node) (string, string) {
	for _, c := range []struct {
		path []string
		name string
	}{{[]string{"airflowVersion"}, "airflowVersion"}, {[]string{"defaultAirflowTag"}, "defaultAirflowTag"}, {[]string{"images", "airflow", "tag"}, "images.airflow.tag"},
		{[]string{"airflow", "image", "tag"}, "airflow.image.tag"}} {
		n := root
		for _, k := range c.path {
			n = mapGet(n, k)
		}
		v := scalarOf(n)
		if i := strings.IndexAny(v, "-_"); i > 0 {
			v = v[:i]
		}
		if v != "" && strings.Count(v, ".") >= 1 && v[0] >= '0' && v[0] <= '9' {
			return v, c.name
		}
	}
	return "", ""
}

func major(v string) string {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	if v == "" {
		return ""
	}
	return v[:1]
}

func mapGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			v := n.Content[i+1]
			if v.Kind == yaml.AliasNode && v.Alias != nil {
				return v.Alias
			}
			return v
		}
	}
	return nil
}

func scalarOf(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// fromScalar extracts Python source from a scalar node and maps its lines
// to the YAML file. values is the chart values document when the text is
// rendered through Helm's tpl (its escapes are undone and simple
// .Values references resolved), nil otherwise.
func fromScalar(n *yaml.Node, raw []string, values *yaml.Node) *extracted {
	ex := &extracted{}
	text := n.Value
	pyLines := strings.Split(text, "\n")
	if values != nil {
		for i, l := range pyLines {
			var notes, actions []string
			pyLines[i], notes, actions = undoTemplates(l, values)
			ex.templates = append(ex.templates, actions...)
			for _, nt := range notes {
				ex.notes = append(ex.notes, fmt.Sprintf("line %d: %s", mappedGuess(n, i), nt))
			}
		}
	}
	ex.source = strings.Join(pyLines, "\n")
	block := n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0
	if block && n.Style&yaml.LiteralStyle != 0 {
		start := n.Line + 1 // content starts on the line after the indicator
		indent := -1
		for l := start; l-1 < len(raw); l++ {
			if s := raw[l-1]; strings.TrimSpace(s) != "" {
				indent = len(s) - len(strings.TrimLeft(s, " "))
				break
			}
		}
		ok := indent >= 0
		for i, pl := range pyLines {
			if !ok {
				break
			}
			l := start + i
			if l-1 >= len(raw) {
				ok = strings.TrimSpace(pl) == ""
				continue
			}
			r := raw[l-1]
			if strings.TrimSpace(pl) == "" {
				continue // blank lines (and the one after the final newline)
			}
			if len(r) < indent {
				ok = false
				break
			}
			got := r[indent:]
			if values != nil {
				got, _, _ = undoTemplates(got, values)
			}
			if strings.TrimRight(got, " \t\r") != strings.TrimRight(pl, " \t\r") {
				ok = false
			}
		}
		if ok {
			for i := range pyLines {
				ex.lines = append(ex.lines, pyread.LineOrigin{Line: start + i, ColOffset: indent})
			}
			return ex
		}
	}
	// quoted or folded scalars: line numbers can only be approximate
	for range pyLines {
		ex.lines = append(ex.lines, pyread.LineOrigin{Line: n.Line})
	}
	if len(pyLines) > 1 {
		ex.notes = append(ex.notes, fmt.Sprintf("the Python at line %d is not a literal block scalar (|): every line number points at its start", n.Line))
	}
	return ex
}

func mappedGuess(n *yaml.Node, i int) int {
	if n.Style&yaml.LiteralStyle != 0 {
		return n.Line + 1 + i
	}
	return n.Line
}

// fromOverrides concatenates the Superset chart's configOverrides
// snippets (the chart renders them in key order).
func fromOverrides(co *yaml.Node, raw []string, where string) *extracted {
	type snip struct {
		key  string
		node *yaml.Node
	}
	var snips []snip
	for i := 0; i+1 < len(co.Content); i += 2 {
		if co.Content[i+1].Kind == yaml.ScalarNode {
			snips = append(snips, snip{co.Content[i].Value, co.Content[i+1]})
		}
	}
	sort.Slice(snips, func(i, j int) bool { return snips[i].key < snips[j].key })
	ex := &extracted{kind: KindHelm, origin: "Helm value configOverrides (Superset chart)" + where,
		hint: extractHint{helmKey: "configOverrides"}}
	var parts []string
	for _, s := range snips {
		part := fromScalar(s.node, raw, nil)
		body := strings.TrimRight(part.source, "\n")
		for j := range strings.Split(body, "\n") {
			if j < len(part.lines) {
				ex.lines = append(ex.lines, part.lines[j])
			} else {
				ex.lines = append(ex.lines, pyread.LineOrigin{Line: s.node.Line})
			}
		}
		parts = append(parts, body)
		ex.notes = append(ex.notes, part.notes...)
	}
	ex.source = strings.Join(parts, "\n") + "\n"
	withChartBase(ex)
	return ex
}

// chartBase is what the Superset chart's superset_config.py defines
// before the snippets it appends (configOverrides): the os module and its
// env() helper. A snippet that uses them is not a NameError.
var chartBase = []string{"import os", "def env(key, default=None):", "    return os.getenv(key, default)"}

// withChartBase reads a snippet after the chart's base; the base's lines
// map to the snippet's first line.
func withChartBase(ex *extracted) {
	if len(ex.lines) == 0 {
		return
	}
	first := ex.lines[0]
	pre := make([]pyread.LineOrigin, len(chartBase))
	for i := range pre {
		pre[i] = pyread.LineOrigin{Line: first.Line}
	}
	ex.source = strings.Join(chartBase, "\n") + "\n" + ex.source
	ex.lines = append(pre, ex.lines...)
	ex.appended = true
	ex.notes = append(ex.notes, "read after what the chart's own superset_config.py defines first (import os, env())")
}

var valuesRef = lazyre.New(`^\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)$`)

// undoTemplates renders what Helm's tpl would render without a chart:
// string-literal actions ({{ "{{" }}, {{ `}}` }}) become their text and
// {{ .Values.a.b }} is looked up in the values; other actions stay as
// they are, are noted and returned: they are rendered at install time.
func undoTemplates(line string, values *yaml.Node) (string, []string, []string) {
	if !strings.Contains(line, "{{") {
		return line, nil, nil
	}
	var notes, actions []string
	var sb strings.Builder
	rest := line
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			sb.WriteString(rest)
			break
		}
		sb.WriteString(rest[:i])
		end, inner, ok := scanAction(rest[i:])
		if !ok {
			sb.WriteString(rest[i:])
			notes = append(notes, fmt.Sprintf("Helm template action %q is not closed on its line; read as literal text", rest[i:]))
			break
		}
		action := rest[i : i+end]
		rest = rest[i+end:]
		switch {
		case len(inner) >= 2 && inner[0] == '"' && inner[len(inner)-1] == '"':
			if s, err := strconv.Unquote(inner); err == nil {
				sb.WriteString(s)
				continue
			}
		case len(inner) >= 2 && inner[0] == '`' && inner[len(inner)-1] == '`' && !strings.Contains(inner[1:len(inner)-1], "`"):
			sb.WriteString(inner[1 : len(inner)-1])
			continue
		}
		if sm := valuesRef.FindStringSubmatch(inner); sm != nil {
			n := values
			for _, p := range strings.Split(sm[1][1:], ".") {
				n = mapGet(n, p)
			}
			if n != nil && n.Kind == yaml.ScalarNode {
				notes = append(notes, fmt.Sprintf("Helm template %s rendered from the values in this file as %q", action, n.Value))
				sb.WriteString(n.Value)
				continue
			}
		}
		notes = append(notes, fmt.Sprintf("Helm template %s is rendered at install time: a value holding it is unresolved (never taken literally, never fetched)", action))
		actions = append(actions, action)
		sb.WriteString(action)
	}
	return sb.String(), notes, actions
}

// scanAction reads a template action starting with "{{": its length and
// its trimmed inner text. Quoted strings inside the action may contain
// braces.
func scanAction(s string) (end int, inner string, ok bool) {
	i := 2
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) {
		switch c := s[i]; c {
		case '"':
			i++
			for i < len(s) && s[i] != '"' {
				if s[i] == '\\' {
					i++
				}
				i++
			}
			i++
		case '`':
			j := strings.IndexByte(s[i+1:], '`')
			if j < 0 {
				return 0, "", false
			}
			i += j + 2
		case '}':
			if i+1 < len(s) && s[i+1] == '}' {
				stop := i
				if stop > start && s[stop-1] == '-' {
					stop--
				}
				return i + 2, strings.TrimSpace(s[start:stop]), true
			}
			i++
		default:
			i++
		}
	}
	return 0, "", false
}

// fabWords mark a YAML string that holds a FAB config.
var fabWords = []string{"OAUTH_PROVIDERS", "AUTH_TYPE", "SECURITY_MANAGER"}

// lookalikes finds, in values of a chart authdoctor does not know (a
// superset.extraSupersetConfig of someone's own chart), multi-line strings
// that hold a FAB config: they are read, and the origin says the key and
// that whether the chart mounts it as the app's config is not known.
func lookalikes(docs []*yaml.Node, raw []string) []*extracted {
	var out []*extracted
	var walk func(n *yaml.Node, path []string, depth int)
	walk = func(n *yaml.Node, path []string, depth int) {
		if n == nil || depth > 20 || len(out) > 0 {
			return
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path, depth+1)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], append(path[:len(path):len(path)], n.Content[i].Value), depth+1)
			}
		case yaml.ScalarNode:
			if strings.Contains(n.Value, "\n") && containsAny(n.Value, fabWords) {
				ex := fromScalar(n, raw, nil)
				ex.kind = KindHelm
				ex.origin = "Helm value " + strings.Join(path, ".")
				ex.hint.helmKey = strings.Join(path, ".")
				ex.notes = append(ex.notes, "the value "+strings.Join(path, ".")+" holds a FAB config, but its chart is not one authdoctor knows: it is read as the app's config; check that the chart mounts it as such")
				if strings.Contains(strings.ToLower(strings.Join(path, ".")), "superset") {
					withChartBase(ex) // a Superset chart appends it to its base config
				}
				out = append(out, ex)
			}
		}
	}
	for _, d := range docs {
		walk(d, nil, 0)
	}
	return out
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
