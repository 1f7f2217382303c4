package memory

import "github.com/chorus-go/chorus/llm"

// headLen returns the number of leading system messages of a history: the
// system prompt and a stored summary, which the policies always keep.
func headLen(msgs []llm.Message) int {
	n := 0
	for n < len(msgs) && msgs[n].Role == llm.RoleSystem {
		n++
	}
	return n
}

// groupStart returns where the group that ends just before end begins. A
// group is one message, or an assistant message asking for tool calls
// together with the tool results that follow it: a tool result never
// starts a group (unless it is the very first message), so a cut between
// groups never separates results from their call.
func groupStart(body []llm.Message, end int) int {
	start := end - 1
	for start > 0 && body[start].Role == llm.RoleTool {
		start--
	}
	return start
}

// newestCut returns the index from which body's newest whole groups are
// kept: body[cut:] costs at most limit, except that the newest group is
// kept whatever it costs, so the latest exchange is never lost.
func newestCut(body []llm.Message, limit int, cost func(llm.Message) int) int {
	cut, total := len(body), 0
	for cut > 0 {
		start := groupStart(body, cut)
		c := 0
		for _, m := range body[start:cut] {
			c += cost(m)
		}
		if cut < len(body) && total+c > limit {
			break
		}
		total += c
		cut = start
	}
	return cut
}

// sum returns the total size of msgs, measured by c.
func sum(msgs []llm.Message, c llm.TokenCounter) int {
	n := 0
	for _, m := range msgs {
		n += llm.CountMessage(c, m)
	}
	return n
}

// counted returns the cost function of c.
func counted(c llm.TokenCounter) func(llm.Message) int {
	return func(m llm.Message) int { return llm.CountMessage(c, m) }
}
