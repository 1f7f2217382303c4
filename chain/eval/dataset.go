package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/chorus-go/chorus/chain/internal/stats"
)

// ReadExamples reads a labelled dataset from r, either a JSON array of
// examples or JSON Lines (one example per line, blank lines skipped), each
// example an object {"input": ..., "want": ...} decoded into In and Out.
// An error names the line (or array element) that failed to decode.
func ReadExamples[In, Out any](r io.Reader) ([]Example[In, Out], error) {
	br := bufio.NewReader(r)
	first, err := firstByte(br)
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("eval: read examples: %w", err)
	}
	if first == '[' {
		var data []Example[In, Out]
		if err := json.NewDecoder(br).Decode(&data); err != nil {
			return nil, fmt.Errorf("eval: read examples: %w", err)
		}
		return data, nil
	}
	var data []Example[In, Out]
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			var e Example[In, Out]
			if derr := json.Unmarshal(b, &e); derr != nil {
				return nil, fmt.Errorf("eval: read examples: line %d: %w", line, derr)
			}
			data = append(data, e)
		}
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, fmt.Errorf("eval: read examples: line %d: %w", line, err)
		}
	}
}

// firstByte returns the first byte that is not white space, leaving it
// unread.
func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return b, br.UnreadByte()
	}
}

// HoldOut splits a dataset at random into a training part and a held-out
// part of round(fraction·len(data)) examples, to evaluate a model on
// examples it was not built from. The same seed gives the same split; the
// data is not modified. It panics with a *chain.ConfigError if fraction is
// outside [0, 1].
func HoldOut[In, Out any](data []Example[In, Out], fraction float64, seed uint64) (train, test []Example[In, Out]) {
	if !(fraction >= 0 && fraction <= 1) {
		panic(configError("HoldOut", "fraction must be in [0, 1], got %v", fraction))
	}
	shuffled := slices.Clone(data)
	rng := stats.NewRand(seed)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	k := int(fraction*float64(len(data)) + 0.5)
	return shuffled[k:], shuffled[:k]
}
