package serve

import (
	"math/big"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain"
)

// checkBody compiles doc and checks body against it.
func checkBody(t *testing.T, doc, body string) []Detail {
	t.Helper()
	c, err := newChecker([]byte(doc))
	if err != nil {
		t.Fatalf("newChecker(%s): %v", doc, err)
	}
	ds, err := c.check([]byte(body))
	if err != nil {
		t.Fatalf("check(%.200s): %v", body, err)
	}
	return ds
}

// walkCase is a body, the details it should get, and nothing more: each
// want is a path and a piece of the message, in order.
type walkCase struct {
	body string
	want [][2]string
}

func runWalkCases(t *testing.T, doc string, cases []walkCase) {
	t.Helper()
	for _, tc := range cases {
		ds := checkBody(t, doc, tc.body)
		if len(ds) != len(tc.want) {
			t.Errorf("%s: got %d details %+v, want %d", tc.body, len(ds), ds, len(tc.want))
			continue
		}
		for i, w := range tc.want {
			if ds[i].Path != w[0] || !strings.Contains(ds[i].Message, w[1]) {
				t.Errorf("%s: detail %d = %+v, want path %q and %q in the message", tc.body, i, ds[i], w[0], w[1])
			}
		}
	}
}

func TestWalkAllOf(t *testing.T) {
	doc := `{"allOf":[{"type":"object","required":["a"]},{"properties":{"a":{"type":"integer","minimum":1}}}]}`
	runWalkCases(t, doc, []walkCase{
		{`{"a":1}`, nil},
		{`{}`, [][2]string{{"", "missing property 'a'"}}},
		{`{"a":0}`, [][2]string{{"/a", "minimum"}}},
		{`{"a":"x"}`, [][2]string{{"/a", "got string, want integer"}}},
		{`[]`, [][2]string{{"", "got array, want object"}}},
	})
}

func TestWalkAnyOf(t *testing.T) {
	doc := `{"properties":{"v":{"anyOf":[{"type":"string","maxLength":3},{"type":"integer","minimum":0},{"type":"null"}]}}}`
	runWalkCases(t, doc, []walkCase{
		{`{"v":"abc"}`, nil},
		{`{"v":3}`, nil},
		{`{"v":null}`, nil},
		// Every branch fails: each says why, but "want null" is left out.
		{`{"v":"abcd"}`, [][2]string{{"/v", "maxLength"}, {"/v", "got string, want integer"}}},
		{`{"v":-1}`, [][2]string{{"/v", "got number, want string"}, {"/v", "minimum"}}},
	})
}

func TestWalkOneOf(t *testing.T) {
	doc := `{"properties":{"v":{"oneOf":[{"type":"integer"},{"type":"number","minimum":2}]}}}`
	runWalkCases(t, doc, []walkCase{
		{`{"v":1}`, nil},   // only the first
		{`{"v":2.5}`, nil}, // only the second
		{`{"v":3}`, [][2]string{{"/v", "subschemas 0, 1 matched"}}},
		{`{"v":"x"}`, [][2]string{{"/v", "want integer"}, {"/v", "want number"}}},
	})
}

func TestWalkPrefixItems(t *testing.T) {
	doc := `{"properties":{"t":{"type":"array","prefixItems":[{"type":"string"},{"type":"integer"}],"items":{"type":"boolean"},"minItems":1,"maxItems":4}}}`
	runWalkCases(t, doc, []walkCase{
		{`{"t":["a"]}`, nil},
		{`{"t":["a",1,true,false]}`, nil},
		{`{"t":["a",1.0]}`, nil},
		{`{"t":[1,"a",2]}`, [][2]string{{"/t/0", "want string"}, {"/t/1", "want integer"}, {"/t/2", "want boolean"}}},
		{`{"t":[]}`, [][2]string{{"/t", "minItems"}}},
		{`{"t":["a",1,true,true,true]}`, [][2]string{{"/t", "maxItems"}}},
	})
	// items false after the prefix: no more items.
	runWalkCases(t, `{"prefixItems":[{"const":"a"}],"items":false}`, []walkCase{
		{`["a"]`, nil},
		{`["a",1]`, [][2]string{{"/1", "false schema"}}},
	})
}

// TestWalkTreeFallback: a part of the schema with keywords the walker
// does not know is validated on the tree of that value only, and says
// where.
func TestWalkTreeFallback(t *testing.T) {
	doc := `{"$defs":{"pos":{"type":"integer","minimum":0}},"properties":{
		"u":{"type":"array","uniqueItems":true},
		"r":{"$ref":"#/$defs/pos"},
		"c":{"if":{"type":"string"},"then":{"minLength":2},"else":{"type":"integer"}},
		"n":{"not":{"type":"string"}},
		"e":{"enum":[{"a":1},[1,2]]},
		"k":{"const":{"k":[1.0,2]}}}}`
	runWalkCases(t, doc, []walkCase{
		{`{"u":[1,2],"r":0,"c":"ab","n":1,"e":{"a":1.0},"k":{"k":[1,2.0]}}`, nil},
		{`{"u":[1,1.0]}`, [][2]string{{"/u", "items at 0 and 1 are equal"}}},
		{`{"r":-1}`, [][2]string{{"/r", "minimum"}}},
		{`{"c":"a"}`, [][2]string{{"/c", "minLength"}}},
		{`{"c":true}`, [][2]string{{"/c", "want integer"}}},
		{`{"n":"x"}`, [][2]string{{"/n", "not"}}},
		{`{"e":[2,1]}`, [][2]string{{"/e", "'enum' failed"}}},
		{`{"k":{"k":[2,1]}}`, [][2]string{{"/k", "'const' failed"}}},
	})
	c, err := newChecker([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"u", "r", "c", "n", "e", "k"} {
		if !c.root.props[k].useWhole {
			t.Errorf("property %s is not checked on its tree", k)
		}
	}
}

// TestWalkWholeNumbers: JSON Schema counts 3.0, 1e2 and -0 as integers,
// as the validator does, and not 1.5 or a number whose power of ten
// big.Rat refuses.
func TestWalkWholeNumbers(t *testing.T) {
	doc := `{"properties":{"i":{"type":"integer"}}}`
	for _, n := range []string{"3", "3.0", "1e2", "1E+2", "-0", "-0.0", "100e-2", "0e2000000", "1.5e1000001", "123456789012345678901234567890"} {
		if ds := checkBody(t, doc, `{"i":`+n+`}`); len(ds) != 0 {
			t.Errorf("%s: %+v, want an integer", n, ds)
		}
	}
	for _, n := range []string{"1.5", "1e-1", "101e-2", "1e2000000", "1e99999999999999999999", "0e99999999999999999999"} {
		if ds := checkBody(t, doc, `{"i":`+n+`}`); len(ds) != 1 {
			t.Errorf("%s: %+v, want not an integer", n, ds)
		}
	}
}

// TestIsIntegerMatchesBigRat: isInteger answers as big.Rat does, which is
// what the validator asks.
func TestIsIntegerMatchesBigRat(t *testing.T) {
	nums := []string{
		"0", "-0", "1", "-1", "3.0", "3.5", "1e2", "1E2", "1e+2", "1e-2", "100e-2", "120e-1", "125e-2",
		"0.000", "0e-5", "0.0e99999999999999999999", "10.00e-3", "1000.0e-3", "1e999999", "1e1000000", "1e1000001",
		"1.5e1000001", "1e-1000000", "1e-1000001", "1" + strings.Repeat("0", 1500) + "e-1200",
		"1" + strings.Repeat("0", 1500) + "e-1501", "123456789012345678901234567890.000", "9e-9223372036854775808",
		"1e9223372036854775807", "1.0e9223372036854775807",
	}
	for _, s := range nums {
		r, ok := new(big.Rat).SetString(s)
		if want := ok && r.IsInt(); isInteger(s) != want {
			t.Errorf("isInteger(%.40s) = %v, big.Rat says %v", s, !want, want)
		}
	}
}

// TestWalkDuplicateKeys: the last value of a repeated key counts, as in
// the tree (and in the typed decoding), and min/maxProperties count each
// key once.
func TestWalkDuplicateKeys(t *testing.T) {
	doc := `{"properties":{"a":{"type":"integer"},"b":{"type":"array","items":{"type":"integer"}}}}`
	runWalkCases(t, doc, []walkCase{
		{`{"a":"x","a":1}`, nil},
		{`{"a":1,"a":"x"}`, [][2]string{{"/a", "want integer"}}},
		{`{"a":"x","b":[1],"a":"y"}`, [][2]string{{"/a", "want integer"}}},
		// Over 20 violations, then the key again: still judged on the last value.
		{`{"b":[` + strings.Repeat(`"x",`, 30) + `1],"b":[1]}`, nil},
		{`{"b":[` + strings.Repeat(`"x",`, 30) + `1],"c":{"b":1},"b":[1,"y"]}`, [][2]string{{"/b/1", "want integer"}}},
		{`{"b":[` + strings.Repeat(`"x",`, 30) + `1],"c":{"b":1},"\u0062":[1]}`, nil},
	})
	runWalkCases(t, `{"minProperties":2,"maxProperties":2}`, []walkCase{
		{`{"p":1,"p":2}`, [][2]string{{"", "minProperties"}}},
		{`{"p":1,"q":2,"p":3}`, nil},
		{`{"p":1,"q":2,"r":3,"p":4}`, [][2]string{{"", "maxProperties"}}},
	})
}

// TestWalkStopsAtMaxDetails: a body with many violations gets the first
// maxDetails of them.
func TestWalkStopsAtMaxDetails(t *testing.T) {
	doc := `{"properties":{"b":{"type":"array","items":{"type":"integer","maximum":3}}}}`
	body := `{"b":[` + strings.Repeat(`7,"x",`, 500) + `1]}`
	ds := checkBody(t, doc, body)
	if len(ds) != maxDetails {
		t.Fatalf("%d details, want %d", len(ds), maxDetails)
	}
	if ds[0].Path != "/b/0" || ds[19].Path != "/b/19" {
		t.Errorf("details go from %s to %s, want /b/0 to /b/19", ds[0].Path, ds[19].Path)
	}
}

// TestWalkDetailsBounded: a 1 MiB string in the wrong place, as a value
// or as a key, gives details of a few hundred bytes, not the string.
func TestWalkDetailsBounded(t *testing.T) {
	big := strings.Repeat("é", 1<<19) // 1 MiB, two bytes a rune
	doc := `{"type":"object","properties":{"i":{"type":"integer"},"p":{"type":"string","pattern":"^a$"},
		"e":{"enum":["a","b"]},"k":{"const":{"a":1}},"u":{"uniqueItems":true}},"additionalProperties":false}`
	for _, body := range []string{
		`{"i":"` + big + `"}`,
		`{"p":"` + big + `"}`,
		`{"e":"` + big + `"}`,
		`{"k":{"a":"` + big + `"}}`,
		`{"u":["` + big + `","` + big + `"]}`,
		`{"` + big + `":1}`,
		`{"i":{"` + big + `":1}}`,
	} {
		ds := checkBody(t, doc, body)
		if len(ds) == 0 {
			t.Errorf("%.20s...: valid", body)
		}
		total := 0
		for _, d := range ds {
			total += len(d.Path) + len(d.Message)
		}
		if total > 2048 {
			t.Errorf("%.20s...: details of %d bytes", body, total)
		}
	}
}

// TestWalkNumberOutOfRange: a number big.Rat cannot read, where minimum,
// maximum or multipleOf apply, makes the validator panic; the walk
// reports it as a violation instead, in the walk and on a tree alike.
func TestWalkNumberOutOfRange(t *testing.T) {
	doc := `{"$defs":{"m":{"type":"number","maximum":10}},"properties":{"m":{"type":"number","maximum":10},"r":{"$ref":"#/$defs/m"}}}`
	runWalkCases(t, doc, []walkCase{
		{`{"m":1e2000000}`, [][2]string{{"/m", "too large or too small"}}},
		{`{"r":-1e2000000}`, [][2]string{{"/r", "too large or too small"}}},
		{`{"m":1e20,"r":1}`, [][2]string{{"/m", "maximum"}}},
	})
}

// TestReplyBoundedForHugeString: through an Endpoint, a 1 MiB string in
// the wrong place gets an error reply of a few hundred bytes.
func TestReplyBoundedForHugeString(t *testing.T) {
	type in struct {
		N int `json:"n"`
	}
	e, err := NewEndpoint(chain.Pure(func(v in) in { return v }), WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	body := `{"n":"` + strings.Repeat("x", 1<<20-16) + `"}`
	req := httptest.NewRequest("POST", "/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	e.ServeHTTP(w, req)
	if w.Code != 400 || w.Body.Len() > 2048 {
		t.Errorf("status %d, reply of %d bytes: %.300s", w.Code, w.Body.Len(), w.Body)
	}
}

// TestWalkCapNeedsNoTree: stopping at maxDetails takes the tree only when
// an open object repeats a faulted key later, not when a sibling object
// has the same key.
func TestWalkCapNeedsNoTree(t *testing.T) {
	c, err := newChecker([]byte(`{"properties":{"items":{"items":{"properties":{"s":{"maximum":1}}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	body := `{"items":[` + strings.Repeat(`{"s":7},`, 30) + `{"s":1}],"x":1}`
	if _, err := walkRaw([]byte(body), c.root, nil); err != nil {
		t.Errorf("walk: %v, want no need of the tree", err)
	}
	body = `{"items":[` + strings.Repeat(`{"s":7},`, 30) + `{"s":1}],"items":[]}`
	if _, err := walkRaw([]byte(body), c.root, nil); err != errTree {
		t.Errorf("walk: %v, want errTree", err)
	}
}

// A large body that repeats a key whose earlier value broke the schema is
// refused without building its tree; a small one is judged on its tree.
func TestRepeatedKeyInALargeBody(t *testing.T) {
	c, err := newChecker([]byte(`{"type":"object","properties":{"a":{"type":"integer"},"pad":{"type":"string"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	small := []byte(`{"a":"x","a":1}`)
	if ds, err := c.check(small); err != nil || len(ds) != 0 {
		t.Fatalf("small body: %v, %v; want valid (the last value counts)", ds, err)
	}
	large := []byte(`{"pad":"` + strings.Repeat("p", maxTreeBody) + `","a":"x","a":1}`)
	ds, err := c.check(large)
	if err != nil || len(ds) != 1 || ds[0].Message != repeatedKeyMessage {
		t.Fatalf("large body: %v, %v; want the repeated-key violation", ds, err)
	}
	allocs := testing.AllocsPerRun(3, func() { _, _ = c.check(large) })
	if allocs > 200 {
		t.Errorf("refusing the large body took %.0f allocations, want no tree", allocs)
	}
}
