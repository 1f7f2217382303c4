package serve

import (
	"context"
	"errors"
	"net/http"

	"github.com/chorus-go/chorus/chain"
)

// checker is a node that can say whether it would take a call now, as
// chain.CircuitBreaker does.
type checker interface {
	Check(ctx context.Context) error
}

// nodeChecks walks a chain's graph and returns a check for every node
// whose chain is a checker, named after the mount path and the node path.
func nodeChecks(mount string, root chain.Node) []check {
	var out []check
	var walk func(n chain.Node, path string)
	walk = func(n chain.Node, path string) {
		name := n.Name
		if name == "" {
			name = string(n.Kind)
		}
		if path != "" {
			path += "/"
		}
		path += name
		if c, ok := n.Chain.(checker); ok {
			out = append(out, check{name: mount + " " + path, fn: c.Check})
		}
		for _, child := range n.Children {
			walk(child, path)
		}
	}
	walk(root, "")
	return out
}

// readyBody is the body of /healthz and /readyz.
type readyBody struct {
	Status string        `json:"status"`
	Checks []checkResult `json:"checks,omitempty"`
}

// checkResult is one check's outcome in /readyz's body. Error is there
// only when the request asks with ?verbose.
type checkResult struct {
	Name  string `json:"name"`
	Ready bool   `json:"ready"`
	Error string `json:"error,omitempty"`
}

var errCheckTimeout = errors.New("serve: readiness check did not finish in time")

// serveReady runs every check at once, bounded by the ready timeout, and
// answers 200 when all pass, else 503 naming those that did not.
func (m *Mux) serveReady(w http.ResponseWriter, r *http.Request) {
	if !getOrHead(w, r) {
		return
	}
	m.mu.RLock()
	checks := m.checks
	m.mu.RUnlock()
	_, verbose := r.URL.Query()["verbose"]

	ctx, cancel := context.WithTimeout(r.Context(), m.readyTimeout)
	defer cancel()
	type outcome struct {
		i   int
		err error
	}
	// Buffered: a check that ignores its context and outlives the
	// request can still finish, and its goroutine end.
	done := make(chan outcome, len(checks))
	for i, c := range checks {
		go func() { done <- outcome{i, runCheck(ctx, c.fn)} }()
	}
	errs := make([]error, len(checks))
	answered := make([]bool, len(checks))
wait:
	for range checks {
		select {
		case o := <-done:
			errs[o.i], answered[o.i] = o.err, true
		case <-ctx.Done():
			break wait
		}
	}
	for i := range errs {
		if !answered[i] {
			errs[i] = errCheckTimeout
		}
	}

	body := readyBody{Status: "ready"}
	status := http.StatusOK
	for i, c := range checks {
		res := checkResult{Name: c.name, Ready: errs[i] == nil}
		if !res.Ready {
			body.Status, status = "not ready", http.StatusServiceUnavailable
			if verbose {
				res.Error = errs[i].Error()
			}
		}
		if !res.Ready || verbose {
			body.Checks = append(body.Checks, res)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, body)
}

// runCheck runs one check, a panic counting as a failure.
func runCheck(ctx context.Context, fn func(context.Context) error) (err error) {
	defer chain.Recover(&err)
	return fn(ctx)
}
