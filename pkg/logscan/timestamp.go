package logscan

import (
	"time"
)

// LineTime reads the first timestamp in a log line, in one of the forms
// logs commonly carry:
//   - RFC 3339 / ISO 8601: 2024-10-26T12:00:00Z, 2024-10-26 12:00:00.123+02:00
//     (also with '/' between the date's parts, as Go's log and nginx's
//     error log write it);
//   - the common log format of nginx and Apache: [10/Oct/2000:13:55:36 -0700];
//   - syslog (RFC 3164) at the start of the line: Oct 10 13:55:36, whose
//     year is ref's (or the year before when that would put it more than
//     a day after ref).
//
// A time without a zone is taken as UTC. ok is false when the line has
// none of these.
func LineTime(line []byte, ref time.Time) (t time.Time, ok bool) {
	if t, ok := syslogTime(line, ref); ok {
		return t, true
	}
	for i := 0; i+19 <= len(line); i++ {
		c := line[i]
		switch {
		case c == '[':
			if t, ok := clfTime(line[i+1:]); ok {
				return t, true
			}
		case isDigit(c) && (i == 0 || !isDigit(line[i-1])):
			if t, ok := isoTime(line[i:]); ok {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// num reads n digits at b[i:]; ok is false when they are not all digits.
func num(b []byte, i, n int) (int, bool) {
	if i+n > len(b) {
		return 0, false
	}
	v := 0
	for _, c := range b[i : i+n] {
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// isoTime reads YYYY-MM-DD[T ]hh:mm:ss[.frac][Z|±hh:mm|±hhmm] at the start
// of b.
func isoTime(b []byte) (time.Time, bool) {
	if (b[4] != '-' && b[4] != '/') || b[13] != ':' { // most digits start no date: say so at once
		return time.Time{}, false
	}
	y, ok1 := num(b, 0, 4)
	mo, ok2 := num(b, 5, 2)
	d, ok3 := num(b, 8, 2)
	if !ok1 || !ok2 || !ok3 || (b[4] != '-' && b[4] != '/') || b[7] != b[4] || (b[10] != 'T' && b[10] != ' ' && b[10] != 't') {
		return time.Time{}, false
	}
	h, m, s, ok := clock(b[11:])
	if !ok {
		return time.Time{}, false
	}
	rest := b[19:]
	ns := 0
	if len(rest) > 1 && (rest[0] == '.' || rest[0] == ',') && isDigit(rest[1]) {
		j, scale := 1, 100000000
		for j < len(rest) && isDigit(rest[j]) {
			ns += int(rest[j]-'0') * scale
			scale /= 10
			j++
		}
		rest = rest[j:]
	}
	off := 0
	if len(rest) == 0 || (rest[0] != 'Z' && rest[0] != 'z') {
		off, _ = zoneOffset(rest)
	}
	return valid(y, mo, d, h, m, s, ns, off)
}

// clock reads hh:mm:ss.
func clock(b []byte) (h, m, s int, ok bool) {
	var okH, okM, okS bool
	h, okH = num(b, 0, 2)
	m, okM = num(b, 3, 2)
	s, okS = num(b, 6, 2)
	if !okH || !okM || !okS || b[2] != ':' || b[5] != ':' {
		return 0, 0, 0, false
	}
	return h, m, s, true
}

// zoneOffset reads ±hh:mm or ±hhmm in seconds east of UTC.
func zoneOffset(b []byte) (int, bool) {
	if len(b) < 5 || (b[0] != '+' && b[0] != '-') {
		return 0, false
	}
	h, ok := num(b, 1, 2)
	if !ok {
		return 0, false
	}
	mi := 3
	if b[3] == ':' {
		mi = 4
	}
	m, ok := num(b, mi, 2)
	if !ok || h > 14 || m > 59 {
		return 0, false
	}
	off := h*3600 + m*60
	if b[0] == '-' {
		off = -off
	}
	return off, true
}

var months = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

func month(b []byte) (int, bool) {
	if len(b) < 3 {
		return 0, false
	}
	for i, m := range months {
		if string(b[:3]) == m {
			return i + 1, true
		}
	}
	return 0, false
}

// clfTime reads dd/Mon/yyyy:hh:mm:ss ±hhmm] (what follows '[').
func clfTime(b []byte) (time.Time, bool) {
	if len(b) < 26 || b[2] != '/' || b[6] != '/' || b[11] != ':' || b[20] != ' ' || !isDigit(b[0]) {
		return time.Time{}, false
	}
	d, ok1 := num(b, 0, 2)
	mo, ok2 := month(b[3:])
	y, ok3 := num(b, 7, 4)
	h, m, s, ok4 := clock(b[12:])
	off, ok5 := zoneOffset(b[21:])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return time.Time{}, false
	}
	return valid(y, mo, d, h, m, s, 0, off)
}

// syslogTime reads "Mon dd hh:mm:ss" (day space-padded) at the start of
// the line, after an optional <PRI>.
func syslogTime(b []byte, ref time.Time) (time.Time, bool) {
	if len(b) > 0 && b[0] == '<' {
		j := 1
		for j < len(b) && j < 5 && isDigit(b[j]) {
			j++
		}
		if j < len(b) && b[j] == '>' {
			b = b[j+1:]
		}
	}
	if len(b) < 15 || b[3] != ' ' || b[6] != ' ' {
		return time.Time{}, false
	}
	mo, ok1 := month(b)
	day := b[4:6]
	if day[0] == ' ' {
		day = day[1:]
	}
	d, ok2 := num(day, 0, len(day))
	h, m, s, ok3 := clock(b[7:])
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, false
	}
	y := ref.UTC().Year()
	t, ok := valid(y, mo, d, h, m, s, 0, 0)
	if ok && t.After(ref.Add(24*time.Hour)) {
		t, ok = valid(y-1, mo, d, h, m, s, 0, 0)
	}
	return t, ok
}

// valid builds the time, in UTC, of a wall clock off seconds east of UTC,
// when every field is in range (time.Date would normalise 31 February
// into March). No Location is made per line: FixedZone allocates.
func valid(y, mo, d, h, m, s, ns, off int) (time.Time, bool) {
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || m > 59 || s > 60 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, m, s, ns, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t.Add(-time.Duration(off) * time.Second), true
}
