package serve_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"iter"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/serve"

	"github.com/chorus-go/chorus/chain/chaintest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Req and Resp are the types of the test chains.
type Req struct {
	Text  string `json:"text" jsonschema:"minLength=1"`
	Count int    `json:"count,omitempty" jsonschema:"minimum=0,maximum=10"`
}

type Resp struct {
	Text string `json:"text"`
}

func upper(r Req) Resp { return Resp{Text: strings.ToUpper(r.Text)} }

// quiet discards the endpoint's logs.
var quiet = serve.WithLogger(nil)

func mustHandler[In, Out any](t testing.TB, c chain.Chain[In, Out], opts ...serve.Option) *serve.Endpoint {
	t.Helper()
	e, err := serve.NewEndpoint(c, append([]serve.Option{quiet}, opts...)...)
	if err != nil {
		t.Fatalf("NewEndpoint: %v", err)
	}
	return e
}

// reply is a response read whole.
type reply struct {
	status int
	header http.Header
	body   string
}

func (r reply) errorBody(t *testing.T) serve.ErrorInfo {
	t.Helper()
	var b serve.ErrorBody
	if err := json.Unmarshal([]byte(r.body), &b); err != nil {
		t.Fatalf("error body %q: %v", r.body, err)
	}
	return b.Error
}

func do(t *testing.T, c *http.Client, method, url, contentType, body string, header ...string) reply {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return reply{resp.StatusCode, resp.Header, string(b)}
}

// event is one Server-Sent Event.
type event struct{ name, data string }

// readEvents reads events until the stream ends.
func readEvents(t *testing.T, r io.Reader) []event {
	t.Helper()
	var out []event
	for e := range events(r) {
		out = append(out, e)
	}
	return out
}

// events parses a Server-Sent Events stream.
func events(r io.Reader) iter.Seq[event] {
	return func(yield func(event) bool) {
		sc := bufio.NewScanner(r)
		var cur event
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if cur.name != "" || cur.data != "" {
					if !yield(cur) {
						return
					}
				}
				cur = event{}
			case strings.HasPrefix(line, "event: "):
				cur.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				cur.data += strings.TrimPrefix(line, "data: ")
			}
		}
	}
}

// streamer is a chain that streams its pieces, one by one; after the
// first `block` pieces (if block > 0) it waits for its context to end and
// reports the context's error on done.
type streamer struct {
	pieces []string
	failAt int // yield an error instead of the piece at this index (1-based), if > 0
	err    error
	block  int
	done   chan error
	gap    time.Duration
}

func (s *streamer) Run(ctx context.Context, in Req) (string, error) {
	return strings.Join(s.pieces, ""), nil
}

func (s *streamer) StreamText(ctx context.Context, in Req) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for i, p := range s.pieces {
			if s.block > 0 && i == s.block {
				<-ctx.Done()
				s.done <- ctx.Err()
				yield("", ctx.Err())
				return
			}
			if s.failAt == i+1 {
				yield("", s.err)
				return
			}
			if s.gap > 0 {
				select {
				case <-time.After(s.gap):
				case <-ctx.Done():
					yield("", ctx.Err())
					return
				}
			}
			if !yield(p, nil) {
				return
			}
		}
	}
}

func newFakeClock() *chaintest.Clock {
	return chaintest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
}

// pull is iter.Pull for a sequence of events.
func pull(seq iter.Seq[event]) (func() (event, bool), func()) { return iter.Pull(seq) }

// httpText is a handler that writes s.
type httpText string

func (s httpText) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.WriteString(w, string(s))
}
