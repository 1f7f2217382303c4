package retrieval_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/retrieval"
)

const manual = `Intro text before any heading.

# Chorus

Chorus composes models.

## Chains

A chain turns an input into an output.

### Vote

Members vote.

` + "```go" + `
# not a heading, inside code
x := 1
` + "```" + `

## Stores
The in-memory store.

Setext heading
--------------

Under a setext heading.

Top again
=========
## Empty heading
## Last ##
Final words.
`

func TestMarkdownSections(t *testing.T) {
	got := retrieval.MarkdownSections(manual)
	type sec struct {
		Path  string
		First string
	}
	var summary []sec
	for _, s := range got {
		summary = append(summary, sec{strings.Join(s.Headings, " > "), strings.SplitN(strings.TrimSpace(s.Text), "\n", 2)[0]})
	}
	want := []sec{
		{"", "Intro text before any heading."},
		{"Chorus", "# Chorus"},
		{"Chorus > Chains", "## Chains"},
		{"Chorus > Chains > Vote", "### Vote"},
		{"Chorus > Stores", "## Stores"},
		{"Chorus > Setext heading", "Setext heading"},
		{"Top again > Last", "## Last ##"},
	}
	if diff := cmp.Diff(want, summary); diff != "" {
		t.Fatalf("sections (-want +got):\n%s", diff)
	}
	if !strings.Contains(got[3].Text, "# not a heading, inside code") {
		t.Fatalf("code block lost from its section: %q", got[3].Text)
	}
}

func TestMarkdownSplitter(t *testing.T) {
	s := retrieval.MustMarkdownSplitter(60, 10)
	chunks := s.Split(retrieval.Document{ID: "m", Text: manual, Metadata: map[string]any{"file": "README.md"}})
	for i, c := range chunks {
		if len([]rune(c.Text)) > 60 {
			t.Fatalf("chunk %d too long: %q", i, c.Text)
		}
		if c.Metadata["file"] != "README.md" || c.Metadata[retrieval.MetaChunk] != i {
			t.Fatalf("chunk %d metadata %v", i, c.Metadata)
		}
	}
	if _, ok := chunks[0].Metadata[retrieval.MetaHeadings]; ok {
		t.Fatalf("intro has headings: %v", chunks[0].Metadata)
	}
	var vote *retrieval.Document
	for i := range chunks {
		if strings.Contains(chunks[i].Text, "Members vote.") {
			vote = &chunks[i]
		}
	}
	if vote == nil {
		t.Fatal("no chunk holds the Vote section")
	}
	if diff := cmp.Diff([]string{"Chorus", "Chains", "Vote"}, vote.Metadata[retrieval.MetaHeadings]); diff != "" {
		t.Fatalf("heading path (-want +got):\n%s", diff)
	}
	// a large section is cut further and every piece keeps the path
	long := "# Big\n\n" + strings.Repeat("word ", 100)
	for _, c := range retrieval.MustMarkdownSplitter(50, 0).Split(retrieval.Document{ID: "b", Text: long}) {
		if diff := cmp.Diff([]string{"Big"}, c.Metadata[retrieval.MetaHeadings]); diff != "" {
			t.Fatalf("piece of a big section lost its path: %v", c.Metadata)
		}
	}
}
