package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/examples/internal/providers/providerstest"
	"github.com/chorus-go/chorus/internal/anthropictest"
	"github.com/chorus-go/chorus/internal/geminitest"
	"github.com/chorus-go/chorus/internal/openaitest"
)

// label answers a classification request like a model that knows the
// samples: the group when the prompt offers the groups, else the species.
func label(prompt, user string) string {
	labels := expected()[user]
	l := labels[1]
	if strings.Contains(prompt, `"bird", "mammal", "reptile"`) || strings.Contains(prompt, `\"bird\", \"mammal\", \"reptile\"`) {
		l = labels[0]
	}
	b, _ := json.Marshal(map[string]string{"label": l})
	return string(b)
}

// checkVoted says whether the provider's ballot is in every vote of the
// run.
func checkVoted(t *testing.T, provider string, code int, stdout, stderr string) {
	t.Helper()
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if n := strings.Count(stdout, provider+"="); n != 2*len(samples) {
		t.Errorf("%d ballots of %s, want %d:\n%s\n%s", n, provider, 2*len(samples), stdout, stderr)
	}
	if strings.Contains(stdout, "failed") {
		t.Errorf("a ballot failed:\n%s", stdout)
	}
}

// ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL add Claude to every vote,
// through the real SDK against the Messages API's test server.
func TestRunAnthropic(t *testing.T) {
	s := anthropictest.New(t, anthropictest.WithAPIKey("sk-ant-test"))
	s.SetDefault(anthropictest.Func(func(req *anthropictest.Request) anthropictest.Reply {
		return anthropictest.Text(label(req.SystemText(), req.LastUserMessage()))
	}))
	vars := map[string]string{"ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": s.URL()}
	code, stdout, stderr := runProgram(t, nil, vars, env{httpClient: s.HTTPClient()})
	checkVoted(t, "anthropic", code, stdout, stderr)
	if req, ok := s.LastRequest(); !ok || req.Model() != "claude-sonnet-4-5" {
		t.Errorf("last request's model: %q", req.Model())
	}
}

// GEMINI_API_KEY and GOOGLE_GEMINI_BASE_URL add Gemini to every vote,
// through google.golang.org/genai against the Gemini API's test server.
func TestRunGemini(t *testing.T) {
	s := geminitest.New(t, geminitest.WithAPIKey("gm-test"))
	s.SetDefault(geminitest.EndpointChat, geminitest.Func(func(req *geminitest.Request) geminitest.Reply {
		return geminitest.Text(label(string(req.Body), req.LastUserText()))
	}))
	vars := map[string]string{"GEMINI_API_KEY": "gm-test", "GOOGLE_GEMINI_BASE_URL": s.URL()}
	code, stdout, stderr := runProgram(t, nil, vars, env{httpClient: s.HTTPClient()})
	checkVoted(t, "gemini", code, stdout, stderr)
	if req, ok := s.LastRequest(); !ok || req.Model != "gemini-2.5-flash" {
		t.Errorf("last request's model: %q", req.Model)
	}
}

// AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY add the Azure OpenAI
// deployment to every vote, through go-openai in Azure mode.
func TestRunAzure(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey("sk-up"))
	s.SetDefault(openaitest.EndpointChat, openaitest.Func(func(req *openaitest.Request) openaitest.Reply {
		return openaitest.Text(label(req.Chat.Messages[0].Content, req.LastUserMessage()))
	}))
	az := providerstest.NewAzure(t, s, "az-key", "sk-up")
	vars := map[string]string{"AZURE_OPENAI_ENDPOINT": az.URL, "AZURE_OPENAI_API_KEY": "az-key"}
	code, stdout, stderr := runProgram(t, nil, vars, env{httpClient: az.Client()})
	checkVoted(t, "azure", code, stdout, stderr)
	if d := az.Deployments(); len(d) == 0 || d[0] != "gpt-4o-mini" {
		t.Errorf("deployments: %v", d)
	}
}
