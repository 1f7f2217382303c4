package chain_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/chorus-go/chorus/chain"
)

func ExampleWithHooks() {
	hook := chain.HookFuncs{
		OnStart: func(ctx context.Context, n chain.NodeInfo) { fmt.Println("start", n.Path) },
		OnEnd: func(ctx context.Context, n chain.NodeInfo, r chain.NodeResult) {
			fmt.Println("end", n.Path, n.Kind, r.Err)
		},
	}
	c := chain.Named("analyse", chain.Then(
		chain.Named("ocr", chain.Pure(strings.TrimSpace)),
		// The unnamed Retry adds no node: the path is analyse/classify.
		chain.Retry(chain.Named("classify", chain.Pure(strings.ToUpper))),
	))
	ctx := chain.WithHooks(context.Background(), hook)
	out, _ := c.Run(ctx, " invoice ")
	fmt.Println(out)
	// Output:
	// start analyse
	// start analyse/ocr
	// end analyse/ocr func <nil>
	// start analyse/classify
	// end analyse/classify func <nil>
	// end analyse sequence <nil>
	// INVOICE
}

func ExampleSlogHook() {
	// A text logger without times or durations, so the output is stable.
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" {
				return slog.Attr{}
			}
			return a
		},
	}))
	down := chain.Named("gpt", chain.Fn(func(ctx context.Context, s string) (string, error) {
		return "", errors.New("model down")
	}))
	c := chain.Named("answer", chain.Fallback(down, chain.Named("rules", chain.Pure(strings.ToLower))))
	ctx := chain.WithHooks(context.Background(), chain.SlogHook(logger))
	_, _ = c.Run(ctx, "Hi")
	// Output:
	// level=DEBUG msg="node start" node=answer kind=fallback
	// level=DEBUG msg="node start" node=answer/gpt kind=func
	// level=ERROR msg="node failed" node=answer/gpt kind=func error="model down"
	// level=DEBUG msg="node start" node=answer/rules kind=func
	// level=DEBUG msg="node end" node=answer/rules kind=func
	// level=INFO msg="node event" node=answer event=fallback index=1 answered=rules
	// level=DEBUG msg="node end" node=answer kind=fallback
}

func ExampleMermaid() {
	c := chain.Named("analyse", chain.Then(
		chain.Named("ocr", chain.Pure(strings.TrimSpace)),
		chain.Fallback(chain.Named("gpt", chain.Pure(strings.ToUpper)), chain.Named("rules", chain.Pure(strings.ToLower))),
	))
	fmt.Print(chain.Mermaid(c))
	// Output:
	// flowchart LR
	//   subgraph c1 ["analyse"]
	//     n2["ocr"]
	//     n3[/"fallback"/]
	//     n4(("answer"))
	//     n5["gpt"]
	//     n6["rules"]
	//   end
	//   n3 -->|primary| n5
	//   n5 --> n4
	//   n3 -.->|fallback 1| n6
	//   n6 --> n4
	//   n2 --> n3
}

func ExampleDOT() {
	c := chain.Named("analyse", chain.Then(
		chain.Named("ocr", chain.Pure(strings.TrimSpace)),
		chain.Named("classify", chain.Pure(strings.ToUpper)),
	))
	fmt.Print(chain.DOT(c))
	// Output:
	// digraph chain {
	//   rankdir=LR;
	//   node [fontname="Helvetica"];
	//   subgraph cluster_c1 {
	//     label="analyse";
	//     n2 [label="ocr", shape=box];
	//     n3 [label="classify", shape=box];
	//   }
	//   n2 -> n3;
	// }
}

func ExampleBuild() {
	quorum := 3 // from a configuration file, say
	c, err := chain.Build(func() chain.Chain[string, chain.Verdict[string]] {
		return chain.Vote(chain.Majority[string](), []chain.Voter[string, string]{
			chain.Member("a", chain.Pure(strings.ToUpper)),
			chain.Member("b", chain.Pure(strings.ToLower)),
		}, chain.Quorum(quorum))
	})
	fmt.Println(c == nil, err)
	fmt.Println(errors.Is(err, chain.ErrConfig))
	// Output:
	// true chain.Vote: quorum 3 exceeds the 2 members
	// true
}
