package retrieval

import (
	"regexp"
	"strconv"
	"strings"
)

// citationGroup matches a bracketed citation: [1], [1, 3], [2; 4], [1-3].
var citationGroup = regexp.MustCompile(`\[\s*(\d{1,9}(?:\s*[-–]\s*\d{1,9})?(?:\s*[,;]\s*\d{1,9}(?:\s*[-–]\s*\d{1,9})?)*)\s*\]`)

// ParseCitations returns the source numbers cited in text as [1], [2][3],
// [1, 3] or [2-4], each once, in order of first citation. Numbers outside
// 1..sources are left out (a model citing a source it was not given).
func ParseCitations(text string, sources int) []int {
	var (
		out  []int
		seen = map[int]bool{}
	)
	add := func(n int) {
		if n >= 1 && n <= sources && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, m := range citationGroup.FindAllStringSubmatch(text, -1) {
		for _, item := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ';' }) {
			lo, hi, isRange := strings.Cut(strings.ReplaceAll(item, "–", "-"), "-")
			a, err := strconv.Atoi(strings.TrimSpace(lo))
			if err != nil {
				continue
			}
			if !isRange {
				add(a)
				continue
			}
			b, err := strconv.Atoi(strings.TrimSpace(hi))
			if err != nil || b < a || b-a > sources {
				continue
			}
			for n := a; n <= b; n++ {
				add(n)
			}
		}
	}
	return out
}
