package ollamatest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ollama/ollama/api"
)

// message is a message reply cut into what is streamed.
type message struct {
	thinking  []string // thinking chunks, sent first
	content   []string // content chunks
	toolCalls []api.ToolCall
	metrics   api.Metrics
	reason    string
}

// prepare chunks a message reply and computes its final metrics.
// promptWords estimates the prompt's tokens.
func (s *Server) prepare(rep Reply, promptWords int) message {
	size := cmp.Or(max(rep.chunkSize, 0), s.cfg.chunkSize)
	m := message{
		thinking:  split(rep.thinking, size),
		content:   split(rep.content, size),
		toolCalls: s.numberCalls(rep.toolCalls),
		reason:    cmp.Or(rep.doneReason, "stop"),
	}
	out := len(m.thinking) + len(m.content) + len(m.toolCalls)
	m.metrics = usage(cmp.Or(rep.promptEval, max(promptWords, 1)), cmp.Or(rep.eval, max(out, 1)))
	return m
}

// numberCalls copies tool calls, setting function.index and missing IDs as
// Ollama does.
func (s *Server) numberCalls(calls []api.ToolCall) []api.ToolCall {
	if len(calls) == 0 {
		return nil
	}
	out := make([]api.ToolCall, len(calls))
	for i, c := range calls {
		c.Function.Index = i
		if c.ID == "" {
			c.ID = fmt.Sprintf("call_%08d", s.calls.Add(1))
		}
		out[i] = c
	}
	return out
}

// usage returns deterministic metrics for the token counts.
func usage(promptTokens, outputTokens int) api.Metrics {
	load := time.Millisecond
	prompt := time.Duration(promptTokens) * 100 * time.Microsecond
	eval := time.Duration(outputTokens) * time.Millisecond
	return api.Metrics{
		TotalDuration:      load + prompt + eval,
		LoadDuration:       load,
		PromptEvalCount:    promptTokens,
		PromptEvalDuration: prompt,
		EvalCount:          outputTokens,
		EvalDuration:       eval,
	}
}

// split cuts s into chunks of n runes.
func split(s string, n int) []string {
	if s == "" {
		return nil
	}
	n = max(n, 1)
	r := []rune(s)
	out := make([]string, 0, (len(r)+n-1)/n)
	for len(r) > 0 {
		k := min(n, len(r))
		out = append(out, string(r[:k]))
		r = r[k:]
	}
	return out
}

// words counts whitespace-separated words, a stand-in for tokens.
func words(texts ...string) int {
	n := 0
	for _, t := range texts {
		n += len(strings.Fields(t))
	}
	return n
}

// serveMessage sends a resolved message reply: the chunks and the final
// object as NDJSON when streaming, else the whole object. It applies the
// reply's ending (done, error line, cut, stall).
func (s *Server) serveMessage(w http.ResponseWriter, r *http.Request, rep Reply, streaming bool, chunks []any, final, whole any) {
	ctx := r.Context()
	if rep.buildErr != nil {
		s.t.Errorf("ollamatest: scripted reply cannot be encoded: %v", rep.buildErr)
		writeError(w, http.StatusInternalServerError, "ollamatest: "+rep.buildErr.Error())
		return
	}
	if !streaming {
		switch rep.end {
		case endErrorLine:
			writeError(w, http.StatusInternalServerError, rep.message)
		case endCut:
			panic(http.ErrAbortHandler)
		case endStall:
			s.hang(ctx)
		default:
			writeJSON(w, http.StatusOK, whole)
		}
		return
	}
	if rep.end == endErrorLine && len(chunks) == 0 {
		// Ollama answers an error raised before any output with its status.
		writeError(w, http.StatusInternalServerError, rep.message)
		return
	}
	delay := cmp.Or(rep.chunkDelay, s.cfg.chunkDelay)
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	send := func(i int, v any) {
		if i > 0 && delay > 0 && !s.wait(ctx, delay) {
			panic(http.ErrAbortHandler)
		}
		b, err := json.Marshal(v)
		if err != nil {
			s.t.Errorf("ollamatest: encode stream line: %v", err)
			panic(http.ErrAbortHandler)
		}
		w.Write(append(b, '\n'))
		rc.Flush()
	}
	for i, c := range chunks {
		send(i, c)
	}
	switch rep.end {
	case endDone:
		send(len(chunks), final)
	case endErrorLine:
		send(len(chunks), map[string]string{"error": rep.message})
	case endCut:
		panic(http.ErrAbortHandler)
	case endStall:
		s.hang(ctx)
	}
}
