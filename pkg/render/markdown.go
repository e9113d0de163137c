package render

import (
	"strings"
)

// Markdown shows a markdown page (a check's doc page, an AADSTS
// explanation) in a terminal the way man shows a page: headings at the
// margin (bold when colour is on), paragraphs and lists indented under
// them and wrapped to width (0: not wrapped), code blocks indented and
// never wrapped. No markdown punctuation is left: no #, **, backticks,
// fences or link brackets; HTML comments are dropped. It covers what the
// generated pages use (ATX headings, paragraphs, - and 1. lists, fenced
// and indented code, > quotes, emphasis, code spans, links), not all of
// CommonMark.
func Markdown(p *Printer, md string, width int) {
	var out []string
	for _, b := range parseBlocks(md) {
		out = append(out, b.render(p, width)...)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	for _, l := range out {
		p.Printf("%s\n", l)
	}
}

// Layout of the rendered page, in columns.
const (
	mdBodyIndent = 2 // paragraphs under a heading
	mdCodeIndent = 4 // code blocks and quotes
)

type blockKind int

const (
	blockPara blockKind = iota
	blockHeading
	blockItem
	blockCode
	blockQuote
	blockBlank
)

// block is one markdown block: the text of a paragraph, heading, list
// item or quote (its lines joined), or the lines of a code block.
type block struct {
	kind   blockKind
	marker string // a list item's "•" or "1."
	text   string
	lines  []string // code
}

// parseBlocks splits a page into blocks, line by line.
func parseBlocks(md string) []block {
	var blocks []block
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	// open is the paragraph, item or quote that a following text line
	// continues; nil after a blank line or a heading.
	var open *block
	add := func(b block) *block {
		blocks = append(blocks, b)
		return &blocks[len(blocks)-1]
	}
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t")
		trim := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trim, "<!--"):
			for !strings.Contains(lines[i], "-->") && i+1 < len(lines) {
				i++
			}
			open = nil
		case strings.HasPrefix(trim, "```") || strings.HasPrefix(trim, "~~~"):
			code := block{kind: blockCode}
			for i+1 < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i+1]), trim[:3]) {
				i++
				code.lines = append(code.lines, strings.TrimRight(lines[i], " \t"))
			}
			i++ // the closing fence
			add(code)
			open = nil
		case trim == "":
			if len(blocks) > 0 && blocks[len(blocks)-1].kind != blockBlank {
				add(block{kind: blockBlank})
			}
			open = nil
		case open == nil && strings.HasPrefix(lines[i], "    "):
			code := block{kind: blockCode, lines: []string{lines[i][4:]}}
			for i+1 < len(lines) && strings.HasPrefix(lines[i+1], "    ") {
				i++
				code.lines = append(code.lines, lines[i][4:])
			}
			add(code)
		case heading(trim) > 0:
			n := heading(trim)
			add(block{kind: blockHeading, text: strings.TrimSpace(strings.TrimRight(trim[n:], "#"))})
			open = nil
		case listMarker(trim) != "":
			m := listMarker(trim)
			marker := "•"
			if m[0] >= '0' && m[0] <= '9' {
				marker = strings.TrimSpace(m)
			}
			open = add(block{kind: blockItem, marker: marker, text: trim[len(m):]})
		case strings.HasPrefix(trim, ">"):
			text := strings.TrimSpace(strings.TrimPrefix(trim, ">"))
			if open != nil && open.kind == blockQuote {
				open.text += " " + text
			} else {
				open = add(block{kind: blockQuote, text: text})
			}
		case open != nil:
			open.text += " " + trim
		default:
			open = add(block{kind: blockPara, text: trim})
		}
	}
	return blocks
}

// heading returns the number of leading #s of an ATX heading, or 0.
func heading(s string) int {
	n := 0
	for n < len(s) && n < 6 && s[n] == '#' {
		n++
	}
	if n == 0 || (n < len(s) && s[n] != ' ') {
		return 0
	}
	return n
}

// listMarker returns the marker of a list item with its space ("- ",
// "12. "), or "".
func listMarker(s string) string {
	if len(s) > 2 && strings.ContainsRune("-*+", rune(s[0])) && s[1] == ' ' {
		return s[:2]
	}
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && s[i+1] == ' ' {
		return s[:i+2]
	}
	return ""
}

// render lays one block out as terminal lines.
func (b block) render(p *Printer, width int) []string {
	switch b.kind {
	case blockBlank:
		return []string{""}
	case blockHeading:
		return []string{p.Bold(inline(p, b.text))}
	case blockCode:
		out := make([]string, len(b.lines))
		for i, l := range b.lines {
			if l != "" {
				l = strings.Repeat(" ", mdCodeIndent) + l
			}
			out[i] = l
		}
		return out
	case blockItem:
		lead := strings.Repeat(" ", mdBodyIndent) + b.marker + " "
		return strings.Split(WrapHang(lead+inline(p, b.text), width, len([]rune(lead))), "\n")
	case blockQuote:
		lead := strings.Repeat(" ", mdCodeIndent)
		return strings.Split(WrapHang(lead+inline(p, b.text), width, mdCodeIndent), "\n")
	}
	lead := strings.Repeat(" ", mdBodyIndent)
	return strings.Split(WrapHang(lead+inline(p, b.text), width, mdBodyIndent), "\n")
}

// inline renders the inline markup of one block's text: code spans (in
// cyan), strong emphasis (bold), *emphasis* (plain), links (their text,
// with the address when it is absolute), <https://…> autolinks and
// backslash escapes. Underscores are left alone: they are part of names
// such as client_id far more often than emphasis.
func inline(p *Printer, s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte("\\`*_{}[]()<>#+-.!|", s[i+1]) >= 0:
			b.WriteByte(s[i+1])
			i += 2
			continue
		case c == '`':
			if n, body, ok := codeSpan(s[i:]); ok {
				b.WriteString(p.Cyan(body))
				i += n
				continue
			}
		case c == '*' && strings.HasPrefix(s[i:], "**"):
			if j := strings.Index(s[i+2:], "**"); j > 0 {
				b.WriteString(p.Bold(inline(p, s[i+2:i+2+j])))
				i += j + 4
				continue
			}
		case c == '*' && i+1 < len(s) && s[i+1] != ' ':
			if j := strings.IndexByte(s[i+1:], '*'); j > 0 && s[i+j] != ' ' {
				b.WriteString(inline(p, s[i+1:i+1+j]))
				i += j + 2
				continue
			}
		case c == '[':
			if n, text, url, ok := link(s[i:]); ok {
				b.WriteString(inline(p, text))
				if strings.Contains(url, "://") && url != text {
					b.WriteString(" (" + url + ")")
				}
				i += n
				continue
			}
		case c == '<':
			if j := strings.IndexByte(s[i:], '>'); j > 0 && strings.Contains(s[i:i+j], "://") && !strings.ContainsAny(s[i:i+j], " \t") {
				b.WriteString(s[i+1 : i+j])
				i += j + 1
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// codeSpan reads a code span at the start of s: a run of backticks, the
// code, the same run. It returns the length consumed and the code.
func codeSpan(s string) (int, string, bool) {
	n := 0
	for n < len(s) && s[n] == '`' {
		n++
	}
	fence := s[:n]
	j := strings.Index(s[n:], fence)
	if j < 0 {
		return 0, "", false
	}
	body := s[n : n+j]
	if len(body) > 1 && body[0] == ' ' && body[len(body)-1] == ' ' {
		body = body[1 : len(body)-1]
	}
	return n + j + n, body, true
}

// link reads [text](url) at the start of s.
func link(s string) (n int, text, url string, ok bool) {
	j := strings.Index(s, "](")
	if j < 0 || strings.IndexByte(s[1:j], '[') >= 0 {
		return 0, "", "", false
	}
	k := strings.IndexByte(s[j+2:], ')')
	if k < 0 {
		return 0, "", "", false
	}
	return j + 2 + k + 1, s[1:j], s[j+2 : j+2+k], true
}
