package oiptest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/llm/oip"
	"github.com/chorus-go/chorus/llm/oip/oiptest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// doubler doubles an INT32 vector "x" of any length into "y".
func doubler() oiptest.Model {
	return oiptest.Model{
		Name:    "double",
		Inputs:  []oip.TensorMetadata{{Name: "x", Datatype: oip.Int32, Shape: []int64{-1, 2}}},
		Outputs: []oip.TensorMetadata{{Name: "y", Datatype: oip.Int32, Shape: []int64{-1, 2}}},
		Infer: func(in []oip.Tensor) ([]oip.Tensor, error) {
			x, err := oip.Values[int32](in[0])
			if err != nil {
				return nil, err
			}
			y := make([]int32, len(x))
			for i, v := range x {
				y[i] = 2 * v
			}
			t, err := oip.NewTensor("y", in[0].Shape, y)
			return []oip.Tensor{t}, err
		},
	}
}

// send posts or gets raw JSON and returns the status and body.
func send(t *testing.T, s *oiptest.Server, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func TestInferenceWire(t *testing.T) {
	s := oiptest.New(t, doubler())
	for _, tc := range []struct {
		name, body string
		status     int
		want       string
	}{
		{"flat", `{"id":"1","inputs":[{"name":"x","shape":[2,2],"datatype":"INT32","data":[1,2,3,4]}]}`, 200,
			`{"id":"1","model_name":"double","outputs":[{"data":[2,4,6,8],"datatype":"INT32","name":"y","shape":[2,2]}]}`},
		{"nested input", `{"inputs":[{"name":"x","shape":[1,2],"datatype":"INT32","data":[[5,6]]}]}`, 200,
			`{"model_name":"double","outputs":[{"data":[10,12],"datatype":"INT32","name":"y","shape":[1,2]}]}`},
		{"too few elements", `{"inputs":[{"name":"x","shape":[2,2],"datatype":"INT32","data":[1,2,3]}]}`, 400,
			`{"error":"unexpected number of elements for input 'x': shape [2,2] needs 4, got 3"}`},
		{"not an integer", `{"inputs":[{"name":"x","shape":[1,2],"datatype":"INT32","data":[1,2.5]}]}`, 400,
			`{"error":"input 'x' (INT32): element 1: 2.5 is not an INT32"}`},
		{"out of range", `{"inputs":[{"name":"x","shape":[1,2],"datatype":"INT32","data":[1,3000000000]}]}`, 400,
			`{"error":"input 'x' (INT32): element 1: 3000000000 is not an INT32"}`},
		{"missing input", `{"inputs":[]}`, 400, `{"error":"expected 1 inputs but got 0 inputs for model 'double'"}`},
		{"unknown output", `{"inputs":[{"name":"x","shape":[1,2],"datatype":"INT32","data":[1,2]}],"outputs":[{"name":"z"}]}`, 400,
			`{"error":"unexpected inference output 'z' for model 'double'"}`},
		{"not JSON", `{"inputs":`, 400, `{"error":"failed to parse the request JSON buffer: unexpected EOF"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := send(t, s, http.MethodPost, "/v2/models/double/infer", tc.body)
			if status != tc.status || body != tc.want {
				t.Errorf("got %d %s\nwant %d %s", status, body, tc.status, tc.want)
			}
		})
	}
}

func TestNestedOutputsAndMetadata(t *testing.T) {
	s := oiptest.New(t, doubler())
	s.SetNestedOutputs(true)
	_, body := send(t, s, http.MethodPost, "/v2/models/double/infer", `{"inputs":[{"name":"x","shape":[2,2],"datatype":"INT32","data":[1,2,3,4]}]}`)
	var resp struct {
		Outputs []struct{ Data json.RawMessage }
	}
	if err := json.Unmarshal([]byte(body), &resp); err != nil || string(resp.Outputs[0].Data) != "[[2,4],[6,8]]" {
		t.Errorf("nested outputs: %s", body)
	}
	status, body := send(t, s, http.MethodGet, "/v2/models/double", "")
	if status != 200 || body != `{"inputs":[{"name":"x","datatype":"INT32","shape":[-1,2]}],"name":"double","outputs":[{"name":"y","datatype":"INT32","shape":[-1,2]}],"platform":""}` {
		t.Errorf("metadata %d %s", status, body)
	}
	if status, _ := send(t, s, http.MethodGet, "/v2/models/other", ""); status != 404 {
		t.Errorf("unknown model: %d", status)
	}
	if status, _ := send(t, s, http.MethodGet, "/v2", ""); status != 200 {
		t.Errorf("server metadata: %d", status)
	}
	s.SetServerReady(false)
	if status, _ := send(t, s, http.MethodGet, "/v2/health/ready", ""); status != 503 {
		t.Errorf("server not ready: %d", status)
	}
	if status, _ := send(t, s, http.MethodGet, "/v2/models/double/ready", ""); status != 200 {
		t.Errorf("model ready: %d", status)
	}
	if n := len(s.Requests()); n != 6 {
		t.Errorf("%d requests recorded", n)
	}
}

func TestNewServerPanicsOnBadModels(t *testing.T) {
	for _, models := range [][]oiptest.Model{{{Name: "x"}}, {doubler(), doubler()}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("no panic for %d models", len(models))
				}
			}()
			oiptest.NewServer(models...).Close()
		}()
	}
}
