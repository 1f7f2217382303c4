package main

import "strings"

// multi is a flag that may be given several times.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, "; ") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// optional is a flag that may be given alone (-json) or with a value
// (-json=report.json): alone, it takes its default value.
type optional struct {
	value, alone string
}

func (o *optional) String() string { return o.value }
func (o *optional) Set(v string) error {
	if v == "true" {
		v = o.alone
	} else if v == "false" {
		v = ""
	}
	o.value = v
	return nil
}
func (o *optional) IsBoolFlag() bool { return true }
