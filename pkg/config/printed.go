package config

import (
	"strings"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/lazyre"
)

// printCall finds a print or logging call at the start of a line: the
// debug lines real configs carry ("print('CLIENT_SECRET: ', CLIENT_SECRET)").
var printCall = lazyre.New(`^\s*(?:print|(?:log|logger|logging|LOG|LOGGER|_log|_logger)\.(?:debug|info|warning|warn|error|critical|exception))\((.*)$`)

// harmless calls print something about a value, not the value.
var harmless = lazyre.New(`\b(?:bool|len|type|isinstance|hasattr)\([^()]*\)`)

// secretName is a variable named for a secret (not CLIENT_SECRET_FILE or
// OIDC_TOKEN_URL, which name where a secret is, not the secret).
var secretName = lazyre.New(`^[A-Z0-9_]*(?:SECRET|PASSWORD|PASSWD|PRIVATE_KEY|API_KEY|_TOKEN)$`)

// printedSecrets lists the file's lines that print or log a variable the
// file binds and whose name says it holds a secret: every start of the
// app then writes it to the logs. The text of string literals is not
// read (a label "CLIENT_SECRET: " names nothing); f-string fields are.
func printedSecrets(lines []string, bound func(string) bool) []fab.Printed {
	var out []fab.Printed
	for i, line := range lines {
		m := printCall.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		// bool(X), len(X): what is printed says whether it is set, not
		// the secret
		args := harmless.ReplaceAllString(m[1], "")
		for _, name := range identifiers(args) {
			if secretName.MatchString(name) && bound(name) {
				out = append(out, fab.Printed{Name: name, Line: i + 1, InCode: line != strings.TrimLeft(line, " \t")})
				break
			}
		}
	}
	return out
}

// identifiers are the names in a line of call arguments, outside string
// literals except inside f-string fields.
func identifiers(s string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\'':
			fstr := cur.String() == "f" || cur.String() == "F" || cur.String() == "rf" || cur.String() == "fr"
			cur.Reset()
			j := i + 1
			for j < len(s) && s[j] != c {
				if s[j] == '\\' {
					j++
				} else if fstr && s[j] == '{' {
					k := strings.IndexByte(s[j:], '}')
					if k < 0 {
						break
					}
					out = append(out, identifiers(s[j+1:j+k])...)
					j += k
				}
				j++
			}
			i = j
		case c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' && cur.Len() > 0:
			cur.WriteByte(c)
		default:
			flush()
		}
	}
	flush()
	return out
}
