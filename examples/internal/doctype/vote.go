package doctype

import (
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// Model is a language model that votes on the document type.
type Model struct {
	Name string // such as "openai:gpt-4o-mini"
	Chat llm.ChatModel
}

// Member is one classifier of the vote, with its weight.
type Member struct {
	Name       string
	Classifier chain.Chain[string, Type]
	Weight     float64
}

// Members returns the classifiers of the document-type vote: the keyword
// rules (weight 1.2: precise when they find a keyword, silent otherwise),
// nb (1: answers everything) and each model through llm.Classifier, with
// a two-minute timeout and two attempts (1.5: trusted most).
func Members(nb *NaiveBayes, models ...Model) []Member {
	members := []Member{
		{Name: "rules", Classifier: RuleClassifier{}, Weight: 1.2},
		{Name: "naive-bayes", Classifier: nb, Weight: 1},
	}
	for _, m := range models {
		c := chain.Retry(chain.Timeout(llm.Classifier(m.Chat, All()), 2*time.Minute), chain.Attempts(2))
		members = append(members, Member{Name: m.Name, Classifier: c, Weight: 1.5})
	}
	return members
}

// Vote is the weighted vote of the members: the type with the most
// weight behind it wins, and a member that fails does not count.
func Vote(members []Member) chain.Chain[string, chain.Verdict[Type]] {
	voters := make([]chain.Voter[string, Type], len(members))
	for i, m := range members {
		voters[i] = chain.Member(m.Name, m.Classifier).Weight(m.Weight)
	}
	return chain.Vote(chain.Weighted[Type](), voters)
}
