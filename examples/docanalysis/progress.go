package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/chorus-go/chorus/chain"
)

// progress draws a text progress bar over the documents of a run:
//
//	[##########----------] 3/6 documents
//
// redrawn in place with a carriage return. It is safe for concurrent use.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	done  int
	total int
}

// newProgress returns a bar over total documents, or nil when there is
// nothing to show: it draws only when forced or when w is a terminal.
func newProgress(w io.Writer, total int, force bool) *progress {
	if total < 1 || !(force || isTerminal(w)) {
		return nil
	}
	p := &progress{w: w, total: total}
	p.draw()
	return p
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// hook counts the documents as the node named "document" ends.
func (p *progress) hook() chain.Hook {
	return chain.HookFuncs{OnEnd: func(_ context.Context, n chain.NodeInfo, _ chain.NodeResult) {
		if n.Name == "document" {
			p.add()
		}
	}}
}

func (p *progress) add() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	p.draw()
}

// finish ends the bar's line.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintln(p.w)
}

func (p *progress) draw() {
	const width = 30
	filled := width * p.done / p.total
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d documents", strings.Repeat("#", filled), strings.Repeat("-", width-filled), p.done, p.total)
}
