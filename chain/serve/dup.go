package serve

import (
	"encoding/json"
	"unicode/utf8"
)

// Duplicate keys. The tree of a body keeps the last value of a key that
// an object repeats (encoding/json's rule, which the validator and the
// typed decoding follow), while the walk checks every value it meets. The
// two agree unless a value broke the schema and a later one of the same
// key replaces it: then the walk stops with errTree and the body is
// judged on its tree (see bodyChecker.check). While walking, the walker
// sees such a key when it comes; once it stops at maxDetails violations,
// laterDuplicate looks for one in the rest of the body.

// laterDuplicate reports whether, after the decoder's position, an open
// object of the walk repeats a key whose value broke the schema. It reads
// the rest of the body byte by byte (the body is valid JSON), without
// decoding it.
func (w *walker) laterDuplicate() bool {
	faulted := false
	for _, f := range w.frames {
		faulted = faulted || len(f.faulted) > 0
	}
	if !faulted {
		return false
	}
	raw := w.raw
	level := len(w.frames) // open containers
	live := level          // containers up to this level are still the walk's frames
	var prev byte          // the last byte that is not white space, or '"' after a string
	for i := int(w.dec.InputOffset()); i < len(raw) && level > 0; {
		c := raw[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		case '{', '[':
			level++
		case '}', ']':
			level--
			live = min(live, level)
		case '"':
			j := stringEnd(raw, i)
			if prev == ',' && level <= live {
				if f := &w.frames[level-1]; f.obj && f.repeats(raw[i:j]) {
					return true
				}
			}
			prev, i = '"', j
			continue
		}
		prev = c
		i++
	}
	return false
}

// stringEnd returns the index just after the string that starts at
// raw[i], a '"'.
func stringEnd(raw []byte, i int) int {
	for j := i + 1; j < len(raw); j++ {
		switch raw[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(raw)
}

// repeats reports whether the quoted key q is one of f's faulted keys.
func (f *frame) repeats(q []byte) bool {
	if len(f.faulted) == 0 {
		return false
	}
	inner := q[1 : len(q)-1]
	plain := utf8.Valid(inner)
	for _, b := range inner {
		plain = plain && b != '\\'
	}
	key := ""
	if plain {
		for _, k := range f.faulted {
			if k == string(inner) {
				return true
			}
		}
		return false
	}
	if json.Unmarshal(q, &key) != nil {
		return false
	}
	for _, k := range f.faulted {
		if k == key {
			return true
		}
	}
	return false
}
