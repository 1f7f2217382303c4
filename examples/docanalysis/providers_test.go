package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/internal/anthropictest"
	"github.com/chorus-go/chorus/internal/geminitest"
)

// With only ANTHROPIC_* or GOOGLE_* set, the example picks that provider
// up: its model joins the classifier vote and the extraction, its calls
// reach the provider's server through the real SDK, and when every call
// fails the local models carry the run.
func TestRunPicksUpProviders(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T) (client *http.Client, requests func() int)
		model string
	}{
		{"anthropic", func(t *testing.T) (*http.Client, func() int) {
			s := anthropictest.New(t, anthropictest.WithAPIKey("sk-ant-test"))
			s.SetDefault(anthropictest.BadRequest("scripted failure"))
			t.Setenv("ANTHROPIC_API_KEY", "sk-ant-test")
			t.Setenv("ANTHROPIC_BASE_URL", s.URL())
			return s.HTTPClient(), func() int { return len(s.Requests()) }
		}, "anthropic:claude-sonnet-4-5"},
		{"gemini", func(t *testing.T) (*http.Client, func() int) {
			s := geminitest.New(t, geminitest.WithAPIKey("gm-test"))
			s.SetDefault(geminitest.EndpointChat, geminitest.Error(400, "INVALID_ARGUMENT", "scripted failure"))
			t.Setenv("GOOGLE_API_KEY", "gm-test")
			t.Setenv("GOOGLE_GEMINI_BASE_URL", s.URL())
			return s.HTTPClient(), func() int { return len(s.Requests()) }
		}, "gemini:gemini-2.5-flash"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			noModels(t)
			for _, k := range []string{"ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY"} {
				t.Setenv(k, "")
			}
			client, requests := c.setup(t)
			code, stdout, stderr := runProgram(t, []string{"-embed", "hash", writeTexts(t)}, nil, client)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			for _, want := range []string{
				"classifier vote: rules, naive-bayes (local); " + c.model,
				c.model + ": failed",
				"total: 1,234.50 EUR",
			} {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			if n := requests(); n == 0 {
				t.Errorf("no request reached the %s server", c.name)
			}
		})
	}
}
