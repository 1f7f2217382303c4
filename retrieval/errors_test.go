package retrieval

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

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
