package chain_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/chorus-go/chorus/chain"
)

// A small document pipeline: OCR, then a vote of three classifiers guarded
// by a retry and a fallback rule, then routing by document type.
func Example() {
	ocr := chain.Named("ocr", chain.Fn(func(ctx context.Context, image []byte) (string, error) {
		return string(image), nil
	}))
	keyword := func(word, label string) chain.Chain[string, string] {
		return chain.Fn(func(ctx context.Context, text string) (string, error) {
			if strings.Contains(strings.ToLower(text), word) {
				return label, nil
			}
			return "letter", nil
		})
	}
	classify := chain.Named("classify", chain.Vote(chain.Weighted[string](), []chain.Voter[string, string]{
		chain.Member("total", keyword("total", "invoice")).Weight(2),
		chain.Member("amount", keyword("amount", "invoice")),
		chain.Member("dear", keyword("dear", "letter")),
	}, chain.Quorum(2)))
	type doc = chain.Pair[string, string] // the text and its label
	byLabel := chain.RouterFunc[doc, string](func(ctx context.Context, d doc) (string, error) {
		return d.Second, nil
	})
	extract := chain.Named("extract", chain.Route(byLabel, map[string]chain.Chain[doc, string]{
		"invoice": chain.Named("invoice fields", chain.Pure(func(d doc) string { return "invoice: " + d.First })),
		"letter":  chain.Named("letter summary", chain.Pure(func(d doc) string { return "letter: " + d.First })),
	}))
	analyse := chain.Named("analyse", chain.Then3(
		ocr,
		chain.Join(chain.Identity[string](), chain.Retry(chain.Winner(classify), chain.Attempts(3))),
		extract,
	))

	out, err := analyse.Run(context.Background(), []byte("Total due: 42 EUR"))
	fmt.Println(out, err)
	fmt.Print(chain.Mermaid(analyse))
	// Output:
	// invoice: Total due: 42 EUR <nil>
	// flowchart LR
	//   subgraph c1 ["analyse"]
	//     n2["ocr"]
	//     n3[/"join"/]
	//     n4(("gather"))
	//     n5["identity"]
	//     n12{"extract: route (func)"}
	//     n13(("answer"))
	//     n14["invoice fields"]
	//     n15["letter summary"]
	//     subgraph c6 ["retry (3 attempts)"]
	//       n7[/"classify: vote (weighted, quorum 2)"/]
	//       n8(("verdict"))
	//       n9["total"]
	//       n10["amount"]
	//       n11["dear"]
	//     end
	//   end
	//   n3 --> n5
	//   n5 --> n4
	//   n7 -->|w=2| n9
	//   n9 --> n8
	//   n7 -->|w=1| n10
	//   n10 --> n8
	//   n7 -->|w=1| n11
	//   n11 --> n8
	//   n3 --> n7
	//   n8 --> n4
	//   n2 --> n3
	//   n12 -->|invoice| n14
	//   n14 --> n13
	//   n12 -->|letter| n15
	//   n15 --> n13
	//   n4 --> n12
}
