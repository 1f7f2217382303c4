package doctype

import (
	"context"
	"errors"
	"regexp"

	"github.com/chorus-go/chorus/chain"
)

// keyword is a pattern that hints at a document type, and how strongly.
type keyword struct {
	re     *regexp.Regexp
	weight float64
}

func kw(weight float64, pattern string) keyword {
	return keyword{regexp.MustCompile(`(?im)` + pattern), weight}
}

// keywords are the rule classifier's hints for each type.
var keywords = map[Type][]keyword{
	Invoice: {
		kw(3, `\binvoice\b`), kw(2, `\bbill(ed)?\s+to\b`), kw(2, `\b(total|amount|balance)\s+(due|payable)\b`),
		kw(1, `\biban\b`), kw(1, `\bpayment\s+(terms|within|due)\b`), kw(1, `\bdue\s+date\b`),
	},
	Receipt: {
		kw(3, `\breceipt\b`), kw(1, `\bsub\s?total\b`), kw(1, `\b(paid|payment)[\s-]+by\b`), kw(1, `\bchange\b`),
		kw(1, `\bcash\b`), kw(1, `\bcard\b`), kw(2, `\bthank\s+you\s+for\s+shopping\b`), kw(1, `\btill\b`),
	},
	Letter: {
		kw(3, `^\s*dear\b`), kw(3, `\b(yours\s+(sincerely|faithfully|truly)|sincerely|kind\s+regards|best\s+wishes)\b`),
		kw(1, `\b(i|we)\s+am\s+writing\b|\bwe\s+are\s+writing\b`),
	},
	Contract: {
		kw(2, `\bagreement\b`), kw(2, `\bcontract\b`), kw(1, `\bpart(y|ies)\b`), kw(1, `\bterm\b`), kw(1, `\bterminat`),
		kw(2, `\bgoverning\s+law\b|\bgoverned\s+by\b`), kw(1, `\beffective\s+date\b`), kw(1, `\bhereby\b|\bwhereof\b`), kw(1, `\bshall\b`),
	},
	Form: {
		kw(3, `\bform\b`), kw(1, `\[\s*[x ]?\s*\]`), kw(1, `\bsignature\b`), kw(2, `\bplease\s+(complete|fill)\b`),
		kw(1, `\bdate\s+of\s+birth\b`), kw(1, `\bapplicant\b|\bapplication\b`), kw(2, `\bfor\s+office\s+use\b`),
	},
}

// errNoKeyword is the rule classifier's answer to a text with no hint.
var errNoKeyword = errors.New("rules: no keyword of any document type")

// RuleClassifier is the keyword classifier: each type scores the weights
// of its patterns found in the text, and the best score wins. A text with
// no keyword is an error, so its ballot does not count.
type RuleClassifier struct{}

// Run classifies text by keywords.
func (RuleClassifier) Run(ctx context.Context, text string) (Type, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	best, bestScore := Type(""), 0.0
	for _, t := range All() {
		score := 0.0
		for _, k := range keywords[t] {
			if k.re.MatchString(text) {
				score += k.weight
			}
		}
		if score > bestScore {
			best, bestScore = t, score
		}
	}
	if best == "" {
		return "", errNoKeyword
	}
	return best, nil
}

// Describe reports the classifier as a local model node.
func (RuleClassifier) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: "rules", Detail: "keywords"}
}
