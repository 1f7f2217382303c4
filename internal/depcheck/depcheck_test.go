package depcheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// pkg is what the test reads of go list -json.
type pkg struct {
	ImportPath string
	Standard   bool
	Imports    []string
}

// rule forbids the packages that from selects to depend, directly or not,
// on the packages that bad selects. Paths are relative to the module
// ("" is the root package); bad sees every dependency, std included.
type rule struct {
	name string
	from func(rel string) bool
	bad  func(dep *pkg, rel string, inModule bool) bool
}

// under reports whether rel is dir or inside it.
func under(rel, dir string) bool { return rel == dir || strings.HasPrefix(rel, dir+"/") }

// inAny builds a predicate true for module packages under any of dirs.
func inAny(dirs ...string) func(*pkg, string, bool) bool {
	return func(_ *pkg, rel string, inModule bool) bool {
		if !inModule {
			return false
		}
		for _, d := range dirs {
			if under(rel, d) {
				return true
			}
		}
		return false
	}
}

// rules is the documented direction: examples -> tools, memory,
// retrieval -> llm -> chain -> standard library, with chain/schema a leaf
// and tools above memory.
var rules = []rule{
	{
		name: "the root chain package depends on the standard library only",
		from: func(rel string) bool { return rel == "chain" },
		bad:  func(dep *pkg, _ string, inModule bool) bool { return !dep.Standard && !inModule },
	},
	{
		name: "nothing under chain/ depends on llm, tools, memory, retrieval or examples",
		from: func(rel string) bool { return under(rel, "chain") },
		bad:  inAny("llm", "tools", "memory", "retrieval", "examples"),
	},
	{
		name: "chain/schema depends on no other Chorus package",
		from: func(rel string) bool { return under(rel, "chain/schema") },
		bad: func(dep *pkg, rel string, inModule bool) bool {
			return inModule && !under(rel, "chain/schema")
		},
	},
	{
		name: "nothing under llm/ depends on tools, memory, retrieval or examples",
		from: func(rel string) bool { return under(rel, "llm") },
		bad:  inAny("tools", "memory", "retrieval", "examples"),
	},
	{
		name: "memory depends on neither tools nor retrieval",
		from: func(rel string) bool { return under(rel, "memory") },
		bad:  inAny("tools", "retrieval"),
	},
	{
		name: "retrieval depends on neither tools nor memory",
		from: func(rel string) bool { return under(rel, "retrieval") },
		bad:  inAny("tools", "memory"),
	},
	{
		name: "tools does not depend on retrieval",
		from: func(rel string) bool { return under(rel, "tools") },
		bad:  inAny("retrieval"),
	},
	{
		name: "nothing outside examples/ depends on examples/",
		from: func(rel string) bool { return !under(rel, "examples") },
		bad:  inAny("examples"),
	},
}

// graph is the module's packages and their dependencies.
type graph struct {
	module string
	pkgs   map[string]*pkg
}

// rel returns path relative to the module and whether it is in it.
func (g *graph) rel(path string) (string, bool) {
	if path == g.module {
		return "", true
	}
	rest, ok := strings.CutPrefix(path, g.module+"/")
	return rest, ok
}

// violations returns, for every rule and every package it governs, the
// import chain to each forbidden dependency (the shortest one), as
// "a -> b -> c" with module paths shortened.
func (g *graph) violations(rules []rule) map[string][]string {
	out := map[string][]string{}
	roots := make([]string, 0, len(g.pkgs))
	for path := range g.pkgs {
		if _, ok := g.rel(path); ok {
			roots = append(roots, path)
		}
	}
	slices.Sort(roots)
	for _, r := range rules {
		for _, root := range roots {
			rel, _ := g.rel(root)
			if !r.from(rel) {
				continue
			}
			for _, chain := range g.search(root, r) {
				out[r.name] = append(out[r.name], chain)
			}
		}
	}
	return out
}

// search walks root's dependencies breadth first and returns the chain to
// each forbidden one it finds; it does not walk past a forbidden package.
func (g *graph) search(root string, r rule) []string {
	prev := map[string]string{root: ""}
	queue := []string{root}
	var found []string
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		p := g.pkgs[cur]
		if p == nil {
			continue
		}
		for _, imp := range p.Imports {
			if _, seen := prev[imp]; seen {
				continue
			}
			prev[imp] = cur
			dep := g.pkgs[imp]
			if dep == nil {
				dep = &pkg{ImportPath: imp}
			}
			rel, inModule := g.rel(imp)
			if r.bad(dep, rel, inModule) {
				found = append(found, g.chain(prev, imp))
				continue
			}
			queue = append(queue, imp)
		}
	}
	return found
}

// chain renders the import chain that ends at last.
func (g *graph) chain(prev map[string]string, last string) string {
	var steps []string
	for p := last; p != ""; p = prev[p] {
		name := p
		if rel, ok := g.rel(p); ok {
			name = rel
			if rel == "" {
				name = "(root)"
			}
		}
		steps = append(steps, name)
	}
	slices.Reverse(steps)
	return strings.Join(steps, " -> ")
}

// goCommand finds the go command, or "" when there is none.
func goCommand() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := exec.LookPath(p); err == nil {
		return p
	}
	return ""
}

// load runs go list -deps -json ./... at the module's root.
func load(t *testing.T) *graph {
	t.Helper()
	goCmd := goCommand()
	if goCmd == "" {
		t.Skip("the go command is not found; install Go to check the dependency direction")
	}
	run := func(dir string, args ...string) []byte {
		cmd := exec.Command(goCmd, args...)
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return out
	}
	gomod := strings.TrimSpace(string(run(".", "env", "GOMOD")))
	if gomod == "" || gomod == "/dev/null" {
		t.Fatal("not inside a module: go env GOMOD is empty")
	}
	root := filepath.Dir(gomod)
	g := &graph{
		module: strings.TrimSpace(string(run(root, "list", "-m"))),
		pkgs:   map[string]*pkg{},
	}
	dec := json.NewDecoder(bytes.NewReader(run(root, "list", "-deps", "-json", "./...")))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("reading go list's output: %v", err)
		}
		g.pkgs[p.ImportPath] = &p
	}
	return g
}

// TestDependencyDirection checks the module's real import graph.
func TestDependencyDirection(t *testing.T) {
	g := load(t)
	for _, want := range []string{"chain", "chain/schema", "chain/serve", "llm", "tools", "memory", "retrieval"} {
		if g.pkgs[g.module+"/"+want] == nil {
			t.Fatalf("go list did not report %s: the test is looking at the wrong module (%s)", want, g.module)
		}
	}
	bad := g.violations(rules)
	for _, r := range rules {
		if chains := bad[r.name]; len(chains) > 0 {
			t.Errorf("%s, but:\n\t%s", r.name, strings.Join(chains, "\n\t"))
		}
	}
}

// TestViolationsNameTheImportChain checks the checker itself on a made-up
// graph that breaks the rules.
func TestViolationsNameTheImportChain(t *testing.T) {
	const m = "example.com/m"
	g := &graph{module: m, pkgs: map[string]*pkg{}}
	add := func(path string, std bool, imports ...string) {
		g.pkgs[path] = &pkg{ImportPath: path, Standard: std, Imports: imports}
	}
	add("fmt", true)
	add("golang.org/x/sync/errgroup", false)
	add(m+"/chain", false, "fmt", m+"/chain/internal/x")
	add(m+"/chain/internal/x", false, "golang.org/x/sync/errgroup")
	add(m+"/chain/serve", false, m+"/chain", m+"/chain/schema", m+"/llm")
	add(m+"/chain/schema", false, "fmt")
	add(m+"/llm", false, m+"/chain", m+"/tools")
	add(m+"/tools", false, m+"/llm", m+"/memory")
	add(m+"/memory", false, m+"/llm")
	add(m+"/retrieval", false, m+"/llm")
	add(m+"/examples/demo", false, m+"/tools")
	add(m+"/internal/helper", false, m+"/examples/demo")

	got := g.violations(rules)
	want := map[string][]string{
		rules[0].name: {"chain -> chain/internal/x -> golang.org/x/sync/errgroup"},
		rules[1].name: {"chain/serve -> llm"}, // the search stops at the first forbidden package
		rules[3].name: {"llm -> tools"},
		rules[4].name: {"memory -> llm -> tools"},
		rules[5].name: {"retrieval -> llm -> tools"},
		rules[7].name: {"internal/helper -> examples/demo"},
	}
	for name, chains := range want {
		if !slices.Equal(got[name], chains) {
			t.Errorf("%s: got %q, want %q", name, got[name], chains)
		}
	}
	for name, chains := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("unexpected violation of %q: %q", name, chains)
		}
	}
}
