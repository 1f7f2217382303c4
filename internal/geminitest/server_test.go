package geminitest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/internal/geminitest"
)

func post(t *testing.T, s *geminitest.Server, path, key, body string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.URL()+path, strings.NewReader(body))
	if key != "" {
		req.Header.Set("x-goog-api-key", key)
	}
	resp, err := s.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

const hi = `{"contents":[{"role":"user","parts":[{"text":"Hi there"}]}]}`

// TestKeyAndRoutes: the key is required, unknown paths are 404, a bad body
// is a 400, and the default reply echoes the prompt.
func TestKeyAndRoutes(t *testing.T) {
	s := geminitest.New(t, geminitest.WithAPIKey("k"))
	if r, _ := post(t, s, "v1beta/models/m:generateContent", "", hi); r.StatusCode != 403 {
		t.Errorf("no key: %d", r.StatusCode)
	}
	if r, b := post(t, s, "v1beta/models/m:generateContent", "bad", hi); r.StatusCode != 400 || !strings.Contains(b, "API_KEY_INVALID") {
		t.Errorf("bad key: %d %s", r.StatusCode, b)
	}
	if r, _ := post(t, s, "v1beta/other", "k", hi); r.StatusCode != 404 {
		t.Errorf("unknown path: %d", r.StatusCode)
	}
	if r, _ := post(t, s, "v1beta/models/m:generateContent", "k", `{"contents":[]}`); r.StatusCode != 400 {
		t.Errorf("no contents: %d", r.StatusCode)
	}
	r, b := post(t, s, "v1beta/models/m:generateContent", "k", hi)
	if r.StatusCode != 200 || !strings.Contains(b, `"text":"Hi there"`) || !strings.Contains(b, `"finishReason":"STOP"`) {
		t.Errorf("echo: %d %s", r.StatusCode, b)
	}
}

// TestStreamEvents: a stream is data: events, the finish reason and the
// usage on the last.
func TestStreamEvents(t *testing.T) {
	s := geminitest.New(t)
	s.EnqueueChat(geminitest.Text("abcdefgh").WithChunkSize(3))
	req, _ := http.NewRequest("POST", s.URL()+"v1beta/models/m:streamGenerateContent?alt=sse", strings.NewReader(hi))
	resp, err := s.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var events []map[string]any
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if data, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "data: "); ok {
			var ev map[string]any
			if err := json.Unmarshal([]byte(data), &ev); err != nil {
				t.Fatal(err)
			}
			events = append(events, ev)
		}
	}
	if len(events) != 3 {
		t.Fatalf("%d events", len(events))
	}
	last := events[2]["candidates"].([]any)[0].(map[string]any)
	if last["finishReason"] != "STOP" || events[2]["usageMetadata"] == nil {
		t.Errorf("last event %v", events[2])
	}
}

// TestBatchEmbed: one vector per request, at most MaxBatchEmbed requests.
func TestBatchEmbed(t *testing.T) {
	s := geminitest.New(t)
	r, b := post(t, s, "v1beta/models/e:batchEmbedContents", "",
		`{"requests":[{"content":{"parts":[{"text":"a"}]},"outputDimensionality":4},{"content":{"parts":[{"text":"b"}]}}]}`)
	var got struct{ Embeddings []struct{ Values []float32 } }
	if err := json.Unmarshal([]byte(b), &got); err != nil || r.StatusCode != 200 || len(got.Embeddings) != 2 ||
		len(got.Embeddings[0].Values) != 4 || len(got.Embeddings[1].Values) != geminitest.DefaultEmbeddingDim {
		t.Errorf("%d %s", r.StatusCode, b)
	}
	reqs := make([]string, geminitest.MaxBatchEmbed+1)
	for i := range reqs {
		reqs[i] = `{"content":{"parts":[{"text":"x"}]}}`
	}
	if r, _ := post(t, s, "v1beta/models/e:batchEmbedContents", "", `{"requests":[`+strings.Join(reqs, ",")+`]}`); r.StatusCode != 400 {
		t.Errorf("over the limit: %d", r.StatusCode)
	}
	if s.EmbeddingInputs() != 2 {
		t.Errorf("inputs %d", s.EmbeddingInputs())
	}
}

// TestHangEndsWithClient: a hang returns when the client gives up.
func TestHangEndsWithClient(t *testing.T) {
	s := geminitest.New(t)
	s.EnqueueChat(geminitest.Hang())
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", s.URL()+"v1beta/models/m:generateContent", strings.NewReader(hi))
	if _, err := s.HTTPClient().Do(req); err == nil {
		t.Error("a hang answered")
	}
}
