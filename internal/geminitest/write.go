package geminitest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// writeJSON sends v as JSON with this status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(errorBody{Error: &apiError{Code: status, Status: "INTERNAL", Message: "geminitest: " + err.Error()}})
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeError sends Google's error body with the error's code as status.
func writeError(w http.ResponseWriter, e *apiError) { writeJSON(w, e.Code, errorBody{Error: e}) }

// writeCut announces body whole, sends half and cuts the connection.
func writeCut(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body[:len(body)/2])
	_ = http.NewResponseController(w).Flush()
	panic(http.ErrAbortHandler) // net/http closes the connection, without logging
}

// estimateTokens is the rule of thumb: about 4 characters a token.
func estimateTokens(s string) int { return (utf8.RuneCountInString(s) + 3) / 4 }
