package geminitest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/internal/geminitest"
)

// exampleT stands in for the *testing.T a test would pass.
type exampleT struct{ testing.TB }

func (exampleT) Helper()               {}
func (exampleT) Cleanup(func())        {}
func (exampleT) Errorf(string, ...any) {}

// A test scripts the server's answers and drives a client against it.
func Example() {
	s := geminitest.New(exampleT{}, geminitest.WithAPIKey("test-key"))
	defer s.Close()
	s.EnqueueChat(geminitest.RateLimited(0), geminitest.Text("Hello"))
	for range 2 {
		req, _ := http.NewRequest("POST", s.URL()+"v1beta/models/gemini-2.5-flash:generateContent",
			strings.NewReader(`{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}`))
		req.Header.Set("x-goog-api-key", "test-key")
		resp, err := s.HTTPClient().Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, strings.Contains(string(b), "Hello"))
	}
	// Output:
	// 429 false
	// 200 true
}
