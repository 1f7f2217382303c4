package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/chorus-go/chorus/chain"
)

// report writes one result: the text, its route and species, each with
// the vote's agreement and every member's ballot.
func report(w io.Writer, r Result) {
	fmt.Fprintf(w, "%q\n", r.Text)
	fmt.Fprintf(w, "  route:   %-12s %s\n", r.Group.Answer, ballots(r.Group))
	fmt.Fprintf(w, "  species: %-12s %s\n", r.Species.Answer, ballots(r.Species))
}

func ballots[O ~string](v chain.Verdict[O]) string {
	var parts []string
	for _, b := range v.Ballots {
		switch {
		case errors.Is(b.Err, errNoClue):
			parts = append(parts, b.Name+" abstained")
		case b.Err != nil:
			parts = append(parts, fmt.Sprintf("%s failed (%v)", b.Name, b.Err))
		default:
			parts = append(parts, fmt.Sprintf("%s=%s", b.Name, b.Answer))
		}
	}
	return fmt.Sprintf("(agreement %3.0f%%: %s)", 100*v.Agreement, strings.Join(parts, ", "))
}
