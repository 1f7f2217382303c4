package oip_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/redact/redacttest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/oip"
)

// hostileKey holds characters that URLs escape, so that its escaped forms
// are looked for too.
const hostileKey = "kserve-token+Hostile/4b8d2f6a1c"

// hostileOIP answers every request the way named, echoing the key in every
// field and header it can.
func hostileOIP(name, key string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Request-Id", key)
		h.Set("Www-Authenticate", "Bearer "+key)
		h.Set("Set-Cookie", "s="+key)
		switch name {
		case "json error":
			h.Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = fmt.Fprintf(w, `{"error":%q,"code":%q,"type":%q,"param":%q}`, "bad token "+key, key, key, key)
		case "object error":
			h.Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = fmt.Fprintf(w, `{"error":{"message":%q,"code":%q}}`, key, key)
		case "text error":
			h.Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = fmt.Fprintf(w, "gateway refused %s\n", key)
		case "bad answer":
			h.Set("Content-Type", "application/json")
			_, _ = fmt.Fprintf(w, `{"model_name":%q,"name":%q,"outputs":[{"name":%q,"datatype":%q,"shape":[1],"data":[1]}],"ready":false,"inputs":[{"name":%q,"datatype":%q,"shape":[1]}]}`,
				key, key, key, key, key, key)
		case "redirect":
			h.Set("Location", "http://"+url.PathEscape(key)+":"+url.PathEscape(key)+"@127.0.0.1:1"+r.URL.Path+"?token="+url.QueryEscape(key))
			w.WriteHeader(http.StatusTemporaryRedirect)
		}
	})
}

// TestSecretsNeverShown: a server that echoes the header values the model
// sends (WithHeader) everywhere it can; the key is in no error text, no
// wrapped error and no hook event of Infer, Metadata, Ready and a chain.
func TestSecretsNeverShown(t *testing.T) {
	for _, name := range []string{"json error", "object error", "text error", "bad answer", "redirect"} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(hostileOIP(name, hostileKey))
			t.Cleanup(srv.Close)
			t.Cleanup(srv.CloseClientConnections)
			hc := srv.Client()
			t.Cleanup(hc.CloseIdleConnections)
			var errs []error
			for _, validate := range []bool{true, false} {
				opts := []oip.Option{oip.WithHTTPClient(hc), oip.WithMaxRetries(0),
					oip.WithHeader("Authorization", "Bearer "+hostileKey), oip.WithHeader("X-Api-Key", hostileKey)}
				if !validate {
					opts = append(opts, oip.WithoutValidation())
				}
				m, err := oip.New(srv.URL, "iris", opts...)
				if err != nil {
					t.Fatal(err)
				}
				var hooks redacttest.Hooks
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				ctx = hooks.Context(ctx)
				in := []oip.Tensor{{Name: "x", Datatype: oip.FP32, Shape: []int64{1}, Data: []float32{1}}}
				infer := chain.Named("infer", chain.Retry(chain.Fn(func(ctx context.Context, in []oip.Tensor) ([]oip.Tensor, error) {
					return m.Infer(ctx, in)
				}), chain.Attempts(2), chain.RetryIf(func(error) bool { return true }), chain.Backoff(time.Millisecond, time.Millisecond)))
				_, err = infer.Run(ctx, in)
				errs = append(errs, err)
				if validate {
					_, err = m.Metadata(ctx)
					errs = append(errs, err, m.Ready(ctx), m.ServerReady(ctx))
				}
				if hooks.Len() == 0 {
					t.Error("no hook saw an error")
				}
				redacttest.NoSecret(t, hostileKey, "a hook event", hooks.Texts()...)
			}
			for i, err := range errs {
				if err == nil {
					if name == "bad answer" && i >= 2 { // a health check that decodes no ready: false is healthy
						continue
					}
					t.Fatalf("call %d succeeded", i)
				}
				var le *llm.Error
				if !errors.As(err, &le) {
					t.Errorf("call %d: %v is not an *llm.Error", i, err)
				}
				redacttest.NoSecret(t, hostileKey, fmt.Sprintf("error of call %d", i), redacttest.ErrorTexts(err)...)
			}
		})
	}
}

// TestSecretsKeepErrorTypes: a scrubbed error still matches its status
// sentinel and, for a redirect, errors.As finds the *url.Error with its
// URL scrubbed.
func TestSecretsKeepErrorTypes(t *testing.T) {
	for name, check := range map[string]func(error) bool{
		"json error": func(err error) bool { return errors.Is(err, llm.ErrAuth) },
		"redirect": func(err error) bool {
			var ue *url.Error
			return errors.As(err, &ue) && strings.Contains(ue.URL, "token="+llm.Redacted)
		},
	} {
		srv := httptest.NewServer(hostileOIP(name, hostileKey))
		m, err := oip.New(srv.URL, "iris", oip.WithHTTPClient(srv.Client()), oip.WithMaxRetries(0), oip.WithoutValidation(),
			oip.WithHeader("Authorization", "Bearer "+hostileKey))
		if err != nil {
			t.Fatal(err)
		}
		_, err = m.Infer(context.Background(), []oip.Tensor{{Name: "x", Datatype: oip.FP32, Shape: []int64{1}, Data: []float32{1}}})
		if !check(err) {
			t.Errorf("%s: err = %v", name, err)
		}
		srv.Client().CloseIdleConnections()
		srv.Close()
	}
}
