package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/chorus-go/chorus/chain"
)

// progress is a progress bar over the documents of a run, drawn on
// stderr by github.com/schollz/progressbar:
//
//	documents 100% |██████████████████████████████| (5/5, 2 it/s)
//
// It is safe for concurrent use.
type progress struct {
	bar *progressbar.ProgressBar
}

// newProgress returns a bar over total documents, or nil when there is
// nothing to show: it draws only when forced or when w is a terminal.
func newProgress(w io.Writer, total int, force bool) *progress {
	if total < 1 || !(force || isTerminal(w)) {
		return nil
	}
	bar := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("documents"),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("docs"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)
	return &progress{bar: bar}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// hook counts the documents as the node named "document" ends.
func (p *progress) hook() chain.Hook {
	return chain.HookFuncs{OnEnd: func(_ context.Context, n chain.NodeInfo, _ chain.NodeResult) {
		if n.Name == "document" {
			_ = p.bar.Add(1) // drawing on stderr: nothing to do if it fails
		}
	}}
}

// finish draws the full bar and ends its line (also when some documents
// never reached the end, as when the run was stopped).
func (p *progress) finish() {
	if !p.bar.IsFinished() {
		_ = p.bar.Finish()
	}
}
