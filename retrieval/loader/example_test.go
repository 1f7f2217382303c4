package loader_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chorus-go/chorus/retrieval/loader"
)

// Walk a directory: Markdown and HTML are loaded, the unknown extension
// is reported as skipped. PDFs would be read with
// loader.WithLoader(".pdf", engine.Loader()) (package retrieval/pdf).
func ExampleDir() {
	root, _ := os.MkdirTemp("", "docs")
	defer os.RemoveAll(root)
	_ = os.WriteFile(filepath.Join(root, "guide.md"), []byte("# Guide\n\nInstall it."), 0o644)
	_ = os.WriteFile(filepath.Join(root, "page.html"), []byte("<title>FAQ</title><p>Ask us.</p>"), 0o644)
	_ = os.WriteFile(filepath.Join(root, "photo.jpg"), []byte{0xff, 0xd8}, 0o644)

	for f, err := range loader.Dir(context.Background(), root) {
		name := filepath.Base(f.Path)
		switch {
		case errors.Is(err, loader.ErrSkipped):
			fmt.Println(name, "skipped")
		case err != nil:
			fmt.Println(name, err)
		default:
			d := f.Docs[0]
			fmt.Printf("%s %s %q %q\n", name, d.Metadata[loader.MetaFormat], d.Metadata[loader.MetaTitle], d.Text)
		}
	}
	// Output:
	// guide.md markdown "Guide" "# Guide\n\nInstall it."
	// page.html html "FAQ" "Ask us."
	// photo.jpg skipped
}
