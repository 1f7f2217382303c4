package loader_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/retrieval"
	"github.com/chorus-go/chorus/retrieval/loader"
)

// tree makes a directory of files of every kind Dir meets.
func tree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		mt := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt", "alpha text")
	write("b.md", "# Beta\n\nbeta text")
	write("c/d.html", "<html><head><title>Delta</title></head><body><p>delta text</p></body></html>")
	write("c/e.bin", "\x00\x01")
	write("c/f.CSV", "x,y\n1,2\n")
	write(".hidden/g.txt", "hidden")
	write("empty.txt", "   ")
	write("big.txt", strings.Repeat("x", 2000))
	if err := os.Symlink(filepath.Join(root, "a.txt"), filepath.Join(root, "link.txt")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := os.Symlink(root, filepath.Join(root, "c", "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "missing"), filepath.Join(root, "dangling.txt")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "pipe.txt"), 0o644); err != nil {
		t.Log("no FIFO:", err)
	}
	return root
}

type entry struct {
	Path string
	Docs []string
	Err  string
}

func walk(t *testing.T, root string, opts ...loader.DirOption) []entry {
	t.Helper()
	var out []entry
	for f, err := range loader.Dir(context.Background(), root, opts...) {
		e := entry{Path: strings.TrimPrefix(filepath.ToSlash(f.Path), filepath.ToSlash(root)+"/")}
		for _, d := range f.Docs {
			e.Docs = append(e.Docs, d.Text)
		}
		switch {
		case err == nil:
		case errors.Is(err, loader.ErrSkipped):
			e.Err = "skipped"
		case errors.Is(err, loader.ErrTooLarge):
			e.Err = "too large"
		case errors.Is(err, loader.ErrNoText):
			e.Err = "no text"
		case errors.Is(err, loader.ErrSymlinkLoop):
			e.Err = "loop"
		default:
			e.Err = "error"
		}
		var fe *loader.FileError
		if err != nil && (!errors.As(err, &fe) || fe.Path != f.Path || !strings.Contains(err.Error(), f.Path)) {
			t.Errorf("%s: error %v does not name the file", f.Path, err)
		}
		out = append(out, e)
	}
	return out
}

func TestDir(t *testing.T) {
	root := tree(t)
	csv := loader.Func(func(ctx context.Context, name string, r io.Reader) ([]retrieval.Document, error) {
		b, err := io.ReadAll(r)
		return []retrieval.Document{{ID: name, Text: strings.ReplaceAll(string(b), "\n", ";")}}, err
	})
	got := walk(t, root, loader.WithMaxSize(1000), loader.WithLoader(".csv", csv))
	want := []entry{
		{Path: "a.txt", Docs: []string{"alpha text"}},
		{Path: "b.md", Docs: []string{"# Beta\n\nbeta text"}},
		{Path: "big.txt", Err: "too large"},
		{Path: "c/d.html", Docs: []string{"delta text"}},
		{Path: "c/e.bin", Err: "skipped"},
		{Path: "c/f.CSV", Docs: []string{"x,y;1,2;"}},
		{Path: "c/loop", Err: "skipped"},
		{Path: "dangling.txt", Err: "error"},
		{Path: "empty.txt", Err: "no text"},
		{Path: "link.txt", Docs: []string{"alpha text"}},
		{Path: "pipe.txt", Err: "skipped"},
	}
	if _, err := os.Lstat(filepath.Join(root, "pipe.txt")); err != nil {
		want = append(want[:10], want[11:]...)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("walk (-want +got):\n%s", diff)
	}
	if again := walk(t, root, loader.WithMaxSize(1000), loader.WithLoader(".csv", csv)); !cmp.Equal(got, again) {
		t.Error("second walk differs")
	}
}

func TestDirMetadata(t *testing.T) {
	root := tree(t)
	for f, err := range loader.Dir(context.Background(), filepath.Join(root, "a.txt")) {
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{
			"source":   filepath.ToSlash(filepath.Join(root, "a.txt")),
			"format":   "text",
			"modified": "2026-01-02T03:04:05Z",
			"size":     int64(10),
		}
		if diff := cmp.Diff(want, f.Docs[0].Metadata); diff != "" {
			t.Errorf("metadata (-want +got):\n%s", diff)
		}
		if f.Docs[0].ID != want["source"] {
			t.Errorf("ID %q", f.Docs[0].ID)
		}
	}
}

func TestDirFollowSymlinksStopsLoops(t *testing.T) {
	root := tree(t)
	got := walk(t, root, loader.FollowSymlinks(), loader.IncludeHidden())
	var paths []string
	for _, e := range got {
		paths = append(paths, e.Path+":"+e.Err)
	}
	joined := strings.Join(paths, " ")
	if !strings.Contains(joined, "c/loop:loop") || !strings.Contains(joined, ".hidden/g.txt:") {
		t.Errorf("walk: %s", joined)
	}
}

func TestLoadDir(t *testing.T) {
	root := tree(t)
	docs, rep, err := loader.LoadDir(context.Background(), root, loader.WithMaxSize(1000))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 4 || rep.Docs != 4 || len(rep.Failed) != 3 || len(rep.Skipped) < 3 {
		t.Errorf("%d docs, report %+v", len(docs), rep)
	}
}

func TestDirStopsOnCancel(t *testing.T) {
	root := tree(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	var last error
	for _, err := range loader.Dir(ctx, root) {
		n++
		cancel()
		last = err
	}
	if n != 2 || !errors.Is(last, context.Canceled) {
		t.Errorf("%d files, last error %v", n, last)
	}
	// Breaking out of the loop stops the walk.
	n = 0
	for range loader.Dir(context.Background(), root) {
		n++
		break
	}
	if n != 1 {
		t.Errorf("%d after break", n)
	}
}

func TestDirErrors(t *testing.T) {
	for _, opt := range []loader.DirOption{loader.WithLoader("pdf", loader.Text()), loader.WithMaxSize(0)} {
		for _, err := range loader.Dir(context.Background(), t.TempDir(), opt) {
			if !errors.Is(err, chain.ErrConfig) {
				t.Errorf("err = %v, want chain.ErrConfig", err)
			}
		}
	}
	for _, err := range loader.Dir(context.Background(), filepath.Join(t.TempDir(), "none")) {
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("missing root: %v", err)
		}
	}
}
