package serve

import (
	"testing"

	validator "github.com/santhosh-tekuri/jsonschema/v6"
)

// FuzzValidateAgreesWithTree mutates bodies (and picks among the schemas
// of TestValidateAgreesWithTree): for every valid JSON body, the walk must
// not panic, must find the body valid exactly when the whole-tree
// validation does, and must keep its details within the bounds.
//
//	go test -run XXX -fuzz FuzzValidateAgreesWithTree -fuzztime 5m ./chain/serve/
func FuzzValidateAgreesWithTree(f *testing.F) {
	docs := agreeSchemas(f)
	checkers := make([]*bodyChecker, len(docs))
	trees := make([]*validator.Schema, len(docs))
	for i, doc := range docs {
		c, err := newChecker([]byte(doc))
		if err != nil {
			f.Fatalf("newChecker(%s): %v", doc, err)
		}
		checkers[i], trees[i] = c, compileTree(f, doc)
	}
	bodies := agreeBodies()
	for i := range docs {
		for j := i % 5; j < len(bodies); j += 37 {
			f.Add(uint8(i), []byte(bodies[j]))
		}
		for _, b := range wholeBodies {
			f.Add(uint8(i), []byte(b))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		i := int(which) % len(docs)
		agrees(t, checkers[i], trees[i], docs[i], body)
	})
}
