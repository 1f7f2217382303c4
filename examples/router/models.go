package main

import (
	"fmt"
	"os"

	"github.com/chorus-go/chorus/llm/ollama"
	"github.com/chorus-go/chorus/llm/openai"
)

// configuredLLMs returns the LLMs the environment configures: OpenAI (or an
// OpenAI-compatible server) when OPENAI_API_KEY or OPENAI_BASE_URL is set,
// Ollama when OLLAMA_HOST is set. None: the recognition runs on the local
// models alone, with no network.
func configuredLLMs(openaiModel, ollamaModel string) ([]voter, error) {
	var out []voter
	if os.Getenv(openai.EnvAPIKey) != "" || os.Getenv(openai.EnvBaseURL) != "" {
		m, err := openai.New(openaiModel)
		if err != nil {
			return nil, fmt.Errorf("openai: %w", err)
		}
		out = append(out, voter{name: "openai", model: m})
	}
	if os.Getenv("OLLAMA_HOST") != "" {
		m, err := ollama.New(ollamaModel)
		if err != nil {
			return nil, fmt.Errorf("ollama: %w", err)
		}
		out = append(out, voter{name: "ollama", model: m})
	}
	return out, nil
}
