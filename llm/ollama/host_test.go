package ollama

import (
	"testing"
)

func TestParseHost(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "http://127.0.0.1:11434"},
		{"  \"\"  ", "http://127.0.0.1:11434"},
		{"1.2.3.4", "http://1.2.3.4:11434"},
		{"gpu-box", "http://gpu-box:11434"},
		{"gpu-box:8080", "http://gpu-box:8080"},
		{":11435", "http://127.0.0.1:11435"},
		{"0.0.0.0", "http://0.0.0.0:11434"},
		{"http://gpu-box", "http://gpu-box:80"},
		{"https://gpu-box", "https://gpu-box:443"},
		{"https://ollama.example.com/prefix", "https://ollama.example.com:443/prefix"},
		{"http://[::1]:11434", "http://[::1]:11434"},
		{"[::1]", "http://[::1]:11434"},
		{"'http://10.0.0.2:11434'", "http://10.0.0.2:11434"},
		{"ollama.com", "https://ollama.com:443"},
	}
	for _, tt := range tests {
		u, err := parseHost(tt.in)
		if err != nil || u.String() != tt.want {
			t.Errorf("parseHost(%q) = %v, %v; want %s", tt.in, u, err, tt.want)
		}
	}
	for _, bad := range []string{"ftp://x", "host:99999", "host:port", "unix:///tmp/x"} {
		if u, err := parseHost(bad); err == nil {
			t.Errorf("parseHost(%q) = %v, want an error", bad, u)
		}
	}
}

func TestDroppedKeywords(t *testing.T) {
	got := droppedKeywords([]byte(`{"type":"object","description":"d","additionalProperties":false,
		"properties":{"a":{"type":"integer","minimum":0},"b":{"anyOf":[{"type":"string","format":"date"}]},
		"c":{"type":"object","properties":{"d":{"$ref":"#/$defs/x"}},"required":["d"]}}}`))
	want := []string{"additionalProperties", "description", "properties.a.minimum", "properties.b.anyOf.0.format",
		"properties.c.properties.d.$ref", "properties.c.required"}
	if len(got) != len(want) {
		t.Fatalf("dropped %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("dropped %v, want %v", got, want)
			break
		}
	}
}
