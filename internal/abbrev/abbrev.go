// Package abbrev shortens untrusted values for error messages, so that a
// message never carries a huge ID, key or value. retrieval, its pgvector
// store and memory/pgmemory share it.
package abbrev

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Quote quotes s as %q does, keeping at most max bytes of it (cut at a
// character boundary) and saying how long it was when it is cut.
func Quote(s string, max int) string {
	if len(s) <= max {
		return strconv.Quote(s)
	}
	cut := max
	for cut > 0 && cut < len(s) && !utf8.RuneStart(s[cut]) && cut > max-utf8.UTFMax {
		cut--
	}
	return fmt.Sprintf("%s... (%d bytes)", strconv.Quote(s[:cut]), len(s))
}
