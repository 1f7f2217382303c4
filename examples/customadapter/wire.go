package customadapter

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chorus-go/chorus/llm"
)

// TinyChat's JSON, as its API documents it.

type wireMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type wireRequest struct {
	Model       string          `json:"model"`
	Messages    []wireMessage   `json:"messages"`
	JSONSchema  json.RawMessage `json:"json_schema,omitempty"`
	MaxTokens   int             `json:"max_tokens,omitempty"`
	Temperature *float64        `json:"temperature,omitempty"`
}

type wireResponse struct {
	Output     string `json:"output"`
	StopReason string `json:"stop_reason"`
	Usage      struct {
		In  int `json:"in"`
		Out int `json:"out"`
	} `json:"usage"`
}

type wireError struct {
	Error struct {
		Message string `json:"message"`
		Type    string `json:"type"`
	} `json:"error"`
}

// request maps an llm.Request, already validated, to TinyChat's. TinyChat
// takes text only, and no tools: those are refused here, before sending.
func (m *Model) request(req *llm.Request) (*wireRequest, error) {
	if len(req.Tools) > 0 {
		return nil, fmt.Errorf("%w: tinychat takes no tools", llm.ErrInvalidRequest)
	}
	out := &wireRequest{Model: m.name, MaxTokens: req.MaxTokens, Temperature: req.Temperature}
	for _, msg := range req.Messages {
		if len(msg.Images()) > 0 {
			return nil, fmt.Errorf("%w: tinychat takes no images", llm.ErrUnsupportedImage)
		}
		out.Messages = append(out.Messages, wireMessage{Role: string(msg.Role), Content: msg.Text()})
	}
	if f := req.Format; f != nil {
		switch f.Type {
		case "", llm.FormatText:
		case llm.FormatJSONSchema:
			out.JSONSchema = f.Schema
		case llm.FormatJSON:
			out.JSONSchema = json.RawMessage(`{"type":"object"}`)
		default:
			return nil, fmt.Errorf("%w: unknown format %q", llm.ErrInvalidRequest, f.Type)
		}
	}
	return out, nil
}

// response maps TinyChat's answer to an llm.Response.
func (m *Model) response(w *wireResponse) llm.Response {
	finish := "stop"
	if strings.EqualFold(w.StopReason, "max_tokens") {
		finish = "length"
	}
	return llm.Response{
		Message:      llm.Assistant(w.Output),
		FinishReason: finish,
		Usage:        llm.Usage{InputTokens: w.Usage.In, OutputTokens: w.Usage.Out},
		Model:        m.name,
	}
}
