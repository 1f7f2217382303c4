package tools

import (
	"strings"

	"github.com/chorus-go/chorus/llm"
)

// reactReminder ends the observation sent back for a reply the agent could
// not read.
const reactReminder = "To use a tool, reply with Thought, Action and Action Input lines, then stop; " +
	"to answer, reply with Thought and Final Answer lines."

// reactPrompt is the system prompt of a ReAct agent: the user's own
// prompt, the tools, and the protocol.
func reactPrompt(system string, tools []llm.Tool) string {
	var b strings.Builder
	if system != "" {
		b.WriteString(system)
		b.WriteString("\n\n")
	}
	names := make([]string, len(tools))
	if len(tools) == 0 {
		b.WriteString("You have no tools.\n\n")
	} else {
		b.WriteString("You can use these tools:\n\n")
		for i, t := range tools {
			names[i] = t.Name
			b.WriteString("- ")
			b.WriteString(t.Name)
			if t.Description != "" {
				b.WriteString(": ")
				b.WriteString(t.Description)
			}
			b.WriteString("\n  Arguments (JSON schema): ")
			if len(t.Parameters) > 0 {
				b.Write(t.Parameters)
			} else {
				b.WriteString(`{"type":"object","properties":{}}`)
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	b.WriteString(`To use a tool, reply in exactly this format, then stop:

Thought: what you should do next, and why
Action: the tool's name, one of [`)
	b.WriteString(strings.Join(names, ", "))
	b.WriteString(`]
Action Input: the arguments, as one JSON object on one line

The tool's result comes back to you as:

Observation: the result

Use as many steps as you need. When you know the answer, reply:

Thought: I know the answer
Final Answer: your answer to the user`)
	return b.String()
}
