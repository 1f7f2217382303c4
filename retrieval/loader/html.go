package loader

import (
	"bytes"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/PuerkitoBio/goquery"

	"github.com/chorus-go/chorus/retrieval"
)

// HTML loads an HTML page as one document: its main content found by
// go-readability (Mozilla's Readability algorithm: navigation, headers,
// footers, asides, scripts and styles dropped), the page title as
// MetaTitle. When Readability finds no article (a short page), the text
// of the body is taken with script, style, nav, header, footer, aside,
// form and noscript elements removed. At most DefaultMaxSize bytes; the
// page's charset is detected from its meta tags.
func HTML() Loader {
	return bytesLoader(func(name string, b []byte) ([]retrieval.Document, error) {
		title, text := htmlText(b)
		md := map[string]any{}
		if title != "" {
			md[MetaTitle] = title
		}
		return oneDocument(name, "html", text, md)
	})
}

// htmlText returns a page's title and main text.
func htmlText(b []byte) (title, text string) {
	if art, err := readability.FromReader(bytes.NewReader(b), nil); err == nil && art.Node != nil {
		var sb strings.Builder
		if art.RenderText(&sb) == nil {
			text = tidy(sb.String())
		}
		title = strings.TrimSpace(art.Title())
	}
	if strings.TrimSpace(text) != "" {
		return title, text
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
	if err != nil {
		return title, ""
	}
	if title == "" {
		title = strings.TrimSpace(doc.Find("title").First().Text())
	}
	body := doc.Find("body")
	body.Find("script, style, nav, header, footer, aside, form, noscript, template, svg").Remove()
	body.Find("p, div, br, li, h1, h2, h3, h4, h5, h6, tr, section, article, pre, blockquote").Each(func(_ int, s *goquery.Selection) {
		s.AppendHtml("\n")
	})
	return title, tidy(body.Text())
}

// tidy collapses spaces within lines and runs of blank lines.
func tidy(s string) string {
	var out []string
	blank := false
	for line := range strings.SplitSeq(cleanText([]byte(s)), "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
