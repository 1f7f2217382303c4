package openaitest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// writeJSON sends v as a JSON response with this status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(errorBody{Error: newAPIError("server_error", "", "openaitest: "+err.Error())})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeError sends OpenAI's error body {"error":{...}} with this status.
func writeError(w http.ResponseWriter, status int, e *apiError) {
	writeJSON(w, status, errorBody{Error: e})
}

// writeCut announces body with Content-Length, sends its first half and cuts
// the connection.
func writeCut(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body[:len(body)/2])
	_ = http.NewResponseController(w).Flush()
	panic(http.ErrAbortHandler) // net/http closes the connection, without logging
}

// estimateTokens is the usual rule of thumb: about 4 characters a token.
func estimateTokens(s string) int {
	return (utf8.RuneCountInString(s) + 3) / 4
}

// wireUsage is the "usage" object of chat completions.
type wireUsage struct {
	PromptTokens            int               `json:"prompt_tokens"`
	CompletionTokens        int               `json:"completion_tokens"`
	TotalTokens             int               `json:"total_tokens"`
	PromptTokensDetails     promptDetails     `json:"prompt_tokens_details"`
	CompletionTokensDetails completionDetails `json:"completion_tokens_details"`
}

type promptDetails struct {
	CachedTokens int `json:"cached_tokens"`
	AudioTokens  int `json:"audio_tokens"`
}

type completionDetails struct {
	ReasoningTokens          int `json:"reasoning_tokens"`
	AudioTokens              int `json:"audio_tokens"`
	AcceptedPredictionTokens int `json:"accepted_prediction_tokens"`
	RejectedPredictionTokens int `json:"rejected_prediction_tokens"`
}
