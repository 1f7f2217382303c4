package ollamatest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ollama/ollama/api"
	"github.com/ollama/ollama/types/model"
)

// modifiedAt is the fixed modification time reported for installed models.
var modifiedAt = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// canonicalModel normalises a model name the way Ollama compares names:
// lower case, default registry and namespace dropped, ":latest" implied.
func canonicalModel(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.TrimPrefix(n, "registry.ollama.ai/")
	n = strings.TrimPrefix(n, "library/")
	if i := strings.LastIndex(n, ":"); i < 0 || i < strings.LastIndex(n, "/") {
		n += ":latest"
	}
	return n
}

// isInstalled reports whether the model may be used.
func (s *Server) isInstalled(name string) bool {
	return s.installed == nil || s.installed[canonicalModel(name)]
}

// notFound is Ollama 0.17.4's message for an unknown model in the chat,
// generate and show handlers.
func notFound(name string) string {
	return fmt.Sprintf("model '%s' not found", name)
}

// notFoundPull is Ollama 0.17.4's message for an unknown model when the
// scheduler loads it, which is the path of the embed handlers.
func notFoundPull(name string) string {
	return fmt.Sprintf("model %q not found, try pulling it first", name)
}

// installedNames returns the installed models in the order given, once each.
func (s *Server) installedNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range s.cfg.models {
		c := canonicalModel(m)
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// serveTags answers GET /api/tags.
func (s *Server) serveTags(w http.ResponseWriter) {
	resp := api.ListResponse{Models: []api.ListModelResponse{}}
	for _, name := range s.installedNames() {
		sum := sha256.Sum256([]byte(name))
		resp.Models = append(resp.Models, api.ListModelResponse{
			Name:       name,
			Model:      name,
			ModifiedAt: modifiedAt,
			Size:       1 << 30,
			Digest:     hex.EncodeToString(sum[:]),
			Details:    s.details(name),
		})
	}
	writeJSON(w, http.StatusOK, resp)
}

// serveShow answers POST /api/show.
func (s *Server) serveShow(w http.ResponseWriter, rec Request) {
	if rec.DecodeError != nil {
		writeDecodeError(w, rec.DecodeError)
		return
	}
	name := rec.Model()
	if name == "" {
		writeError(w, http.StatusBadRequest, "model is required")
		return
	}
	if !s.isInstalled(name) {
		writeError(w, http.StatusNotFound, notFound(name))
		return
	}
	if resp, ok := s.cfg.shows[canonicalModel(name)]; ok {
		writeJSON(w, http.StatusOK, resp)
		return
	}
	caps := []model.Capability{model.CapabilityCompletion, model.CapabilityTools}
	if strings.Contains(strings.ToLower(name), "embed") {
		caps = []model.Capability{model.CapabilityEmbedding}
	}
	writeJSON(w, http.StatusOK, api.ShowResponse{
		Modelfile:  "FROM " + canonicalModel(name) + "\n",
		Parameters: "stop \"<|eot_id|>\"",
		Template:   "{{ .Prompt }}",
		Details:    s.details(name),
		ModelInfo: map[string]any{
			"general.architecture":   "llama",
			"llama.context_length":   8192,
			"llama.embedding_length": s.cfg.embedDim,
		},
		Capabilities: caps,
		ModifiedAt:   modifiedAt,
	})
}

// details returns the made-up details of an installed model.
func (s *Server) details(name string) api.ModelDetails {
	if resp, ok := s.cfg.shows[canonicalModel(name)]; ok {
		return resp.Details
	}
	return api.ModelDetails{
		Format:            "gguf",
		Family:            "llama",
		Families:          []string{"llama"},
		ParameterSize:     "8B",
		QuantizationLevel: "Q4_K_M",
	}
}
