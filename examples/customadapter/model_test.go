package customadapter_test

import (
	"context"
	"errors"
	"testing"

	"github.com/chorus-go/chorus/examples/customadapter"
	"github.com/chorus-go/chorus/llm"
)

// What the conformance kit cannot know: TinyChat's own limits.
func TestRefusesWhatTinyChatCannotTake(t *testing.T) {
	s := newFakeServer()
	defer s.close()
	m, _ := customadapter.New(s.srv.URL, "tiny-1", customadapter.WithHTTPClient(s.srv.Client()))
	png := llm.Image{MIMEType: "image/png", Data: []byte("\x89PNG\r\n\x1a\n")}
	for _, tc := range []struct {
		name string
		req  llm.Request
		want error
	}{
		{"tools", llm.Request{Messages: []llm.Message{llm.User("weather?")}, Tools: []llm.Tool{{Name: "weather"}}}, llm.ErrInvalidRequest},
		{"images", llm.Request{Messages: []llm.Message{llm.User("what is it?", png)}}, llm.ErrUnsupportedImage},
	} {
		if _, err := m.Chat(context.Background(), tc.req); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if n := len(s.requests()); n != 0 {
		t.Errorf("%d refused requests were sent", n)
	}
	if _, err := customadapter.New("localhost:8080", "tiny-1"); err == nil {
		t.Error("New accepted a URL without a scheme")
	}
}
