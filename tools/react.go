package tools

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ErrReActFormat matches the error ParseReAct returns for a reply it
// cannot read as a ReAct step.
var ErrReActFormat = errors.New("tools: the reply does not follow the ReAct format")

// ReActStep is one reply of a model that follows the ReAct protocol:
// either an action (a tool to call, with its input) or a final answer.
type ReActStep struct {
	// Thought is the reply's first Thought, if any.
	Thought string
	// Action is the name of the tool to call; empty when Final.
	Action string
	// ActionInput is the tool's arguments as the model wrote them (JSON
	// is expected), out of any code fence and cut after the first JSON
	// value; "{}" when the model gave none.
	ActionInput string
	// Final reports a final answer, FinalAnswer.
	Final       bool
	FinalAnswer string
	// Text is the reply up to its first Observation line, if it has one:
	// a model may go on to write the observation it expects, which is the
	// tool's to give.
	Text string
}

// reactLabel matches the label that starts a ReAct line, once leading
// blanks and Markdown (bullets, bold, headings) are stripped: "Thought:",
// "Action 1:", "**Action Input**:", "final_answer：" and the like.
var reactLabel = regexp.MustCompile(`(?i)^(final[ _-]*answer|action[ _-]*input|action|thoughts?|observation)(?:[ \t]*\d+)?[ \t]*(?:\*\*|__|\*|_)?[ \t]*(?::|：)`)

type labelKind int

const (
	labelThought labelKind = iota + 1
	labelAction
	labelInput
	labelFinal
	labelObservation
)

// segment is a labelled part of a reply: from the line of its label to
// the next label.
type segment struct {
	kind    labelKind
	start   int    // where its line starts in the reply
	from    int    // where its content starts
	content string // after the label, up to the next label's line
}

// ParseReAct reads one reply written in the ReAct format:
//
//	Thought: I need to compute this.
//	Action: calculator
//	Action Input: {"expression": "2 * (3 + 4)"}
//
// or
//
//	Thought: I know the answer.
//	Final Answer: 14
//
// It is lenient about what models do: labels in any case, with '_' or
// '-' or no space inside, numbered ("Action 2:"), in bold or after a
// bullet, with a full-width colon; text before the first label; the
// input in a code fence, followed by prose, or on the Action line itself
// ("calculator {...}" or "calculator({...})"); an Observation the model
// made up, and anything after it, is ignored, as is anything after the
// first action's input or the final answer. A reply with no label at all
// is taken as a final answer. The first of Action and Final Answer
// decides what the step is.
//
// It never panics. Its error matches ErrReActFormat and says what is
// missing: an empty reply, an Action with no tool name, an Action Input
// without an Action, an empty Final Answer, or labels but neither an
// Action nor a Final Answer.
func ParseReAct(text string) (ReActStep, error) {
	step := ReActStep{Text: text}
	segs := segments(text)
	var (
		action, input, final *segment
		labelled             bool
	)
walk:
	for i := range segs {
		seg := &segs[i]
		switch seg.kind {
		case labelObservation:
			step.Text = text[:seg.start]
			break walk
		case labelThought:
			labelled = true
			if step.Thought == "" {
				step.Thought = strings.TrimSpace(seg.content)
			}
		case labelAction:
			labelled = true
			if action != nil {
				step.Text = text[:seg.start]
				break walk
			}
			action = seg
		case labelInput:
			labelled = true
			if action == nil {
				return ReActStep{}, formatError("it has an Action Input but no Action before it")
			}
			if input != nil {
				step.Text = text[:seg.start]
				break walk
			}
			input = seg
		case labelFinal:
			labelled = true
			if action != nil {
				step.Text = text[:seg.start]
				break walk
			}
			final = seg
			if i+1 < len(segs) {
				step.Text = text[:segs[i+1].start]
			}
			break walk
		}
	}
	switch {
	case final != nil:
		step.Final = true
		step.FinalAnswer = strings.TrimSpace(final.content)
		if step.FinalAnswer == "" {
			return ReActStep{}, formatError("its Final Answer is empty")
		}
	case action != nil:
		name, inline := actionName(action.content)
		if name == "" {
			return ReActStep{}, formatError("its Action names no tool")
		}
		step.Action = name
		switch {
		case input != nil:
			step.ActionInput = extractInput(input.content)
		default:
			step.ActionInput = extractInput(inline)
		}
		if step.ActionInput == "" {
			step.ActionInput = "{}"
		}
	case labelled:
		return ReActStep{}, formatError("it has neither an Action nor a Final Answer")
	default:
		// No label: a model that answers plainly.
		step.FinalAnswer = strings.TrimSpace(step.Text)
		if step.FinalAnswer == "" {
			return ReActStep{}, formatError("it is empty")
		}
		step.Final = true
	}
	return step, nil
}

func formatError(why string) error { return fmt.Errorf("%w: %s", ErrReActFormat, why) }

// segments cuts a reply at its labelled lines.
func segments(text string) []segment {
	var segs []segment
	for pos := 0; pos <= len(text); {
		line, next := text[pos:], len(text)+1
		if nl := strings.IndexByte(line, '\n'); nl >= 0 {
			line, next = line[:nl], pos+nl+1
		}
		if kind, skip, ok := labelOf(line); ok {
			segs = append(segs, segment{kind: kind, start: pos, from: pos + skip})
		}
		pos = next
	}
	for i := range segs {
		end := len(text)
		if i+1 < len(segs) {
			end = segs[i+1].start
		}
		segs[i].content = text[segs[i].from:end]
	}
	return segs
}

// labelOf reports the label a line starts with and how many bytes of the
// line come before its content.
func labelOf(line string) (kind labelKind, skip int, ok bool) {
	trimmed := strings.TrimLeft(line, " \t*#>_-")
	m := reactLabel.FindStringSubmatchIndex(trimmed)
	if m == nil {
		return 0, 0, false
	}
	switch word := strings.ToLower(trimmed[m[2]:m[3]]); {
	case strings.HasPrefix(word, "final"):
		kind = labelFinal
	case strings.HasPrefix(word, "observation"):
		kind = labelObservation
	case strings.HasPrefix(word, "thought"):
		kind = labelThought
	case strings.HasSuffix(word, "input"):
		kind = labelInput
	default:
		kind = labelAction
	}
	rest := trimmed[m[1]:]
	content := strings.TrimLeft(rest, " \t*_")
	return kind, len(line) - len(content), true
}

// actionName reads the tool's name from an Action's content, and what
// follows the name, which may be the input ("calculator {...}",
// "calculator({...})", or the next lines).
func actionName(content string) (name, rest string) {
	c := strings.TrimSpace(content)
	line, more, _ := strings.Cut(c, "\n")
	line = strings.Trim(strings.TrimSpace(line), "`*\"'[] \t\r")
	end := strings.IndexFunc(line, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	})
	if end < 0 {
		end = len(line)
	}
	name, rest = line[:end], strings.TrimSpace(line[end:])
	if strings.HasPrefix(rest, "(") && strings.HasSuffix(rest, ")") {
		rest = strings.TrimSpace(rest[1 : len(rest)-1])
	}
	if rest == "" {
		rest = more
	}
	return name, rest
}

// extractInput takes the arguments out of an Action Input: out of a code
// fence or inline code, and cut after the first JSON object or array.
// Anything else is returned trimmed, for the tool to refuse.
func extractInput(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "```") {
		body := s[3:]
		if nl := strings.IndexByte(body, '\n'); nl >= 0 && !strings.ContainsAny(body[:nl], "{[\"") {
			body = body[nl+1:] // the info string, such as "json"
		}
		if end := strings.Index(body, "```"); end >= 0 {
			body = body[:end]
		}
		s = strings.TrimSpace(body)
	} else if strings.HasPrefix(s, "`") {
		s = strings.TrimSpace(strings.Trim(s, "`"))
	}
	if s != "" && (s[0] == '{' || s[0] == '[') {
		if n := jsonEnd(s); n > 0 {
			return s[:n]
		}
	}
	return s
}

// jsonEnd returns the length of the JSON object or array s starts with,
// found by matching brackets outside strings, or -1 if it does not close.
func jsonEnd(s string) int {
	depth, inString, escaped := 0, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}
