package serve_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/serve"
)

// Text is the request and the reply of the example chain.
type Text struct {
	Text string `json:"text" jsonschema:"minLength=1"`
}

func Example() {
	shout := chain.Named("shout", chain.Pure(func(t Text) Text { return Text{strings.ToUpper(t.Text)} }))
	ep, err := serve.NewEndpoint(shout)
	if err != nil {
		log.Fatal(err)
	}
	mux := serve.MustMux()
	mux.Mount("/v1/shout", ep)
	// In a program: serve.ListenAndServe(ctx, ":8080", mux).
	srv := httptest.NewServer(mux)
	defer srv.Close()

	post := func(body string) {
		resp, err := http.Post(srv.URL+"/v1/shout", "application/json", strings.NewReader(body))
		if err != nil {
			log.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		fmt.Print(resp.StatusCode, " ", string(b))
	}
	post(`{"text":"hello"}`)
	post(`{"text":""}`)

	resp, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println("ready:", resp.StatusCode)
	// Output:
	// 200 {"text":"HELLO"}
	// 400 {"error":{"status":400,"code":"invalid_request","message":"the request body does not match the input schema","details":[{"path":"/text","message":"minLength: got 0, want 1"}]}}
	// ready: 200
}
