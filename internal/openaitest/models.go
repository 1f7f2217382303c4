package openaitest

import (
	"net/http"
	"strings"
)

// model is one entry of GET /v1/models, and the body of GET /v1/models/{id}.
type model struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

type modelsList struct {
	Object string  `json:"object"`
	Data   []model `json:"data"`
}

// modelsCreated is a fixed creation time (2023-11-14), so answers are stable.
const modelsCreated = 1700000000

func newModel(id string) model {
	return model{ID: id, Object: "model", Created: modelsCreated, OwnedBy: "openai"}
}

func modelList(ids []string) modelsList {
	l := modelsList{Object: "list", Data: []model{}}
	for _, id := range ids {
		l.Data = append(l.Data, newModel(id))
	}
	return l
}

// serveModels answers GET /v1/models with the list and GET /v1/models/{id}
// with the model or a 404 model_not_found.
func serveModels(w http.ResponseWriter, req *Request, ids []string) {
	id, one := strings.CutPrefix(req.Path, string(EndpointModels)+"/")
	if !one {
		writeJSON(w, http.StatusOK, modelList(ids))
		return
	}
	for _, m := range ids {
		if m == id {
			writeJSON(w, http.StatusOK, newModel(id))
			return
		}
	}
	writeError(w, http.StatusNotFound, modelNotFoundError(id))
}
