package anthropic_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/anthropictest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/anthropic"
)

func TestConfigErrors(t *testing.T) {
	cases := []struct {
		name  string
		model string
		opts  []anthropic.Option
		want  []string
	}{
		{"empty model", " ", []anthropic.Option{anthropic.WithAPIKey(testKey)}, []string{"anthropic", "empty model"}},
		{"no key", modelName, []anthropic.Option{anthropic.WithAPIKey("")}, []string{"anthropic", "ANTHROPIC_API_KEY"}},
		{"bad base URL", modelName, []anthropic.Option{anthropic.WithAPIKey(testKey), anthropic.WithBaseURL("ftp://user:pw@x")}, []string{"anthropic", "ftp://redacted@x"}},
		{"nil client", modelName, []anthropic.Option{anthropic.WithAPIKey(testKey), anthropic.WithHTTPClient((*http.Client)(nil))}, []string{"anthropic", "nil client"}},
		{"max tokens", modelName, []anthropic.Option{anthropic.WithAPIKey(testKey), anthropic.WithMaxTokens(0)}, []string{"anthropic", "WithMaxTokens", "0"}},
		{"retries", modelName, []anthropic.Option{anthropic.WithAPIKey(testKey), anthropic.WithMaxRetries(-1)}, []string{"anthropic", "-1"}},
		{"timeout", modelName, []anthropic.Option{anthropic.WithAPIKey(testKey), anthropic.WithTimeout(-time.Second)}, []string{"anthropic", "-1s"}},
		{"backoff", modelName, []anthropic.Option{anthropic.WithAPIKey(testKey), anthropic.WithRetryBackoff(time.Second, time.Millisecond)}, []string{"anthropic", "WithRetryBackoff"}},
		{"retry wait", modelName, []anthropic.Option{anthropic.WithAPIKey(testKey), anthropic.WithMaxRetryWait(0)}, []string{"anthropic", "WithMaxRetryWait"}},
		{"options", modelName, []anthropic.Option{anthropic.WithAPIKey(testKey), anthropic.WithOptions(llm.Options{TopP: ptr(2.0)})}, []string{"anthropic", "top_p", "2"}},
		{"cache", modelName, []anthropic.Option{anthropic.WithAPIKey(testKey), anthropic.WithPromptCaching(0)}, []string{"anthropic", "WithPromptCaching"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(anthropic.EnvAPIKey, "")
			t.Setenv(anthropic.EnvBaseURL, "")
			_, err := anthropic.New(tc.model, tc.opts...)
			if !errors.Is(err, chain.ErrConfig) {
				t.Fatalf("err = %v, want chain.ErrConfig", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			func() {
				defer func() {
					if r := recover(); r == nil {
						t.Error("MustNew did not panic")
					}
				}()
				anthropic.MustNew(tc.model, tc.opts...)
			}()
		})
	}
	t.Setenv(anthropic.EnvAPIKey, "")
	t.Setenv(anthropic.EnvBaseURL, "")
	if _, err := anthropic.New(modelName); !errors.Is(err, anthropic.ErrNoAPIKey) {
		t.Errorf("no key: %v, want ErrNoAPIKey", err)
	}
}

// TestEnvironment: ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL are used when
// no option says otherwise; options win.
func TestEnvironment(t *testing.T) {
	s := anthropictest.New(t, anthropictest.WithAPIKey(testKey))
	t.Setenv(anthropic.EnvAPIKey, testKey)
	t.Setenv(anthropic.EnvBaseURL, s.URL())
	m, err := anthropic.New(modelName, anthropic.WithHTTPClient(s.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Chat(ctxTimeout(t, 10*time.Second), user("hi")); err != nil {
		t.Fatalf("with the environment: %v", err)
	}
	m, err = anthropic.New(modelName, anthropic.WithHTTPClient(s.HTTPClient()), anthropic.WithAPIKey("sk-ant-other-key-123456"), anthropic.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Chat(ctxTimeout(t, 10*time.Second), user("hi")); !errors.Is(err, llm.ErrAuth) {
		t.Errorf("WithAPIKey did not win over the environment: %v", err)
	}
}
