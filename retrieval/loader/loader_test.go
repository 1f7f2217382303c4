package loader_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/retrieval/loader"
)

func TestText(t *testing.T) {
	docs, err := loader.Text().Load(context.Background(), "a.txt", strings.NewReader("\xef\xbb\xbfhello\r\nworld\x00 \xff"))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].ID != "a.txt" || docs[0].Text != "hello\nworld \uFFFD" {
		t.Fatalf("docs %+v", docs)
	}
	if docs[0].Metadata["source"] != "a.txt" || docs[0].Metadata["format"] != "text" {
		t.Errorf("metadata %v", docs[0].Metadata)
	}
	if err := docs[0].Validate(0, 0); err == nil || !strings.Contains(err.Error(), "dimension") {
		t.Errorf("storable apart from the embedding: %v", err)
	}
	if _, err := loader.Text().Load(context.Background(), "e.txt", strings.NewReader(" \n\t")); !errors.Is(err, loader.ErrNoText) {
		t.Errorf("blank file: %v", err)
	}
}

func TestMarkdown(t *testing.T) {
	src := "---\ntitle: x\n---\n```\n# not a title\n```\n# Getting started\n\nText.\n\n## Install\nRun it.\n"
	docs, err := loader.Markdown().Load(context.Background(), "guide.md", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	if d.Metadata["title"] != "Getting started" || d.Metadata["format"] != "markdown" || strings.Contains(d.Text, "title: x") || !strings.Contains(d.Text, "## Install") {
		t.Errorf("document %+v", d)
	}
}

const page = `<!doctype html><html><head><title>Shipping policy | Northwind</title>
<style>body{color:red}</style><script>var tracking = "SECRET";</script></head>
<body><nav><a href="/">Home</a> <a href="/about">About us</a></nav>
<header>Northwind Supplies — menu</header>
<article><h1>Shipping policy</h1>
<p>Orders placed before noon ship the same working day from our Hamburg warehouse. Deliveries within Germany take one to two working days.</p>
<p>International orders are shipped with tracked courier services and usually arrive within five working days. Customs duties are paid by the recipient.</p>
<p>Returns are accepted within thirty days of delivery when the goods are unused and in their original packaging.</p>
</article>
<footer>Copyright 2026 Northwind. Imprint. Privacy.</footer></body></html>`

func TestHTML(t *testing.T) {
	docs, err := loader.HTML().Load(context.Background(), "policy.html", strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	if !strings.Contains(d.Metadata["title"].(string), "Shipping policy") {
		t.Errorf("title %v", d.Metadata["title"])
	}
	for _, want := range []string{"same working day", "five working days", "thirty days"} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("text lacks %q: %q", want, d.Text)
		}
	}
	for _, bad := range []string{"SECRET", "color:red", "About us", "Imprint", "menu"} {
		if strings.Contains(d.Text, bad) {
			t.Errorf("text keeps %q: %q", bad, d.Text)
		}
	}
}

func TestHTMLShortPageFallsBack(t *testing.T) {
	src := `<html><head><title>Hi</title><script>x()</script></head><body><nav>Menu</nav><p>Opening hours: 9 to 5.</p></body></html>`
	docs, err := loader.HTML().Load(context.Background(), "short.html", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(docs[0].Text, "Opening hours: 9 to 5.") || strings.Contains(docs[0].Text, "x()") {
		t.Errorf("text %q", docs[0].Text)
	}
}

func TestReadAllLimit(t *testing.T) {
	if _, err := loader.ReadAll(strings.NewReader("12345"), 4); !errors.Is(err, loader.ErrTooLarge) {
		t.Errorf("5 bytes, limit 4: %v", err)
	}
	if b, err := loader.ReadAll(strings.NewReader("1234"), 4); err != nil || string(b) != "1234" {
		t.Errorf("4 bytes, limit 4: %q %v", b, err)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, l := range []loader.Loader{loader.Text(), loader.Markdown(), loader.HTML()} {
		if _, err := l.Load(ctx, "x", strings.NewReader("text")); !errors.Is(err, context.Canceled) {
			t.Errorf("%v", err)
		}
	}
}
