package tesseract_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/llm"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// needTesseract skips the test when the tesseract program is missing.
func needTesseract(tb testing.TB) {
	tb.Helper()
	if _, err := exec.LookPath("tesseract"); err != nil {
		tb.Skip("tesseract not on PATH: install tesseract-ocr (make test does it)")
	}
}

// readImage loads testdata/NAME.png as an llm.Image.
func readImage(tb testing.TB, name string) llm.Image {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".png"))
	if err != nil {
		tb.Fatal(err)
	}
	return llm.Image{MIMEType: "image/png", Data: data}
}

// readTruth loads testdata/NAME.gt.txt.
func readTruth(tb testing.TB, name string) string {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".gt.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}

// normalize puts text in the form CER compares: lines with single spaces
// between words, no blank lines.
func normalize(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// cer is the character error rate of got against want: the edit distance
// between their normalized forms over the length of want, in runes.
func cer(want, got string) float64 {
	a, b := []rune(normalize(want)), []rune(normalize(got))
	if len(a) == 0 {
		if len(b) == 0 {
			return 0
		}
		return 1
	}
	return float64(levenshtein(a, b)) / float64(len(a))
}

func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func TestLevenshtein(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "ab", 2}, {"kitten", "sitting", 3}, {"22.66", "22.66", 0}, {"flaw", "lawn", 2},
	} {
		if got := levenshtein([]rune(c.a), []rune(c.b)); got != c.want {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	if got := cer("a  b\n\nc", "a b\nc"); got != 0 {
		t.Errorf("cer of equal texts after normalizing = %v", got)
	}
}
