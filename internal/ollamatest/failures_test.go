package ollamatest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/ollama/ollama/api"
)

func TestMissingModelIsStatusErrorValue(t *testing.T) {
	s := New(t, WithModels("llama3.2", "nomic-embed-text"))
	ctx := testContext(t)
	c := s.Client()

	tests := []struct {
		name string
		call func() error
		want api.StatusError
	}{
		{
			name: "chat",
			call: func() error { _, err := chat(ctx, c, userChat("mistral", "hi")); return err },
			// Chat and Generate read the status line too.
			want: api.StatusError{StatusCode: 404, Status: "404 Not Found", ErrorMessage: "model 'mistral' not found"},
		},
		{
			name: "generate",
			call: func() error {
				return c.Generate(ctx, &api.GenerateRequest{Model: "mistral", Prompt: "hi"}, func(api.GenerateResponse) error { return nil })
			},
			want: api.StatusError{StatusCode: 404, Status: "404 Not Found", ErrorMessage: "model 'mistral' not found"},
		},
		{
			name: "embed",
			call: func() error { _, err := c.Embed(ctx, &api.EmbedRequest{Model: "bge-m3", Input: "x"}); return err },
			// Embed, Show, List and Version leave Status empty.
			want: api.StatusError{StatusCode: 404, ErrorMessage: `model "bge-m3" not found, try pulling it first`},
		},
		{
			name: "show",
			call: func() error { _, err := c.Show(ctx, &api.ShowRequest{Model: "mistral"}); return err },
			want: api.StatusError{StatusCode: 404, ErrorMessage: "model 'mistral' not found"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var se api.StatusError
			if !errors.As(err, &se) {
				t.Fatalf("err = %#v, want an api.StatusError value", err)
			}
			if se != tt.want {
				t.Errorf("StatusError = %#v, want %#v", se, tt.want)
			}
			var pse *api.StatusError
			if errors.As(err, &pse) {
				t.Errorf("errors.As with *api.StatusError matched; the client returns values")
			}
		})
	}

	// Installed names match case-insensitively, with :latest implied.
	for _, m := range []string{"llama3.2", "Llama3.2:latest", "nomic-embed-text:latest"} {
		if _, err := chat(ctx, c, userChat(m, "hi")); err != nil {
			t.Errorf("chat with installed %q: %v", m, err)
		}
	}
}

func TestErrorReplies(t *testing.T) {
	for _, status := range []int{400, 404, 500, 503} {
		for _, stream := range []bool{true, false} {
			s := New(t)
			s.Enqueue(Error(status, "scripted failure"))
			req := userChat("m", "x")
			req.Stream = ptr(stream)
			_, err := chat(testContext(t), s.Client(), req)
			var se api.StatusError
			if !errors.As(err, &se) || se.StatusCode != status || se.ErrorMessage != "scripted failure" ||
				se.Status != fmt.Sprintf("%d %s", status, http.StatusText(status)) {
				t.Errorf("status %d stream %v: err = %#v", status, stream, err)
			}
		}
	}
}

func TestErrorLineInStreamIsPlainError(t *testing.T) {
	s := New(t)
	s.Enqueue(StreamError("partial answer", "runner crashed"))

	got, err := chat(testContext(t), s.Client(), userChat("m", "x"))
	if err == nil || err.Error() != "runner crashed" {
		t.Fatalf("err = %v, want the error line's message", err)
	}
	var se api.StatusError
	if errors.As(err, &se) {
		t.Errorf("error line surfaced as StatusError %#v; the client makes an untyped error", se)
	}
	content, done := assembled(got)
	if content != "partial answer" || done {
		t.Errorf("before the error the callback saw %q (done %v), want the partial content", content, done)
	}
}

func TestStreamErrorWithoutStreamingIs500(t *testing.T) {
	s := New(t)
	s.Enqueue(StreamError("partial", "runner crashed"), StreamError("", "early failure"))
	req := userChat("m", "x")
	req.Stream = ptr(false)
	_, err := chat(testContext(t), s.Client(), req)
	var se api.StatusError
	if !errors.As(err, &se) || se.StatusCode != 500 || se.ErrorMessage != "runner crashed" {
		t.Errorf("stream=false: err = %#v, want StatusError 500", err)
	}
	// Streaming, an error before any output also comes with its status.
	_, err = chat(testContext(t), s.Client(), userChat("m", "x"))
	if !errors.As(err, &se) || se.StatusCode != 500 || se.ErrorMessage != "early failure" {
		t.Errorf("error before output: err = %#v, want StatusError 500", err)
	}
}

func TestCutStreamReturnsNilWithoutDone(t *testing.T) {
	s := New(t)
	s.Enqueue(Cut("the beginning of"))

	got, err := chat(testContext(t), s.Client(), userChat("m", "x"))
	// The api client ignores the read error of a broken stream: Chat returns
	// nil, and only the missing done: true shows that the answer is cut.
	if err != nil {
		t.Logf("Chat returned %v (v0.17.4 returns nil)", err)
	}
	content, done := assembled(got)
	if done {
		t.Errorf("a response with done: true arrived on a cut stream")
	}
	if content != "the beginning of" {
		t.Errorf("content before the cut = %q", content)
	}
	if err != nil {
		t.Errorf("Chat = %v; the pinned client is expected to return nil here", err)
	}
}

func TestCutWithoutStreamingIsTransportError(t *testing.T) {
	s := New(t)
	s.Enqueue(Cut("ignored"))
	req := userChat("m", "x")
	req.Stream = ptr(false)
	got, err := chat(testContext(t), s.Client(), req)
	t.Logf("Chat on a connection aborted before any byte: %v", err)
	if err == nil || len(got) != 0 {
		t.Errorf("got %+v, %v; want a transport error and no response", got, err)
	}
}

func TestHangEndsWithContext(t *testing.T) {
	s := New(t)
	s.Enqueue(Hang())
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()

	got, err := chat(ctx, s.Client(), userChat("m", "x"))
	t.Logf("Chat on a hung request: %v", err)
	if !errors.Is(err, context.DeadlineExceeded) || len(got) != 0 {
		t.Errorf("got %+v, %v; want context.DeadlineExceeded", got, err)
	}
}

func TestStallReturnsNilOnCancel(t *testing.T) {
	s := New(t)
	s.Enqueue(Stall("some words"))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()

	var got []api.ChatResponse
	err := s.Client().Chat(ctx, userChat("m", "x"), func(r api.ChatResponse) error {
		got = append(got, r)
		if len(got) == 3 { // "some words" in chunks of 4
			cancel()
		}
		return nil
	})
	// Once headers have arrived, a cancelled context ends the body read and
	// the client returns nil: check ctx.Err() and done yourself.
	if err != nil {
		t.Errorf("Chat = %v; the pinned client is expected to return nil here", err)
	}
	if _, done := assembled(got); done || ctx.Err() == nil {
		t.Errorf("done %v, ctx.Err %v", done, ctx.Err())
	}
}

func TestCallbackErrorAborts(t *testing.T) {
	s := New(t, WithChunkSize(1))
	s.Enqueue(Text("a long answer"))
	stop := errors.New("enough")
	n := 0
	err := s.Client().Chat(testContext(t), userChat("m", "x"), func(api.ChatResponse) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 2 {
		t.Errorf("err = %v after %d calls, want the callback's error after 2", err, n)
	}
}

func TestRawReplies(t *testing.T) {
	s := New(t)
	s.Enqueue(
		Raw(http.StatusBadGateway, "text/html", "<html>bad gateway</html>"),
		Raw(http.StatusBadGateway, "", ""),
	)
	_, err := chat(testContext(t), s.Client(), userChat("m", "x"))
	var se api.StatusError
	if !errors.As(err, &se) || se.StatusCode != 502 || se.ErrorMessage != "<html>bad gateway</html>" {
		t.Errorf("HTML 502: err = %#v", err)
	}
	// An error status with an empty body gives the streaming client no line
	// to read: Chat returns nil and the callback is never called.
	got, err := chat(testContext(t), s.Client(), userChat("m", "x"))
	if err != nil || len(got) != 0 {
		t.Errorf("empty 502: got %+v, %v; the pinned client is expected to return nil", got, err)
	}
}

func TestDelays(t *testing.T) {
	s := New(t)
	s.Enqueue(Text("slow").WithDelay(50*time.Millisecond), Text("abcdefgh").WithChunkDelay(20*time.Millisecond))
	c := s.Client()

	start := time.Now()
	if _, err := chat(testContext(t), c, userChat("m", "x")); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("delayed reply took %v, want at least 50ms", d)
	}
	start = time.Now()
	if _, err := chat(testContext(t), c, userChat("m", "x")); err != nil {
		t.Fatal(err)
	}
	// Two chunks and the final object: two waits between them.
	if d := time.Since(start); d < 40*time.Millisecond {
		t.Errorf("paced reply took %v, want at least 40ms", d)
	}

	// A delay longer than the caller's deadline times out before the headers.
	s.Enqueue(Text("too late").WithDelay(time.Minute))
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := chat(ctx, c, userChat("m", "x")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}

func TestHangingRequestIsReleasedAtCleanup(t *testing.T) {
	// A request still hanging when the test ends must not block the
	// server's Close or leak goroutines (TestMain runs goleak).
	t.Run("inner", func(t *testing.T) {
		errc := make(chan error, 1)
		// Cleanups run last-in first-out: this one runs after the server's.
		t.Cleanup(func() {
			err := <-errc
			t.Logf("hung request after shutdown: %v", err)
			if err == nil {
				t.Errorf("a hung request ended by server shutdown returned nil")
			}
		})
		s := New(t)
		s.Enqueue(Hang())
		go func() {
			_, err := chat(context.Background(), s.Client(), userChat("m", "x"))
			errc <- err
		}()
		for len(s.Requests()) == 0 {
			time.Sleep(time.Millisecond)
		}
	})
}
