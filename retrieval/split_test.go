package retrieval_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/retrieval"
)

const prose = `Chorus composes models. A chain turns an input into an output, and chains compose into graphs.

Sequential pipelines run stages one after another: OCR, then layout, then extraction, then classification. Parallel chains run several models on the same input at once.

An ensemble votes. Majority voting counts each member once; weighted voting trusts some members more; a weighted mean averages numbers. A quorum says how many members must answer.`

func TestRecursiveSplitterSizes(t *testing.T) {
	for _, size := range []int{20, 50, 80, 200, 1000} {
		for _, overlap := range []int{0, 5, size / 3} {
			s := retrieval.MustRecursiveSplitter(size, overlap)
			chunks := s.SplitText(prose)
			if len(chunks) == 0 {
				t.Fatalf("size %d: no chunks", size)
			}
			for _, c := range chunks {
				if n := utf8.RuneCountInString(c); n > size {
					t.Fatalf("size %d overlap %d: chunk of %d characters: %q", size, overlap, n, c)
				}
				if c != strings.TrimSpace(c) || c == "" {
					t.Fatalf("chunk not trimmed: %q", c)
				}
			}
			if overlap == 0 { // nothing lost, nothing repeated
				if got, want := strings.Join(strings.Fields(strings.Join(chunks, " ")), ""), strings.Join(strings.Fields(prose), ""); got != want {
					t.Fatalf("size %d: chunks do not add up to the text:\n%s\n%s", size, got, want)
				}
			}
		}
	}
}

func TestRecursiveSplitterPrefersCoarseSeparators(t *testing.T) {
	s := retrieval.MustRecursiveSplitter(180, 0)
	chunks := s.SplitText(prose)
	want := []string{
		"Chorus composes models. A chain turns an input into an output, and chains compose into graphs.",
		"Sequential pipelines run stages one after another: OCR, then layout, then extraction, then classification. Parallel chains run several models on the same input at once.",
		"An ensemble votes. Majority voting counts each member once; weighted voting trusts some members more; a weighted mean averages numbers. A quorum says how many members must answer.",
	}
	if diff := cmp.Diff(want, chunks); diff != "" {
		t.Fatalf("chunks (-want +got):\n%s", diff)
	}
}

func TestRecursiveSplitterOverlap(t *testing.T) {
	text := "one two three four five six seven eight nine ten eleven twelve"
	chunks := retrieval.MustRecursiveSplitter(20, 10).SplitText(text)
	// each chunk starts with the longest tail of the previous one that
	// fits in 10 characters (separators included)
	want := []string{"one two three four", "four five six seven", "six seven eight", "eight nine ten", "nine ten eleven", "eleven twelve"}
	if diff := cmp.Diff(want, chunks); diff != "" {
		t.Fatalf("chunks (-want +got):\n%s", diff)
	}
}

func TestRecursiveSplitterCharacters(t *testing.T) {
	chunks := retrieval.MustRecursiveSplitter(4, 1).SplitText("模型组合顺序并行投票")
	want := []string{"模型组合", "合顺序并", "并行投票"}
	if diff := cmp.Diff(want, chunks); diff != "" {
		t.Fatalf("chunks (-want +got):\n%s", diff)
	}
	if got := retrieval.MustRecursiveSplitter(5, 0).SplitText(" \n\n "); len(got) != 0 {
		t.Fatalf("blank text: %q", got)
	}
	// invalid UTF-8 does not panic
	retrieval.MustRecursiveSplitter(2, 0).SplitText("a\xffb\xfe")
}

func TestRecursiveSplitterWithoutCharacterFallback(t *testing.T) {
	s := retrieval.MustRecursiveSplitter(5, 0, retrieval.Separators(" "))
	want := []string{"tiny", "enormousword", "end"}
	if diff := cmp.Diff(want, s.SplitText("tiny enormousword end")); diff != "" {
		t.Fatalf("chunks (-want +got):\n%s", diff)
	}
}

func TestRecursiveSplitterTokens(t *testing.T) {
	counter := llm.ApproxTokens()
	s := retrieval.MustRecursiveSplitter(16, 4, retrieval.CountWith(counter))
	for _, c := range s.SplitText(prose) {
		if n := counter.CountTokens(c); n > 16 {
			t.Fatalf("chunk of %d tokens: %q", n, c)
		}
	}
	words := llm.TokenCounterFunc(func(s string) int { return len(strings.Fields(s)) })
	chunks := retrieval.MustRecursiveSplitter(3, 0, retrieval.CountWith(words)).SplitText("a b c d e f g")
	if diff := cmp.Diff([]string{"a b c", "d e f", "g"}, chunks); diff != "" {
		t.Fatalf("word chunks (-want +got):\n%s", diff)
	}
}

func TestSplitDocuments(t *testing.T) {
	doc := retrieval.Document{ID: "manual", Text: prose, Metadata: map[string]any{"source": "seed 000"}}
	chunks := retrieval.SplitAll(retrieval.MustRecursiveSplitter(120, 20), []retrieval.Document{doc, {ID: "empty", Text: " "}})
	if len(chunks) < 3 {
		t.Fatalf("%d chunks", len(chunks))
	}
	for i, c := range chunks {
		if c.ID != "manual#"+itoa(i) || c.Metadata["source"] != "seed 000" || c.Metadata[retrieval.MetaParentID] != "manual" || c.Metadata[retrieval.MetaChunk] != i {
			t.Fatalf("chunk %d: %+v", i, c)
		}
	}
	if _, ok := doc.Metadata[retrieval.MetaChunk]; ok {
		t.Fatal("splitting changed the parent's metadata")
	}
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + string(rune('0'+i))) }
