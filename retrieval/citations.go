package retrieval

import "strings"

// MaxCitations bounds the numbers ParseCitations returns: the first
// MaxCitations sources cited are kept, the rest left out, so that the
// cost of parsing a reply never depends on how many sources it was given.
const MaxCitations = 1000

// ParseCitations returns the source numbers cited in text as [1], [2][3],
// [1, 3], [2; 4], [2-4] or [2–4], each once, in order of first citation (a
// range in ascending order), at most MaxCitations of them. Numbers have at
// most 9 digits. Numbers outside 1..sources are left out (a model citing a
// source it was not given), and so is a range that reaches outside them,
// or runs backwards.
//
// It runs in time linear in the length of text, whatever the ranges and
// the number of sources: the text is read once, and numbers already cited
// are skipped, not revisited, when a range is expanded.
func ParseCitations(text string, sources int) []int {
	var (
		out  []int
		seen = citedSet{}
	)
	for i := 0; ; {
		open := strings.IndexByte(text[i:], '[')
		if open < 0 {
			return out
		}
		i += open + 1
		items, end, ok := citationGroup(text, i)
		if !ok {
			// The group stopped at end, which is not part of it; no '['
			// before end, so the next group starts at end or later.
			i = end
			continue
		}
		i = end
		for _, r := range items {
			if r.lo < 1 || r.hi < r.lo || r.hi > sources {
				continue
			}
			for n := seen.next(r.lo); n <= r.hi; n = seen.next(n + 1) {
				seen.add(n)
				out = append(out, n)
				if len(out) == MaxCitations {
					return out
				}
			}
		}
	}
}

// citedRange is one item of a citation group: a number (lo == hi) or a
// range.
type citedRange struct{ lo, hi int }

// citationGroup reads a citation group from text[i:], just after its '[':
// blanks, items separated by ',' or ';', blanks and the closing ']'. It
// returns the items and where the group ends (after its ']'), or false and
// where reading stopped, a byte that cannot be part of a group.
func citationGroup(text string, i int) (items []citedRange, end int, ok bool) {
	for {
		i = skipBlanks(text, i)
		lo, j, ok := citationNumber(text, i)
		if !ok {
			return nil, j, false
		}
		hi := lo
		i = skipBlanks(text, j)
		if dash := dashAt(text, i); dash > 0 {
			if hi, j, ok = citationNumber(text, skipBlanks(text, i+dash)); !ok {
				return nil, j, false
			}
			i = skipBlanks(text, j)
		}
		items = append(items, citedRange{lo, hi})
		if i >= len(text) {
			return nil, i, false
		}
		switch text[i] {
		case ']':
			return items, i + 1, true
		case ',', ';':
			i++
		default:
			return nil, i, false
		}
	}
}

// citationNumber reads a number of 1 to 9 digits at text[i:], and where it
// ends; or false and where reading stopped.
func citationNumber(text string, i int) (n, end int, ok bool) {
	j := i
	for j < len(text) && text[j] >= '0' && text[j] <= '9' {
		if j-i == 9 {
			return 0, j, false
		}
		n = n*10 + int(text[j]-'0')
		j++
	}
	return n, j, j > i
}

// dashAt returns the length of the '-' or '–' at text[i:], or 0.
func dashAt(text string, i int) int {
	switch {
	case strings.HasPrefix(text[i:], "-"):
		return 1
	case strings.HasPrefix(text[i:], "–"):
		return len("–")
	}
	return 0
}

// skipBlanks returns where the blanks (as regexp's \s: space, \t, \n, \f,
// \r) at text[i:] end.
func skipBlanks(text string, i int) int {
	for i < len(text) {
		switch text[i] {
		case ' ', '\t', '\n', '\f', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// citedSet is the set of numbers cited so far, kept so that the first
// number not yet cited from any n on is found in amortised constant time
// (a disjoint-set forest with path compression): it maps each cited
// number to a number after it that was, at some point, not cited.
type citedSet map[int]int

// next returns the least number not in the set that is n or more.
func (s citedSet) next(n int) int {
	root := n
	for {
		after, ok := s[root]
		if !ok {
			break
		}
		root = after
	}
	for n != root {
		after := s[n]
		s[n] = root
		n = after
	}
	return root
}

// add puts n, which next returned, in the set. Numbers have at most 9
// digits, so n+1 does not overflow.
func (s citedSet) add(n int) { s[n] = n + 1 }
