package openaitest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// apiError is the object inside OpenAI's error body
// {"error":{"message":...,"type":...,"param":null,"code":...}}.
type apiError struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

type errorBody struct {
	Error *apiError `json:"error"`
}

// newAPIError builds an error object; an empty code is sent as null.
func newAPIError(errType, code, message string) *apiError {
	e := &apiError{Message: message, Type: errType}
	if code != "" {
		e.Code = &code
	}
	return e
}

// Error is a reply with HTTP status and OpenAI's error body
// {"error":{"message":message,"type":errType,"param":null,"code":code}};
// an empty code is sent as null. See [Reply.WithParam] and [Reply.WithHeader].
func Error(status int, errType, code, message string) Reply {
	return Reply{kind: kindError, status: status, apiErr: newAPIError(errType, code, message)}
}

// BadRequest is a 400 invalid_request_error with this message and code null.
func BadRequest(message string) Reply {
	return Error(http.StatusBadRequest, "invalid_request_error", "", message)
}

// Unauthorized is the 401 OpenAI sends for a wrong API key
// (type invalid_request_error, code invalid_api_key).
func Unauthorized() Reply {
	return Reply{kind: kindError, status: http.StatusUnauthorized, apiErr: invalidKeyError("sk-wrong")}
}

// ModelNotFound is the 404 OpenAI sends for an unknown model
// (type invalid_request_error, code model_not_found).
func ModelNotFound(model string) Reply {
	return Reply{kind: kindError, status: http.StatusNotFound, apiErr: modelNotFoundError(model)}
}

// RateLimited is a 429 rate_limit_exceeded error (type "requests") with the
// headers "Retry-After" (whole seconds, rounded up) and "retry-after-ms"
// (milliseconds) set from retryAfter, plus x-ratelimit-* headers.
func RateLimited(retryAfter time.Duration) Reply {
	secs := int64(math.Ceil(retryAfter.Seconds()))
	msg := fmt.Sprintf("Rate limit reached for gpt-4o-mini in organization org-openaitest on "+
		"requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in %s. "+
		"Visit https://platform.openai.com/account/rate-limits to learn more.", retryAfter)
	return Error(http.StatusTooManyRequests, "requests", "rate_limit_exceeded", msg).
		WithHeader("Retry-After", strconv.FormatInt(secs, 10)).
		WithHeader("retry-after-ms", strconv.FormatInt(retryAfter.Milliseconds(), 10)).
		WithHeader("x-ratelimit-limit-requests", "3").
		WithHeader("x-ratelimit-remaining-requests", "0").
		WithHeader("x-ratelimit-reset-requests", retryAfter.String())
}

// InsufficientQuota is the 429 OpenAI sends when the account is out of credit
// (type and code insufficient_quota, no Retry-After): retrying will not help.
func InsufficientQuota() Reply {
	return Error(http.StatusTooManyRequests, "insufficient_quota", "insufficient_quota",
		"You exceeded your current quota, please check your plan and billing details. "+
			"For more information on this error, read the docs: "+
			"https://platform.openai.com/docs/guides/error-codes/api-errors.")
}

// ServerError is OpenAI's 500 (type server_error, code null).
func ServerError() Reply {
	return Error(http.StatusInternalServerError, "server_error", "",
		"The server had an error while processing your request. Sorry about that!")
}

// Overloaded is OpenAI's 503 (type server_error, code null).
func Overloaded() Reply {
	return Error(http.StatusServiceUnavailable, "server_error", "",
		"The engine is currently overloaded, please try again later.")
}

// BadGatewayHTMLBody is the body of [BadGateway].
const BadGatewayHTMLBody = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
	"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n"

// BadGateway is a 502 with an HTML body, as a proxy in front of the API sends
// it (not JSON: go-openai returns it as *openai.RequestError).
func BadGateway() Reply {
	return RawResponse(http.StatusBadGateway, "text/html", BadGatewayHTMLBody)
}

func invalidKeyError(got string) *apiError {
	return newAPIError("invalid_request_error", "invalid_api_key",
		"Incorrect API key provided: "+redact(got)+
			". You can find your API key at https://platform.openai.com/account/api-keys.")
}

func missingKeyError() *apiError {
	return newAPIError("invalid_request_error", "",
		"You didn't provide an API key. You need to provide your API key in an Authorization "+
			"header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password "+
			"field (with blank username) if you're accessing the API from your browser and are "+
			"prompted for a username and password. You can obtain an API key from "+
			"https://platform.openai.com/account/api-keys.")
}

func modelNotFoundError(model string) *apiError {
	return newAPIError("invalid_request_error", "model_not_found",
		"The model `"+model+"` does not exist or you do not have access to it.")
}

func invalidURLError(method, path string) *apiError {
	return newAPIError("invalid_request_error", "", "Invalid URL ("+method+" "+path+")")
}

func invalidJSONError() *apiError {
	return newAPIError("invalid_request_error", "",
		"We could not parse the JSON body of your request. (HINT: This likely means you aren't "+
			"using your HTTP library correctly. The OpenAI API expects a JSON payload, but what "+
			"was sent was not valid JSON. If you have trouble figuring out how to fix this, "+
			"please contact us through our help center at help.openai.com.)")
}

// redact shows a key the way OpenAI does: the start and the last 4 characters.
func redact(key string) string {
	if len(key) <= 8 {
		return "***"
	}
	return key[:3] + "*****" + key[len(key)-4:]
}
