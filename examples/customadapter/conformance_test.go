package customadapter_test

import (
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/examples/customadapter"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/conformance"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestConformance runs the adapter through the conformance kit: every
// check gets a fresh fake server and a model talking to it.
func TestConformance(t *testing.T) {
	conformance.TestChatModel(t, func(t *testing.T) conformance.ChatHarness {
		s := newFakeServer()
		t.Cleanup(s.close)
		m, err := customadapter.New(s.srv.URL, "tiny-1", customadapter.WithHTTPClient(s.srv.Client()))
		if err != nil {
			t.Fatal(err)
		}
		return harness{s: s, m: m}
	})
}

// harness connects the kit to the fake server.
type harness struct {
	s *fakeServer
	m *customadapter.Model
}

func (h harness) Model() llm.ChatModel   { return h.m }
func (h harness) ScriptText(text string) { h.s.reply(fakeReply{output: text}) }
func (h harness) ScriptHang()            { h.s.reply(fakeReply{hang: true}) }

func (h harness) ScriptError(status int, message string, retryAfter time.Duration) {
	h.s.reply(fakeReply{status: status, message: message, retryAfter: retryAfter})
}

func (h harness) Requests() []conformance.Request {
	var out []conformance.Request
	for _, r := range h.s.requests() {
		req := conformance.Request{Schema: r.JSONSchema}
		for _, m := range r.Messages {
			if m.Role == "user" {
				req.Prompt = m.Content
			}
		}
		out = append(out, req)
	}
	return out
}
