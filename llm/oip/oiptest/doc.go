// Package oiptest runs an in-process HTTP server that speaks the Open
// Inference Protocol (KServe V2, REST) as its specification documents it,
// for testing code built on package oip — or any other client of the
// protocol — without Triton, KServe or MLServer.
//
//	srv := oiptest.NewServer(oiptest.Model{
//		Name:    "double",
//		Inputs:  []oip.TensorMetadata{{Name: "x", Datatype: oip.FP32, Shape: []int64{-1}}},
//		Outputs: []oip.TensorMetadata{{Name: "y", Datatype: oip.FP32, Shape: []int64{-1}}},
//		Infer:   double, // func(inputs []oip.Tensor) ([]oip.Tensor, error)
//	})
//	defer srv.Close() // in a test, oiptest.New(t, ...) closes it when the test ends
//	model, err := oip.New(srv.URL(), "double", oip.WithHTTPClient(srv.Client()))
//	out, err := model.Infer(ctx, []oip.Tensor{x}) // y = 2x
//
// (Example runs it.)
//
// The server answers
//
//	GET  /v2                                      server metadata
//	GET  /v2/health/live, /v2/health/ready        server health
//	GET  /v2/models/{name}[/versions/{v}]         model metadata
//	GET  /v2/models/{name}[/versions/{v}]/ready   model readiness
//	POST /v2/models/{name}[/versions/{v}]/infer   inference
//
// for the Models it is given, each computing its outputs with a Go
// function. It checks inference requests as a real server does, and
// refuses what does not fit with HTTP 400 and the protocol's error body
// {"error": "..."}: an unknown input or output, another datatype, a shape
// that does not fit the model's (-1 matching any size), data whose
// elements are not of the datatype or do not fill the shape, a missing
// input. An unknown model or version is a 404; a model marked not ready
// (SetReady) answers 503. Fail and Hang script the answer to the next
// inference requests (an error status with a Retry-After, an answer that
// never comes); every request is recorded.
//
// The server decodes tensor data with its own code, independent of
// package oip's, so that a client bug is not hidden by the same bug in the
// server. SetNestedOutputs makes it send output data as nested arrays,
// which the protocol allows.
package oiptest
