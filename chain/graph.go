package chain

import (
	"fmt"
	"strings"
)

// Mermaid renders the inference graph of any chain as a Mermaid flowchart,
// ready to paste into Markdown. Stages run left to right; fan-out nodes
// (parallel, join, vote, route, fallback) split into their children and
// gather again; wrappers (retry, timeout, breaker, batch, map, named
// sequences) are boxes around what they wrap.
func Mermaid(c any) string {
	g := buildGraph(Describe(c))
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	g.writeMermaid(&b, g.root, 1)
	for _, e := range g.edges {
		arrow := "-->"
		if e.dashed {
			arrow = "-.->"
		}
		if e.label != "" {
			fmt.Fprintf(&b, "  %s %s|%s| %s\n", e.from, arrow, mermaidText(e.label), e.to)
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", e.from, arrow, e.to)
		}
	}
	return b.String()
}

// DOT renders the inference graph of any chain as Graphviz DOT text, with
// the same layout rules as Mermaid.
func DOT(c any) string {
	g := buildGraph(Describe(c))
	var b strings.Builder
	b.WriteString("digraph chain {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n")
	g.writeDOT(&b, g.root, 1)
	for _, e := range g.edges {
		var attrs []string
		if e.label != "" {
			attrs = append(attrs, "label="+dotQuote(e.label))
		}
		if e.dashed {
			attrs = append(attrs, "style=dashed")
		}
		if len(attrs) > 0 {
			fmt.Fprintf(&b, "  %s -> %s [%s];\n", e.from, e.to, strings.Join(attrs, ", "))
		} else {
			fmt.Fprintf(&b, "  %s -> %s;\n", e.from, e.to)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

type shape int

const (
	shapeBox shape = iota
	shapeSplit
	shapeDecision
	shapeMerge
)

type gnode struct {
	id, label string
	shape     shape
}

type gcluster struct {
	id, label string
	nodes     []gnode
	clusters  []*gcluster
}

type gedge struct {
	from, to, label string
	dashed          bool
}

type graph struct {
	root  *gcluster
	edges []gedge
	n     int
}

func buildGraph(root Node) *graph {
	g := &graph{root: &gcluster{}}
	g.add(g.root, root)
	return g
}

func (g *graph) id(prefix string) string {
	g.n++
	return fmt.Sprintf("%s%d", prefix, g.n)
}

func (g *graph) node(cl *gcluster, label string, s shape) string {
	id := g.id("n")
	cl.nodes = append(cl.nodes, gnode{id: id, label: label, shape: s})
	return id
}

func nodeLabel(n Node) string {
	label := n.Name
	if label == "" {
		label = string(n.Kind)
	}
	if n.Kind != KindFunc && n.Name != string(n.Kind) && n.Kind != "" && len(n.Children) == 0 {
		label += " (" + string(n.Kind) + ")"
	}
	if n.Detail != "" && len(n.Children) == 0 {
		label += "\n" + n.Detail
	}
	return label
}

func headerLabel(n Node) string {
	label := n.Name
	if label != string(n.Kind) {
		label += ": " + string(n.Kind)
	}
	if n.Detail != "" {
		label += " (" + n.Detail + ")"
	}
	return label
}

// add draws n inside cl and returns the ids where flow enters and leaves it.
func (g *graph) add(cl *gcluster, n Node) (in, out string) {
	if len(n.Children) == 0 {
		id := g.node(cl, nodeLabel(n), shapeBox)
		return id, id
	}
	label := func(i int) string {
		if i < len(n.Labels) {
			return n.Labels[i]
		}
		return ""
	}
	switch n.Kind {
	case KindSequence:
		target := cl
		if n.Name != string(KindSequence) {
			target = &gcluster{id: g.id("c"), label: n.Name}
			cl.clusters = append(cl.clusters, target)
		}
		var prev string
		for i, c := range n.Children {
			cin, cout := g.add(target, c)
			if i == 0 {
				in = cin
			} else {
				g.edges = append(g.edges, gedge{from: prev, to: cin})
			}
			prev = cout
		}
		return in, prev
	case KindParallel, KindJoin, KindVote, KindRoute, KindFallback:
		s := shapeSplit
		if n.Kind == KindRoute {
			s = shapeDecision
		}
		in = g.node(cl, headerLabel(n), s)
		mergeLabel := "gather"
		switch n.Kind {
		case KindVote:
			mergeLabel = "verdict"
		case KindRoute, KindFallback:
			mergeLabel = "answer"
		}
		out = g.node(cl, mergeLabel, shapeMerge)
		for i, c := range n.Children {
			cin, cout := g.add(cl, c)
			g.edges = append(g.edges, gedge{from: in, to: cin, label: label(i), dashed: n.Kind == KindFallback && i > 0})
			g.edges = append(g.edges, gedge{from: cout, to: out})
		}
		return in, out
	default: // wrappers: retry, timeout, breaker, batch, map, named models
		sub := &gcluster{id: g.id("c"), label: headerLabel(n)}
		cl.clusters = append(cl.clusters, sub)
		var prev string
		for i, c := range n.Children {
			cin, cout := g.add(sub, c)
			if i == 0 {
				in = cin
			} else {
				g.edges = append(g.edges, gedge{from: prev, to: cin})
			}
			prev = cout
		}
		return in, prev
	}
}

func (g *graph) writeMermaid(b *strings.Builder, cl *gcluster, depth int) {
	ind := strings.Repeat("  ", depth)
	for _, n := range cl.nodes {
		t := mermaidText(n.label)
		switch n.shape {
		case shapeSplit:
			fmt.Fprintf(b, "%s%s[/\"%s\"/]\n", ind, n.id, t)
		case shapeDecision:
			fmt.Fprintf(b, "%s%s{\"%s\"}\n", ind, n.id, t)
		case shapeMerge:
			fmt.Fprintf(b, "%s%s((\"%s\"))\n", ind, n.id, t)
		default:
			fmt.Fprintf(b, "%s%s[\"%s\"]\n", ind, n.id, t)
		}
	}
	for _, sub := range cl.clusters {
		fmt.Fprintf(b, "%ssubgraph %s [\"%s\"]\n", ind, sub.id, mermaidText(sub.label))
		g.writeMermaid(b, sub, depth+1)
		fmt.Fprintf(b, "%send\n", ind)
	}
}

func (g *graph) writeDOT(b *strings.Builder, cl *gcluster, depth int) {
	ind := strings.Repeat("  ", depth)
	for _, n := range cl.nodes {
		s := "box"
		switch n.shape {
		case shapeSplit:
			s = "parallelogram"
		case shapeDecision:
			s = "diamond"
		case shapeMerge:
			s = "circle"
		}
		fmt.Fprintf(b, "%s%s [label=%s, shape=%s];\n", ind, n.id, dotQuote(n.label), s)
	}
	for _, sub := range cl.clusters {
		fmt.Fprintf(b, "%ssubgraph cluster_%s {\n%s  label=%s;\n", ind, sub.id, ind, dotQuote(sub.label))
		g.writeDOT(b, sub, depth+1)
		fmt.Fprintf(b, "%s}\n", ind)
	}
}

var (
	mermaidEscaper = strings.NewReplacer(`"`, "#quot;", "\n", "<br/>", "|", "#124;", "<", "#lt;", ">", "#gt;")
	dotEscaper     = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
)

// mermaidText escapes text for a quoted Mermaid label.
func mermaidText(s string) string { return mermaidEscaper.Replace(s) }

// dotQuote quotes text as a DOT string.
func dotQuote(s string) string { return `"` + dotEscaper.Replace(s) + `"` }
