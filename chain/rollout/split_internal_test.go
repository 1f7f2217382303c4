package rollout

import (
	"hash/fnv"
	"testing"
)

// SplitKey promises FNV-1a: the inlined hash must match hash/fnv's.
func TestFNV1aMatchesHashFNV(t *testing.T) {
	for _, s := range []string{"", "a", "user-17", "user-18", "héllo wörld"} {
		h := fnv.New64a()
		_, _ = h.Write([]byte(s))
		if want, got := h.Sum64(), fnv1a(s); got != want {
			t.Errorf("fnv1a(%q) = %#x, want %#x", s, got, want)
		}
	}
}
