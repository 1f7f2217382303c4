package customadapter

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/chorus-go/chorus/llm"
)

// provider names TinyChat in every *llm.Error.
const provider = "tinychat"

// statusError turns a failure status into an *llm.Error: the status, the
// server's message, whether a retry may help (llm.TemporaryStatus: 429 and
// 5xx) and the Retry-After, which chain.Retry waits for.
func (m *Model) statusError(resp *http.Response, body []byte) *llm.Error {
	var we wireError
	msg := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &we) == nil && we.Error.Message != "" {
		msg = we.Error.Message
	}
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	return &llm.Error{
		Provider:   provider,
		Model:      m.name,
		StatusCode: resp.StatusCode,
		Code:       we.Error.Type,
		Message:    msg,
		Temporary:  llm.TemporaryStatus(resp.StatusCode),
		Wait:       retryAfter(resp.Header.Get("Retry-After")),
	}
}

// transportError is the error of a request that got no answer: the
// context's own error when it ended (never retried), else a retryable
// *llm.Error with status 0: a refused or dropped connection may pass.
func (m *Model) transportError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("tinychat %s: %w", m.name, ctx.Err())
	}
	return &llm.Error{Provider: provider, Model: m.name, Temporary: true, Message: "no answer: " + err.Error(), Err: err}
}

// retryAfter reads Retry-After in seconds (TinyChat sends no dates).
func retryAfter(v string) time.Duration {
	secs, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || secs <= 0 {
		return 0
	}
	return time.Duration(secs) * time.Second
}
