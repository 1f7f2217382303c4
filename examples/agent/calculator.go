package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// CalculatorArgs are the calculator tool's arguments.
type CalculatorArgs struct {
	Expression string `json:"expression" jsonschema_description:"An arithmetic expression: decimal numbers, + - * / and parentheses, such as (89.50 * 3) * 0.85 + 4.95. No percent signs, units or variables."`
}

// calculator is the calculator tool's function.
func calculator(_ context.Context, args CalculatorArgs) (string, error) {
	v, err := Evaluate(args.Expression)
	if err != nil {
		return "", err
	}
	return FormatNumber(v), nil
}

// maxDepth bounds the nesting of parentheses and signs, so that no
// expression can exhaust the stack.
const maxDepth = 200

// Evaluate computes an arithmetic expression of decimal numbers (12,
// 3.75, .5), the operators + - * / with the usual precedence, unary signs
// and parentheses. Blanks are ignored; '×', '÷' and '−' are read as '*',
// '/' and '-'. It evaluates nothing else: no names, no functions, no
// code. Errors say where the expression went wrong.
func Evaluate(expr string) (float64, error) {
	p := &parser{src: expr}
	p.next()
	if p.tok == tokEnd {
		return 0, errors.New("empty expression")
	}
	v, err := p.expr(0)
	if err != nil {
		return 0, err
	}
	if p.tok != tokEnd {
		return 0, p.unexpected()
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, errors.New("the result is too large")
	}
	return v, nil
}

// FormatNumber writes v with at most 12 significant digits, so that
// 0.1 + 0.2 reads 0.3, and without an exponent for everyday amounts.
func FormatNumber(v float64) string {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if err != nil {
		r = v
	}
	if r == 0 {
		return "0" // not -0
	}
	if math.Abs(r) < 1e15 && math.Abs(r) >= 1e-6 {
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	return strconv.FormatFloat(r, 'g', -1, 64)
}

type token int

const (
	tokEnd token = iota
	tokNum
	tokOp // + - * /
	tokOpen
	tokClose
	tokBad
)

// parser is a recursive-descent evaluator over a one-token lookahead.
type parser struct {
	src string
	pos int // after the current token
	at  int // where the current token starts
	tok token
	op  byte
	num float64
	bad rune
	err error
}

// next reads the next token.
func (p *parser) next() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\n' || p.src[p.pos] == '\r') {
		p.pos++
	}
	p.at = p.pos
	if p.pos >= len(p.src) {
		p.tok = tokEnd
		return
	}
	c := p.src[p.pos]
	switch {
	case c >= '0' && c <= '9' || c == '.':
		start := p.pos
		digits, dots := 0, 0
		for p.pos < len(p.src) && (p.src[p.pos] >= '0' && p.src[p.pos] <= '9' || p.src[p.pos] == '.') {
			if p.src[p.pos] == '.' {
				dots++
			} else {
				digits++
			}
			p.pos++
		}
		text := p.src[start:p.pos]
		if digits == 0 || dots > 1 {
			p.tok, p.err = tokBad, fmt.Errorf("%q at position %d is not a number", clipNumber(text), start+1)
			return
		}
		v, err := strconv.ParseFloat(text, 64)
		if err != nil {
			p.tok, p.err = tokBad, fmt.Errorf("the number at position %d is too large", start+1)
			return
		}
		p.tok, p.num = tokNum, v
		return
	case c == '+' || c == '-' || c == '*' || c == '/':
		p.tok, p.op = tokOp, c
		p.pos++
		return
	case c == '(':
		p.tok = tokOpen
		p.pos++
		return
	case c == ')':
		p.tok = tokClose
		p.pos++
		return
	}
	r, size := utf8.DecodeRuneInString(p.src[p.pos:])
	p.pos += size
	switch r {
	case '×':
		p.tok, p.op = tokOp, '*'
	case '÷':
		p.tok, p.op = tokOp, '/'
	case '−':
		p.tok, p.op = tokOp, '-'
	default:
		p.tok, p.bad = tokBad, r
	}
}

// unexpected describes the current token as an error.
func (p *parser) unexpected() error {
	switch p.tok {
	case tokEnd:
		return errors.New("the expression ends too early")
	case tokBad:
		if p.err != nil {
			return p.err
		}
		return fmt.Errorf("unexpected %q at position %d: only numbers, + - * / and parentheses are allowed", p.bad, p.at+1)
	case tokClose:
		return fmt.Errorf("unexpected ')' at position %d", p.at+1)
	case tokNum:
		return fmt.Errorf("a number at position %d follows another value: an operator is missing", p.at+1)
	case tokOpen:
		return fmt.Errorf("'(' at position %d follows a value: an operator is missing", p.at+1)
	}
	return fmt.Errorf("unexpected %q at position %d", p.op, p.at+1)
}

// expr = term {("+" | "-") term}
func (p *parser) expr(depth int) (float64, error) {
	v, err := p.term(depth)
	if err != nil {
		return 0, err
	}
	for p.tok == tokOp && (p.op == '+' || p.op == '-') {
		op := p.op
		p.next()
		w, err := p.term(depth)
		if err != nil {
			return 0, err
		}
		if op == '+' {
			v += w
		} else {
			v -= w
		}
	}
	return v, nil
}

// term = unary {("*" | "/") unary}
func (p *parser) term(depth int) (float64, error) {
	v, err := p.unary(depth)
	if err != nil {
		return 0, err
	}
	for p.tok == tokOp && (p.op == '*' || p.op == '/') {
		op, at := p.op, p.at
		p.next()
		w, err := p.unary(depth)
		if err != nil {
			return 0, err
		}
		if op == '*' {
			v *= w
			continue
		}
		if w == 0 {
			return 0, fmt.Errorf("division by zero at position %d", at+1)
		}
		v /= w
	}
	return v, nil
}

// unary = ("+" | "-") unary | primary
func (p *parser) unary(depth int) (float64, error) {
	if depth > maxDepth {
		return 0, errors.New("the expression is nested too deeply")
	}
	if p.tok == tokOp && (p.op == '+' || p.op == '-') {
		neg := p.op == '-'
		p.next()
		v, err := p.unary(depth + 1)
		if neg {
			v = -v
		}
		return v, err
	}
	return p.primary(depth)
}

// primary = number | "(" expr ")"
func (p *parser) primary(depth int) (float64, error) {
	switch p.tok {
	case tokNum:
		v := p.num
		p.next()
		return v, nil
	case tokOpen:
		open := p.at
		p.next()
		v, err := p.expr(depth + 1)
		if err != nil {
			return 0, err
		}
		if p.tok != tokClose {
			if p.tok == tokEnd {
				return 0, fmt.Errorf("the '(' at position %d is never closed", open+1)
			}
			return 0, p.unexpected()
		}
		p.next()
		return v, nil
	}
	return 0, p.unexpected()
}

// clipNumber shortens a long number for an error message.
func clipNumber(s string) string {
	if len(s) > 24 {
		return s[:20] + "..."
	}
	return s
}
