package serve

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/schema"
)

// stream sends each data seq yields as a Server-Sent Event of the given
// name, then "done" (see Endpoint). An error before the first event is an
// ordinary error reply.
func (e *Endpoint) stream(w http.ResponseWriter, r *http.Request, tctx context.Context, name string, seq iter.Seq2[[]byte, error]) {
	rc := http.NewResponseController(w)
	started := false
	start := func() {
		h := w.Header()
		h.Set("Content-Type", "text/event-stream")
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Accel-Buffering", "no") // tell nginx-like proxies not to buffer
		w.WriteHeader(http.StatusOK)
		started = true
	}
	for data, err := range seq {
		if err != nil {
			if !started || r.Context().Err() != nil {
				e.fail(w, r, tctx, err)
				return
			}
			red := requestRedactor(r)
			f := e.chainFailure(err, red, timedOut(tctx))
			e.logFailure(r, f, red.Error(err), stackAttr(err))
			b, _ := json.Marshal(ErrorBody{Error: f.info})
			_ = e.event(rc, w, "error", b)
			return
		}
		if r.Context().Err() != nil {
			e.clientGone(r, r.Context().Err())
			return
		}
		if !started {
			start()
		}
		if err := e.event(rc, w, name, data); err != nil {
			e.clientGone(r, err)
			return // leaving the loop stops the iterator
		}
	}
	if !started {
		start()
	}
	if err := e.event(rc, w, "done", []byte("{}")); err != nil {
		e.clientGone(r, err)
	}
}

// event writes one event and flushes it, with the write deadline pushed
// forward first so a long stream outlives the server's WriteTimeout.
func (e *Endpoint) event(rc *http.ResponseController, w http.ResponseWriter, name string, data []byte) error {
	_ = rc.SetWriteDeadline(time.Now().Add(e.cfg.streamWindow))
	buf := make([]byte, 0, len(name)+len(data)+16)
	buf = append(buf, "event: "...)
	buf = append(buf, name...)
	buf = append(buf, "\ndata: "...)
	buf = append(buf, data...)
	buf = append(buf, "\n\n"...)
	if _, err := w.Write(buf); err != nil {
		return err
	}
	return rc.Flush()
}

// textEvents turns text pieces into the data of "chunk" events:
// {"text":"..."}.
func textEvents(seq iter.Seq2[string, error]) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		for piece, err := range seq {
			if err != nil {
				yield(nil, err)
				return
			}
			b, err := json.Marshal(struct {
				Text string `json:"text"`
			}{piece})
			if !yield(b, err) || err != nil {
				return
			}
		}
	}
}

// resultEvent runs c and yields its output encoded as the JSON reply: the
// data of the one "result" event of a non-text output.
func resultEvent[In, Out any](ctx context.Context, c chain.Chain[In, Out], in In, out *schema.Schema[Out]) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		v, err := runSafe(ctx, c, in)
		if err != nil {
			yield(nil, err)
			return
		}
		yield(out.Encode(v))
	}
}

// safeSeq turns a panic in seq into a *chain.PanicError it yields.
func safeSeq(seq iter.Seq2[string, error]) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		inYield, stopped := false, false
		defer func() {
			if v := recover(); v != nil {
				// A panic of the consumer, or after it stopped, is not
				// the chain's: let it go on.
				if inYield || stopped || v == http.ErrAbortHandler {
					panic(v)
				}
				yield("", &chain.PanicError{Value: v, Stack: debug.Stack()})
			}
		}()
		for piece, err := range seq {
			inYield = true
			more := yield(piece, err)
			inYield = false
			if !more {
				stopped = true
				return
			}
		}
	}
}
