package abbrev

import "testing"

func TestQuote(t *testing.T) {
	cases := map[string]struct {
		s    string
		max  int
		want string
	}{
		"short":            {"abc", 8, `"abc"`},
		"cut":              {"abcdefgh", 4, `"abcd"... (8 bytes)`},
		"cut at boundary":  {"ab€cd", 3, `"ab"... (7 bytes)`},
		"invalid UTF-8":    {"\xff\xfe\xfd\xfc\xfb", 2, `"\xff\xfe"... (5 bytes)`},
		"continuation run": {"a\x80\x80\x80\x80\x80", 5, `"a"... (6 bytes)`},
	}
	for name, tc := range cases {
		if got := Quote(tc.s, tc.max); got != tc.want {
			t.Errorf("%s: Quote(%q, %d) = %s, want %s", name, tc.s, tc.max, got, tc.want)
		}
	}
}
