package retrieval

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAbbrev(t *testing.T) {
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
		if got := Abbrev(tc.s, tc.max); got != tc.want {
			t.Errorf("%s: Abbrev(%q, %d) = %s, want %s", name, tc.s, tc.max, got, tc.want)
		}
	}
}

func TestDocumentErrorIsShortAndTyped(t *testing.T) {
	id := strings.Repeat("é", 1<<19) // 1 MiB
	err := error(&DocumentError{Index: 3, ID: id, Err: ErrTooLong})
	if !errors.Is(err, ErrInvalidDocument) || !errors.Is(err, ErrTooLong) {
		t.Fatalf("%v should match ErrInvalidDocument and its reason", err)
	}
	msg := err.Error()
	if len(msg) > 200 || !utf8.ValidString(msg) || !strings.Contains(msg, "document 3") || !strings.Contains(msg, "1048576 bytes") {
		t.Fatalf("message of %d bytes: %.300s", len(msg), msg)
	}
}

func TestEncodeMetadataRefusesInvalidUTF8(t *testing.T) {
	for _, md := range []map[string]any{
		{"k": "\xff"}, {"\xff": 1}, {"k": []any{map[string]any{"x": "a\xc3"}}}, {"k": []string{"\xe2\x82"}},
	} {
		if _, err := EncodeMetadata(md); !errors.Is(err, ErrInvalidMetadata) {
			t.Errorf("EncodeMetadata(%q): %v, want ErrInvalidMetadata", md, err)
		}
	}
	// a real U+FFFD, its escaped spelling and an escaped backslash before it are fine
	for _, md := range []map[string]any{{"k": "\ufffd"}, {"k": `\ufffd`}, {"k": `\\ufffd`}} {
		if _, err := EncodeMetadata(md); err != nil {
			t.Errorf("EncodeMetadata(%q): %v", md, err)
		}
	}
}
