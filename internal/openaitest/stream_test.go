package openaitest_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/internal/openaitest"
)

// recvAll reads a stream to its end; err is nil only for a clean io.EOF.
func recvAll(t *testing.T, stream *openai.ChatCompletionStream) ([]openai.ChatCompletionStreamResponse, error) {
	t.Helper()
	defer stream.Close()
	var out []openai.ChatCompletionStreamResponse
	for {
		r, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
}

func TestStreamText(t *testing.T) {
	s := openaitest.New(t)
	const text = "The quick brown fox — jumps."
	s.EnqueueChat(openaitest.Text(text).WithChunkSize(3).WithUsage(7, 9))
	req := userRequest("go")
	req.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	stream, err := newClient(s).CreateChatCompletionStream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := recvAll(t, stream)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	deltas := 0
	var finish openai.FinishReason
	for _, c := range chunks {
		for _, ch := range c.Choices {
			if ch.Delta.Content != "" {
				deltas++
			}
			b.WriteString(ch.Delta.Content)
			if ch.FinishReason != "" {
				finish = ch.FinishReason
			}
		}
	}
	if b.String() != text {
		t.Errorf("assembled %q, want %q", b.String(), text)
	}
	if want := (len([]rune(text)) + 2) / 3; deltas != want {
		t.Errorf("%d content deltas, want %d", deltas, want)
	}
	if chunks[0].Choices[0].Delta.Role != "assistant" {
		t.Errorf("first delta = %+v", chunks[0].Choices[0].Delta)
	}
	if finish != openai.FinishReasonStop {
		t.Errorf("finish_reason = %q", finish)
	}
	last := chunks[len(chunks)-1]
	if len(last.Choices) != 0 || last.Usage == nil || last.Usage.TotalTokens != 16 {
		t.Errorf("usage chunk = %+v", last)
	}
	for _, c := range chunks[:len(chunks)-1] {
		if c.Usage != nil || c.Object != "chat.completion.chunk" {
			t.Errorf("chunk %+v", c)
		}
	}
	if rec, _ := s.LastRequest(); !rec.Stream() || !rec.IncludeUsage() || rec.Header.Get("Accept") != "text/event-stream" {
		t.Errorf("recorded stream=%v include_usage=%v", rec.Stream(), rec.IncludeUsage())
	}
}

func TestStreamWireFormat(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Text("abcdef").WithChunkSize(2))
	resp, body := post(t, s, "/chat/completions",
		`{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"x"}]}`)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Errorf("Content-Type = %q", ct)
	}
	events := strings.Split(strings.TrimSuffix(string(body), "\n\n"), "\n\n")
	if events[len(events)-1] != "data: [DONE]" {
		t.Errorf("last event = %q", events[len(events)-1])
	}
	// role, 3 content deltas, finish, [DONE]; no usage key without include_usage.
	if len(events) != 6 {
		t.Fatalf("%d events:\n%s", len(events), body)
	}
	for _, e := range events[:len(events)-1] {
		data, ok := strings.CutPrefix(e, "data: ")
		if !ok || !json.Valid([]byte(data)) || strings.Contains(data, `"usage"`) {
			t.Errorf("event %q", e)
		}
	}
	if !strings.Contains(events[0], `"delta":{"role":"assistant","content":"","refusal":null}`) ||
		!strings.Contains(events[0], `"finish_reason":null`) {
		t.Errorf("first event = %s", events[0])
	}
	if !strings.Contains(events[4], `"delta":{},"logprobs":null,"finish_reason":"stop"`) {
		t.Errorf("finish event = %s", events[4])
	}
}

func TestStreamToolCalls(t *testing.T) {
	s := openaitest.New(t)
	calls := []openaitest.ToolCall{
		{ID: "call_a", Name: "get_weather", Arguments: `{"city":"Paris","unit":"c"}`},
		{ID: "call_b", Name: "get_time", Arguments: `{"tz":"Europe/Paris"}`},
	}
	s.EnqueueChat(openaitest.ToolCalls(calls...).WithChunkSize(5))
	stream, err := newClient(s).CreateChatCompletionStream(context.Background(), userRequest("x"))
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := recvAll(t, stream)
	if err != nil {
		t.Fatal(err)
	}

	// Reassemble the way a client must: by index.
	type acc struct {
		id, typ, name string
		args          strings.Builder
		deltas        int
	}
	got := map[int]*acc{}
	var finish openai.FinishReason
	for _, c := range chunks {
		for _, ch := range c.Choices {
			if ch.FinishReason != "" {
				finish = ch.FinishReason
			}
			for _, tc := range ch.Delta.ToolCalls {
				if tc.Index == nil {
					t.Fatalf("tool call delta without index: %+v", tc)
				}
				a := got[*tc.Index]
				if a == nil {
					a = &acc{}
					got[*tc.Index] = a
					if tc.ID == "" || tc.Type != openai.ToolTypeFunction || tc.Function.Name == "" || tc.Function.Arguments != "" {
						t.Errorf("first delta of call %d = %+v", *tc.Index, tc)
					}
					a.id, a.typ, a.name = tc.ID, string(tc.Type), tc.Function.Name
				} else if tc.ID != "" || tc.Function.Name != "" || tc.Type != "" {
					t.Errorf("later delta of call %d repeats id/type/name: %+v", *tc.Index, tc)
				}
				a.args.WriteString(tc.Function.Arguments)
				a.deltas++
			}
		}
	}
	if finish != openai.FinishReasonToolCalls {
		t.Errorf("finish_reason = %q", finish)
	}
	if len(got) != len(calls) {
		t.Fatalf("%d calls, want %d", len(got), len(calls))
	}
	for i, want := range calls {
		a := got[i]
		if a.id != want.ID || a.name != want.Name || a.args.String() != want.Arguments {
			t.Errorf("call %d = %s %s %s", i, a.id, a.name, a.args.String())
		}
		if a.deltas < 3 {
			t.Errorf("call %d arrived in %d deltas, want several", i, a.deltas)
		}
	}
}

func TestStreamToolCallsFirstChunkShape(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.ToolCalls(openaitest.ToolCall{ID: "call_1", Name: "f", Arguments: `{"a":1}`}))
	_, body := post(t, s, "/chat/completions",
		`{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"x"}]}`)
	sc := bufio.NewScanner(bytes.NewReader(body))
	var lines []string
	for sc.Scan() {
		if l := sc.Text(); l != "" {
			lines = append(lines, l)
		}
	}
	want0 := `"delta":{"role":"assistant","content":null,"refusal":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]}`
	if !strings.Contains(lines[0], want0) {
		t.Errorf("first chunk = %s\nwant it to contain %s", lines[0], want0)
	}
	want1 := `"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\""}}]}`
	if !strings.Contains(lines[1], want1) {
		t.Errorf("second chunk = %s\nwant it to contain %s", lines[1], want1)
	}
}

func TestStreamCutIsNotEOF(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.CutStream("half an ans"))
	stream, err := newClient(s).CreateChatCompletionStream(context.Background(), userRequest("x"))
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := recvAll(t, stream)
	if err == nil {
		t.Fatalf("cut stream ended cleanly after %d chunks", len(chunks))
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Logf("cut stream error: %v", err) // any error will do; this is what net/http gives today
	}
	var b strings.Builder
	for _, c := range chunks {
		b.WriteString(c.Choices[0].Delta.Content)
	}
	if b.String() != "half an ans" {
		t.Errorf("content before the cut = %q", b.String())
	}
}

func TestStreamErrorEvent(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.StreamError("abc", "server_error", "overloaded", "backend fell over"))
	stream, err := newClient(s).CreateChatCompletionStream(context.Background(), userRequest("x"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = recvAll(t, stream)
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.Message != "backend fell over" || apiErr.Code != "overloaded" {
		t.Errorf("err = %v, want the APIError from the error event", err)
	}
}

func TestStallStreamEndsWithClientDeadline(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.StallStream("ab"))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	stream, err := newClient(s).CreateChatCompletionStream(ctx, userRequest("x"))
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := recvAll(t, stream)
	if err == nil || len(chunks) != 2 {
		t.Errorf("got %d chunks, err %v; want 2 chunks then an error", len(chunks), err)
	}
}

func TestStreamErrorStatusBeforeStream(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.RateLimited(time.Second))
	_, err := newClient(s).CreateChatCompletionStream(context.Background(), userRequest("x"))
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 429 {
		t.Errorf("err = %v", err)
	}
}
