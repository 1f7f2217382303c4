package ollamatest

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"testing"

	"github.com/ollama/ollama/api"
	"github.com/ollama/ollama/types/model"
)

func TestListShowVersionHeartbeat(t *testing.T) {
	vision := api.ShowResponse{
		Details:      api.ModelDetails{Family: "llava", Format: "gguf"},
		Capabilities: []model.Capability{model.CapabilityCompletion, model.CapabilityVision},
	}
	s := New(t, WithModels("llama3.2", "nomic-embed-text", "llama3.2:latest"), WithShow("llava:7b", vision), WithVersion("0.9.0"))
	c := s.Client()
	ctx := testContext(t)

	if err := c.Heartbeat(ctx); err != nil {
		t.Errorf("Heartbeat: %v", err)
	}
	if v, err := c.Version(ctx); err != nil || v != "0.9.0" {
		t.Errorf("Version = %q, %v", v, err)
	}
	list, err := c.List(ctx)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	var names []string
	for _, m := range list.Models {
		names = append(names, m.Name)
		if m.Model != m.Name || m.Digest == "" || m.Size == 0 || m.ModifiedAt.IsZero() {
			t.Errorf("listed %+v", m)
		}
	}
	if want := []string{"llama3.2:latest", "nomic-embed-text:latest", "llava:7b"}; !slices.Equal(names, want) {
		t.Errorf("List names = %q, want %q", names, want)
	}

	show, err := c.Show(ctx, &api.ShowRequest{Model: "llava:7b"})
	if err != nil || show.Details.Family != "llava" || !slices.Contains(show.Capabilities, model.CapabilityVision) {
		t.Errorf("Show(llava:7b) = %+v, %v", show, err)
	}
	show, err = c.Show(ctx, &api.ShowRequest{Model: "nomic-embed-text"})
	if err != nil || !slices.Equal(show.Capabilities, []model.Capability{model.CapabilityEmbedding}) {
		t.Errorf("Show(nomic-embed-text) = %+v, %v", show, err)
	}
	show, err = c.Show(ctx, &api.ShowRequest{Model: "llama3.2"})
	if err != nil || !slices.Contains(show.Capabilities, model.CapabilityTools) || show.ModelInfo["general.architecture"] != "llama" {
		t.Errorf("Show(llama3.2) = %+v, %v", show, err)
	}
}

func TestListWithoutModelsIsEmpty(t *testing.T) {
	s := New(t)
	list, err := s.Client().List(testContext(t))
	if err != nil || list.Models == nil || len(list.Models) != 0 {
		t.Errorf("List = %+v, %v; want an empty list", list, err)
	}
}

func TestRootAndUnknownRoutes(t *testing.T) {
	s := New(t)
	hc := s.HTTPClient()
	get := func(method, path string) (int, string) {
		t.Helper()
		req, err := http.NewRequestWithContext(testContext(t), method, s.URL().JoinPath(path).String(), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get(http.MethodGet, "/"); code != 200 || body != "Ollama is running" {
		t.Errorf("GET / = %d %q", code, body)
	}
	if code, _ := get(http.MethodHead, "/"); code != 200 {
		t.Errorf("HEAD / = %d", code)
	}
	if code, body := get(http.MethodGet, "/api/chat"); code != 404 || body != "404 page not found" {
		t.Errorf("GET /api/chat = %d %q", code, body)
	}
	if got := s.Requests(); len(got) != 3 || got[2].Path != "/api/chat" || got[2].Method != "GET" {
		t.Errorf("recorded %+v", got)
	}
}

func TestBadBodies(t *testing.T) {
	s := New(t)
	hc := s.HTTPClient()
	for _, body := range []string{"", "{not json", `{"model":"m","messages":"no"}`} {
		resp, err := hc.Post(s.URL().JoinPath("/api/chat").String(), "application/json", stringsReader(body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("body %q: %d %s", body, resp.StatusCode, b)
		}
	}
	for _, r := range s.Requests() {
		if r.DecodeError == nil {
			t.Errorf("request %q recorded without DecodeError", r.Body)
		}
	}
	if !errors.Is(s.Requests()[0].DecodeError, errMissingBody) {
		t.Errorf("empty body: %v", s.Requests()[0].DecodeError)
	}
	// The api client never sends these; the chat model is required though.
	_, err := chat(testContext(t), s.Client(), userChat("", "x"))
	if se, ok := err.(api.StatusError); !ok || se.StatusCode != 400 || se.ErrorMessage != "model is required" {
		t.Errorf("no model: %#v", err)
	}
}
