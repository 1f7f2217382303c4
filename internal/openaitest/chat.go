package openaitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// chatCompletion is the body of a non-streamed chat completion.
type chatCompletion struct {
	ID                string       `json:"id"`
	Object            string       `json:"object"`
	Created           int64        `json:"created"`
	Model             string       `json:"model"`
	Choices           []chatChoice `json:"choices"`
	Usage             wireUsage    `json:"usage"`
	ServiceTier       string       `json:"service_tier"`
	SystemFingerprint string       `json:"system_fingerprint"`
}

type chatChoice struct {
	Index        int         `json:"index"`
	Message      chatMessage `json:"message"`
	Logprobs     any         `json:"logprobs"` // always null
	FinishReason string      `json:"finish_reason"`
}

type chatMessage struct {
	Role        string         `json:"role"`
	Content     *string        `json:"content"`
	Refusal     *string        `json:"refusal"`
	ToolCalls   []wireToolCall `json:"tool_calls,omitempty"`
	Annotations []any          `json:"annotations"`
}

type wireToolCall struct {
	ID       string       `json:"id"`
	Type     string       `json:"type"`
	Function wireFunction `json:"function"`
}

type wireFunction struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

const systemFingerprint = "fp_openaitest"

// chatAnswer is a chat reply made concrete for one request: ids assigned,
// usage computed.
type chatAnswer struct {
	id      string
	created int64
	model   string
	reply   Reply
	calls   []ToolCall
	usage   wireUsage
	chunk   int
}

func (s *Server) newChatAnswer(req *Request, reply Reply) *chatAnswer {
	n := s.ids.Add(1)
	a := &chatAnswer{
		id:      fmt.Sprintf("chatcmpl-openaitest%d", n),
		created: time.Now().Unix(),
		model:   req.Model(),
		reply:   reply,
		calls:   append([]ToolCall(nil), reply.toolCalls...),
		chunk:   s.cfg.chunkSize,
	}
	if reply.chunkSize > 0 {
		a.chunk = reply.chunkSize
	}
	for i := range a.calls {
		if a.calls[i].ID == "" {
			a.calls[i].ID = fmt.Sprintf("call_openaitest%d_%d", n, i)
		}
	}
	if u := reply.usage; u != nil {
		a.usage.PromptTokens, a.usage.CompletionTokens = u.prompt, u.completion
	} else {
		a.usage.PromptTokens = promptTokens(req)
		a.usage.CompletionTokens = completionTokens(reply)
	}
	a.usage.TotalTokens = a.usage.PromptTokens + a.usage.CompletionTokens
	return a
}

func promptTokens(req *Request) int {
	n := 0
	if req.Chat != nil {
		for _, m := range req.Chat.Messages {
			n += estimateTokens(messageText(m)) + 3
		}
	}
	return max(n, 1)
}

func completionTokens(r Reply) int {
	n := estimateTokens(r.content) + estimateTokens(r.refusal)
	for _, c := range r.toolCalls {
		n += estimateTokens(c.Name) + estimateTokens(c.Arguments)
	}
	return max(n, 1)
}

// completion is the non-streamed body.
func (a *chatAnswer) completion() chatCompletion {
	msg := chatMessage{Role: "assistant", Annotations: []any{}}
	if a.reply.content != "" || (a.reply.refusal == "" && len(a.calls) == 0) {
		c := a.reply.content
		msg.Content = &c
	}
	if a.reply.refusal != "" {
		r := a.reply.refusal
		msg.Refusal = &r
	}
	for _, c := range a.calls {
		msg.ToolCalls = append(msg.ToolCalls, wireToolCall{
			ID: c.ID, Type: "function", Function: wireFunction{Name: c.Name, Arguments: c.Arguments},
		})
	}
	return chatCompletion{
		ID: a.id, Object: "chat.completion", Created: a.created, Model: a.model,
		Choices: []chatChoice{{Index: 0, Message: msg, FinishReason: a.reply.finish}},
		Usage:   a.usage, ServiceTier: "default", SystemFingerprint: systemFingerprint,
	}
}

// serveChat answers a chat request with a chat, cut, stall or stream-error
// reply (a cut may also answer another endpoint, without streaming).
func (s *Server) serveChat(w http.ResponseWriter, r *http.Request, req *Request, ep Endpoint, reply Reply) {
	if req.Stream() {
		s.streamChat(w, r, req, reply)
		return
	}
	switch reply.kind {
	case kindChat:
		writeJSON(w, http.StatusOK, s.newChatAnswer(req, reply).completion())
	case kindCut:
		writeCut(w, s.fullBody(req, ep, reply.content))
	case kindStall:
		s.wait(r.Context())
	case kindStreamError:
		writeError(w, reply.status, reply.apiErr)
	}
}

// fullBody is the complete successful body of a request to ep, for cutting.
func (s *Server) fullBody(req *Request, ep Endpoint, content string) []byte {
	var v any
	switch ep {
	case EndpointChat:
		v = s.newChatAnswer(req, Text(content)).completion()
	case EndpointEmbeddings:
		v = s.embeddingResponse(req, nil)
	default:
		v = modelList(s.cfg.models)
	}
	b, _ := json.Marshal(v)
	return b
}
