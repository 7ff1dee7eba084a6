package jsonb

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/aegisdb/aegis/sql/pgerror"
)

// This file follows PostgreSQL 15's src/common/jsonapi.c (json_lex,
// json_lex_string, json_lex_number, the recursive-descent parser and
// json_errdetail) and report_json_context in jsonfuncs.c, so that errors
// have the same detail and context text.

// MaxDepth bounds the nesting of arrays and objects accepted on input.
// PostgreSQL's limit depends on max_stack_depth (about 6500 levels with
// the default 2MB; it reports "stack depth limit exceeded", 54001).
const MaxDepth = 6400

type tokenType uint8

const (
	tokInvalid tokenType = iota
	tokString
	tokNumber
	tokObjectStart
	tokObjectEnd
	tokArrayStart
	tokArrayEnd
	tokComma
	tokColon
	tokTrue
	tokFalse
	tokNull
	tokEnd
)

// lexError is a JsonParseErrorType.
type lexError uint8

const (
	errNone lexError = iota
	errInvalidToken
	errEscapingRequired
	errEscapingInvalid
	errUnicodeEscapeFormat
	errUnicodeHighSurrogate
	errUnicodeLowSurrogate
	errUnicodeCodePointZero
	errExpectedMore
	errParseValue
	errParseString
	errParseArrayNext
	errParseObjectStart
	errParseObjectLabel
	errParseObjectNext
	errParseEnd
	errDepth
)

type lexer struct {
	in         string
	tokStart   int // -1 at end of input
	tokEnd     int // token_terminator
	tok        tokenType
	lineNumber int
	lineStart  int
	// deescape: strings are de-escaped into str (lex->strval != NULL):
	// surrogate pairs and \u0000 are checked only then, as in PostgreSQL.
	deescape bool
	str      string
	buf      []byte
	depth    int
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80
}

// charEnd returns the index after the (possibly multibyte) character at i.
func (l *lexer) charEnd(i int) int {
	if i >= len(l.in) {
		return i
	}
	if l.in[i] < 0x80 {
		return i + 1
	}
	_, n := utf8.DecodeRuneInString(l.in[i:])
	return i + n
}

// next lexes the token after the current one (json_lex).
func (l *lexer) next() lexError {
	s := l.tokEnd
	for s < len(l.in) {
		c := l.in[s]
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			break
		}
		s++
		if c == '\n' {
			l.lineNumber++
			l.lineStart = s
		}
	}
	l.tokStart = s
	if s >= len(l.in) {
		l.tokStart = -1
		l.tokEnd = s
		l.tok = tokEnd
		return errNone
	}
	switch c := l.in[s]; c {
	case '{', '}', '[', ']', ',', ':':
		l.tokEnd = s + 1
		l.tok = map[byte]tokenType{'{': tokObjectStart, '}': tokObjectEnd, '[': tokArrayStart, ']': tokArrayEnd, ',': tokComma, ':': tokColon}[c]
		return errNone
	case '"':
		l.tok = tokString
		return l.lexString(s)
	case '-':
		l.tok = tokNumber
		return l.lexNumber(s, s+1)
	}
	if c := l.in[s]; c >= '0' && c <= '9' {
		l.tok = tokNumber
		return l.lexNumber(s, s)
	}
	p := s
	for p < len(l.in) && isAlnum(l.in[p]) {
		p++
	}
	l.tok = tokInvalid
	if p == s {
		l.tokEnd = s + 1
		return errInvalidToken
	}
	l.tokEnd = p
	switch l.in[s:p] {
	case "true":
		l.tok = tokTrue
	case "false":
		l.tok = tokFalse
	case "null":
		l.tok = tokNull
	default:
		return errInvalidToken
	}
	return errNone
}

func (l *lexer) lexNumber(start, s int) lexError {
	in := l.in
	bad := false
	if s < len(in) && in[s] == '0' {
		s++
	} else if s < len(in) && in[s] >= '1' && in[s] <= '9' {
		for s < len(in) && in[s] >= '0' && in[s] <= '9' {
			s++
		}
	} else {
		bad = true
	}
	if s < len(in) && in[s] == '.' {
		s++
		if s == len(in) || in[s] < '0' || in[s] > '9' {
			bad = true
		} else {
			for s < len(in) && in[s] >= '0' && in[s] <= '9' {
				s++
			}
		}
	}
	if s < len(in) && (in[s] == 'e' || in[s] == 'E') {
		s++
		if s < len(in) && (in[s] == '+' || in[s] == '-') {
			s++
		}
		if s == len(in) || in[s] < '0' || in[s] > '9' {
			bad = true
		} else {
			for s < len(in) && in[s] >= '0' && in[s] <= '9' {
				s++
			}
		}
	}
	for s < len(in) && isAlnum(in[s]) {
		s++
		bad = true
	}
	l.tokEnd = s
	if bad {
		l.tok = tokInvalid
		return errInvalidToken
	}
	return errNone
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func (l *lexer) lexString(s int) lexError {
	in := l.in
	buf := l.buf[:0]
	hi := -1
	plainFrom := s + 1 // start of a run of unescaped bytes not yet copied
	failAtCharEnd := func(i int, e lexError) lexError {
		l.tokEnd = l.charEnd(i)
		return e
	}
	for {
		s++
		if s >= len(in) {
			l.tokEnd = s
			return errInvalidToken
		}
		c := in[s]
		if c == '"' {
			break
		}
		if c < 32 {
			l.tokEnd = s
			return errEscapingRequired
		}
		if c != '\\' {
			if l.deescape && hi != -1 {
				return failAtCharEnd(s, errUnicodeLowSurrogate)
			}
			continue
		}
		if l.deescape {
			buf = append(buf, in[plainFrom:s]...)
		}
		s++
		if s >= len(in) {
			l.tokEnd = s
			return errInvalidToken
		}
		if in[s] == 'u' {
			ch := 0
			for i := 1; i <= 4; i++ {
				s++
				if s >= len(in) {
					l.tokEnd = s
					return errInvalidToken
				}
				h := hexVal(in[s])
				if h < 0 {
					return failAtCharEnd(s, errUnicodeEscapeFormat)
				}
				ch = ch*16 + h
			}
			if l.deescape {
				if ch >= 0xd800 && ch <= 0xdbff {
					if hi != -1 {
						return failAtCharEnd(s, errUnicodeHighSurrogate)
					}
					hi = ch
					plainFrom = s + 1
					continue
				} else if ch >= 0xdc00 && ch <= 0xdfff {
					if hi == -1 {
						return failAtCharEnd(s, errUnicodeLowSurrogate)
					}
					ch = 0x10000 + (hi&0x3ff)<<10 + ch&0x3ff
					hi = -1
				}
				if hi != -1 {
					return failAtCharEnd(s, errUnicodeLowSurrogate)
				}
				if ch == 0 {
					return failAtCharEnd(s, errUnicodeCodePointZero)
				}
				buf = utf8.AppendRune(buf, rune(ch))
			}
		} else if l.deescape {
			if hi != -1 {
				return failAtCharEnd(s, errUnicodeLowSurrogate)
			}
			switch in[s] {
			case '"', '\\', '/':
				buf = append(buf, in[s])
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			default:
				l.tokStart = s
				return failAtCharEnd(s, errEscapingInvalid)
			}
		} else if !strings.ContainsRune("\"\\/bfnrt", rune(in[s])) {
			l.tokStart = s
			return failAtCharEnd(s, errEscapingInvalid)
		}
		plainFrom = s + 1
	}
	if l.deescape && hi != -1 {
		l.tokEnd = s + 1
		return errUnicodeLowSurrogate
	}
	l.tokEnd = s + 1
	if l.deescape {
		if len(buf) == 0 {
			l.str = in[plainFrom:s] // no escapes: share the input
		} else {
			buf = append(buf, in[plainFrom:s]...)
			l.str = string(buf)
		}
		l.buf = buf
	}
	return errNone
}

// token returns the current token's text (extract_token).
func (l *lexer) token() string {
	if l.tokStart < 0 {
		return ""
	}
	return l.in[l.tokStart:l.tokEnd]
}

// detail returns json_errdetail's text.
func (l *lexer) detail(e lexError) string {
	switch e {
	case errInvalidToken:
		return fmt.Sprintf("Token \"%s\" is invalid.", l.token())
	case errEscapingRequired:
		return fmt.Sprintf("Character with value 0x%02x must be escaped.", l.in[l.tokEnd])
	case errEscapingInvalid:
		return fmt.Sprintf("Escape sequence \"\\%s\" is invalid.", l.token())
	case errUnicodeEscapeFormat:
		return `"\u" must be followed by four hexadecimal digits.`
	case errUnicodeHighSurrogate:
		return "Unicode high surrogate must not follow a high surrogate."
	case errUnicodeLowSurrogate:
		return "Unicode low surrogate must follow a high surrogate."
	case errUnicodeCodePointZero:
		return `\u0000 cannot be converted to text.`
	case errExpectedMore:
		return "The input string ended unexpectedly."
	case errParseValue:
		return fmt.Sprintf("Expected JSON value, but found \"%s\".", l.token())
	case errParseString:
		return fmt.Sprintf("Expected string, but found \"%s\".", l.token())
	case errParseArrayNext:
		return fmt.Sprintf("Expected \",\" or \"]\", but found \"%s\".", l.token())
	case errParseObjectStart:
		return fmt.Sprintf("Expected string or \"}\", but found \"%s\".", l.token())
	case errParseObjectLabel:
		return fmt.Sprintf("Expected \":\", but found \"%s\".", l.token())
	case errParseObjectNext:
		return fmt.Sprintf("Expected \",\" or \"}\", but found \"%s\".", l.token())
	case errParseEnd:
		return fmt.Sprintf("Expected end of input, but found \"%s\".", l.token())
	}
	return ""
}

// context returns report_json_context's text.
func (l *lexer) context() string {
	lineStart := l.lineStart
	start := lineStart
	end := l.tokEnd
	for end-start >= 50 {
		start = l.charEnd(start)
	}
	if start-lineStart <= 3 {
		start = lineStart
	}
	prefix, suffix := "", ""
	if start > lineStart {
		prefix = "..."
	}
	if l.tok != tokEnd && end < len(l.in) && l.in[end] != '\n' && l.in[end] != '\r' {
		suffix = "..."
	}
	return fmt.Sprintf("JSON data, line %d: %s%s%s", l.lineNumber, prefix, l.in[start:end], suffix)
}

// error converts a lexer or parser failure to PostgreSQL's report
// (json_ereport_error).
func (l *lexer) error(e lexError) *pgerror.Error {
	var err *pgerror.Error
	switch e {
	case errDepth:
		return pgerror.New(pgerror.StatementTooComplex, "stack depth limit exceeded").
			WithHint("Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), after ensuring the platform's stack depth limit is adequate.")
	case errUnicodeCodePointZero:
		err = pgerror.New(pgerror.UntranslatableCharacter, "unsupported Unicode escape sequence")
	default:
		err = pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type json")
	}
	err.Detail = l.detail(e)
	err.Where = l.context()
	return err
}

// parseError reports a parser error at the current token
// (report_parse_error): at the end of input it is errExpectedMore.
func (l *lexer) parseError(e lexError) lexError {
	if l.tokStart < 0 || l.tok == tokEnd {
		return errExpectedMore
	}
	return e
}

// builder receives the parse (the semantic actions); nil validates only.
type parser struct {
	lx    lexer
	build bool // construct Values
	jsonb bool // normalize objects
	err   error
}

func (p *parser) expect(ctx lexError, t tokenType) lexError {
	if p.lx.tok != t {
		return p.lx.parseError(ctx)
	}
	return p.lx.next()
}

func (p *parser) parseValue() (Value, lexError) {
	switch p.lx.tok {
	case tokObjectStart:
		return p.parseObject()
	case tokArrayStart:
		return p.parseArray()
	}
	return p.parseScalar()
}

func (p *parser) parseScalar() (Value, lexError) {
	var v Value
	switch p.lx.tok {
	case tokString:
		if p.build {
			v = FromString(p.lx.str)
		}
	case tokNumber:
		if p.build {
			d, err := parseNumber(p.lx.token())
			if err != nil {
				p.err = err
				return v, errNone
			}
			v = Value{kind: KindNumber, n: d}
		}
	case tokTrue:
		v = FromBool(true)
	case tokFalse:
		v = FromBool(false)
	case tokNull:
	default:
		return v, p.lx.parseError(errParseValue)
	}
	return v, p.lx.next()
}

func (p *parser) enter() lexError {
	p.lx.depth++
	if p.lx.depth > MaxDepth {
		return errDepth
	}
	return errNone
}

func (p *parser) parseArray() (Value, lexError) {
	if e := p.enter(); e != errNone {
		return Value{}, e
	}
	if e := p.expect(errNone, tokArrayStart); e != errNone {
		return Value{}, e
	}
	var elems []Value
	if p.lx.tok != tokArrayEnd {
		for {
			v, e := p.parseValue()
			if e != errNone || p.err != nil {
				return Value{}, e
			}
			if p.build {
				elems = append(elems, v)
			}
			if p.lx.tok != tokComma {
				break
			}
			if e := p.lx.next(); e != errNone {
				return Value{}, e
			}
		}
	}
	if e := p.expect(errParseArrayNext, tokArrayEnd); e != errNone {
		return Value{}, e
	}
	p.lx.depth--
	if elems == nil {
		elems = []Value{}
	}
	return NewArray(elems...), errNone
}

func (p *parser) parseField(pairs []Pair) ([]Pair, lexError) {
	if p.lx.tok != tokString {
		return pairs, p.lx.parseError(errParseString)
	}
	key := p.lx.str
	if e := p.lx.next(); e != errNone {
		return pairs, e
	}
	if e := p.expect(errParseObjectLabel, tokColon); e != errNone {
		return pairs, e
	}
	v, e := p.parseValue()
	if e != errNone || p.err != nil {
		return pairs, e
	}
	if p.build {
		pairs = append(pairs, Pair{Key: key, Value: v})
	}
	return pairs, errNone
}

func (p *parser) parseObject() (Value, lexError) {
	if e := p.enter(); e != errNone {
		return Value{}, e
	}
	if e := p.expect(errNone, tokObjectStart); e != errNone {
		return Value{}, e
	}
	var pairs []Pair
	var e lexError
	switch p.lx.tok {
	case tokString:
		for {
			pairs, e = p.parseField(pairs)
			if e != errNone || p.err != nil {
				return Value{}, e
			}
			if p.lx.tok != tokComma {
				break
			}
			if e := p.lx.next(); e != errNone {
				return Value{}, e
			}
		}
	case tokObjectEnd:
	default:
		return Value{}, p.lx.parseError(errParseObjectStart)
	}
	if e := p.expect(errParseObjectNext, tokObjectEnd); e != errNone {
		return Value{}, e
	}
	p.lx.depth--
	if pairs == nil {
		pairs = []Pair{}
	}
	if p.jsonb {
		return NewObject(pairs), errNone
	}
	return newObjectOrdered(pairs), errNone
}

func (p *parser) run(s string) (Value, error) {
	p.lx = lexer{in: s, lineNumber: 1, deescape: p.build}
	if e := p.lx.next(); e != errNone {
		return Value{}, p.lx.error(e)
	}
	v, e := p.parseValue()
	if p.err != nil {
		return Value{}, p.err
	}
	if e == errNone {
		e = p.expect(errParseEnd, tokEnd)
	}
	if e != errNone {
		return Value{}, p.lx.error(e)
	}
	return v, nil
}

// ParseJSONB parses the text form of a jsonb value (jsonb_in). Errors are
// PostgreSQL's: 22P02 "invalid input syntax for type json" with a Detail
// and the CONTEXT text in Where, 22P05 for \u0000, 22003 for numbers
// outside numeric's range.
func ParseJSONB(s string) (Value, error) {
	p := parser{build: true, jsonb: true}
	return p.run(s)
}

// ValidateJSON checks the text form of a json value (json_in, which keeps
// the text verbatim). As in PostgreSQL, escapes are checked for syntax
// only: \u0000 and unpaired surrogates are accepted (json's processing
// functions reject them when they de-escape).
func ValidateJSON(s string) error {
	p := parser{}
	_, err := p.run(s)
	return err
}

// ParseJSON parses json text into a Value for json's processing
// functions: objects keep the input's key order and duplicate keys, and
// strings are de-escaped (so \u0000 and unpaired surrogates are errors,
// as when those functions de-escape in PostgreSQL). Numbers are parsed as
// numeric. Use [Normalize] to cast the result to jsonb.
func ParseJSON(s string) (Value, error) {
	p := parser{build: true}
	return p.run(s)
}
