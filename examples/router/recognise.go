package main

import (
	"context"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// voter is an LLM that joins every vote, through llm.Classifier.
type voter struct {
	name  string
	model llm.ChatModel
}

// llmWeight is an LLM's weight in the votes: the local models count 1
// each, so an LLM that disagrees with both loses, and wins a tie.
const llmWeight = 2

// sighting is what the broad classifier hands to the specialists: the
// text and the vote on its group.
type sighting struct {
	Text  string
	Group chain.Verdict[Group]
}

// Result is what the recognition says of one text.
type Result struct {
	Text    string
	Group   chain.Verdict[Group]
	Species chain.Verdict[Species]
}

// recogniser builds the inference graph: a broad classifier votes on the
// group, the route sends the text to that group's specialist, and the
// specialist votes on the species. Every vote has the keyword rules and a
// naive Bayes model trained on the bundled examples as members, and each
// LLM given as a third (fourth...) member.
func recogniser(llms []voter) chain.Chain[string, Result] {
	var texts []string
	var groups []Group
	for _, e := range examples {
		texts = append(texts, e.text)
		groups = append(groups, e.group)
	}
	broad := chain.Named("broad", vote(Groups, texts, groups, llms))

	specialists := map[Group]chain.Chain[sighting, chain.Verdict[Species]]{}
	for _, g := range Groups {
		var texts []string
		var species []Species
		for _, e := range examples {
			if e.group == g {
				texts = append(texts, e.text)
				species = append(species, e.species)
			}
		}
		specialists[g] = chain.Named(string(g)+" specialist",
			chain.Then(chain.Named("text", chain.Pure(textOf)), vote(SpeciesOf[g], texts, species, llms)))
	}
	route := chain.Named("specialists", chain.Route(chain.RouterFunc[sighting, Group](byGroup), specialists))

	return chain.Named("recognise", chain.Then4(
		chain.Join(chain.Identity[string](), broad),
		chain.Named("sighting", chain.Pure(toSighting)),
		chain.Join(chain.Identity[sighting](), route),
		chain.Named("result", chain.Pure(toResult)),
	))
}

// vote is a weighted vote among the rules, a naive Bayes model trained on
// texts and labels, and the LLMs. One answer is enough (quorum 1): a
// member that abstains or fails is recorded in its ballot.
func vote[L ~string](labels []L, texts []string, trained []L, llms []voter) chain.Chain[string, chain.Verdict[L]] {
	members := []chain.Voter[string, L]{
		chain.Member("rules", rules(labels)),
		chain.Member("bayes", chain.Chain[string, L](trainBayes("naive bayes", texts, trained))),
	}
	for _, v := range llms {
		classify := llm.Classifier(v.model, labels,
			llm.WithSystem("You identify animals from short field descriptions written by walkers."))
		// The model is guarded (retries, timeout, breaker): see
		// configuredLLMs.
		members = append(members, chain.Member(v.name, classify).Weight(llmWeight))
	}
	return chain.Vote(chain.Weighted[L](), members, chain.Quorum(1))
}

func textOf(s sighting) string { return s.Text }

func toSighting(p chain.Pair[string, chain.Verdict[Group]]) sighting {
	return sighting{Text: p.First, Group: p.Second}
}

func toResult(p chain.Pair[sighting, chain.Verdict[Species]]) Result {
	return Result{Text: p.First.Text, Group: p.First.Group, Species: p.Second}
}

// byGroup routes a sighting to the specialist of the group it was voted.
func byGroup(_ context.Context, s sighting) (Group, error) { return s.Group.Answer, nil }
