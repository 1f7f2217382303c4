package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/chorus-go/chorus/chain"
)

// errNoClue is what the keyword rules answer when no keyword decides: the
// vote records it as an abstention.
var errNoClue = errors.New("no keyword matched")

// keywords are the rules' clues: a text scores a point for a label per
// keyword of that label it contains.
var keywords = map[string][]string{
	string(Bird):    {"feather", "beak", "bird", "hoot", "nest", "waddl"},
	string(Mammal):  {"fur", "milk", "mammal", "whisker", "spine", "prickl", "calf", "spout"},
	string(Reptile): {"scal", "reptile", "snake", "lizard", "shell", "venom", "cold blooded", "bask"},

	"heron":       {"wading", "waded", "shallow", "spear", "long legs", "grey bird"},
	"owl":         {"hoot", "night", "barn", "head right round", "head almost"},
	"hummingbird": {"hover", "nectar", "tiny bird", "hum"},
	"penguin":     {"cannot fly", "flightless", "ice", "waddl", "flipper"},
	"fox":         {"bushy tail", "red fur", "russet", "hen house"},
	"bat":         {"leathery wings", "upside down", "moth", "echo"},
	"whale":       {"spout", "blowhole", "enormous", "ocean", "fluke"},
	"hedgehog":    {"spine", "spiny", "prickl", "rolled into a ball", "slug"},
	"crocodile":   {"jaws", "river", "armoured", "teeth"},
	"chameleon":   {"colour", "sticky tongue", "twig", "swivel"},
	"tortoise":    {"shell", "domed", "slow animal", "lumber"},
	"viper":       {"zigzag", "venom", "fang", "snake", "heath"},
}

// rules is a keyword classifier over the labels: a plain Go function made
// a chain. It abstains (errNoClue) when no keyword, or a tie, decides.
func rules[L ~string](labels []L) chain.Chain[string, L] {
	labels = slices.Clone(labels)
	return chain.Fn(func(ctx context.Context, text string) (L, error) {
		t := strings.ToLower(text)
		var best L
		bestScore, tie := 0, false
		for _, l := range labels {
			score := 0
			for _, k := range keywords[string(l)] {
				if strings.Contains(t, k) {
					score++
				}
			}
			switch {
			case score > bestScore:
				best, bestScore, tie = l, score, false
			case score == bestScore && score > 0:
				tie = true
			}
		}
		if bestScore == 0 || tie {
			return "", fmt.Errorf("rules: %w", errNoClue)
		}
		return best, nil
	})
}
